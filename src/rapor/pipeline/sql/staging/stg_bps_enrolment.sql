-- One row per row of the raw BPS school-attendance file: typed, with the first validation rule it
-- breaks (`reject_reason` is null for a valid row).
with source as (
    select
        _source_row,
        trim(cast(kabkota_code as varchar)) as kabkota_code,
        try_cast(year as integer) as year,
        -- Casting rounds 2.5 to 3: keep the number to check it is whole.
        try_cast(year as double) as year__number,
        try_cast(age as integer) as age,
        try_cast(age as double) as age__number,
        try_cast(ses_quintile as integer) as ses_quintile,
        try_cast(ses_quintile as double) as ses_quintile__number,
        lower(trim(cast(jenjang as varchar))) as jenjang,
        try_cast(students as bigint) as students,
        try_cast(students as double) as students__number
    from raw_bps_enrolment
),

duplicated_keys as (
    select kabkota_code, year, age, ses_quintile, jenjang
    from source
    group by kabkota_code, year, age, ses_quintile, jenjang
    having count(*) > 1
),

final as (
    select
        source.*,
        case
            when source.year__number is distinct from source.year
                then format('year {} is not a whole number', cast(source.year__number as varchar))
            when source.age__number is distinct from source.age
                then format('age {} is not a whole number', cast(source.age__number as varchar))
            when source.ses_quintile__number is distinct from source.ses_quintile
                then format('ses_quintile {} is not a whole number', cast(source.ses_quintile__number as varchar))
            when source.students__number is distinct from source.students
                then format('students {} is not a whole number', cast(source.students__number as varchar))
            when source.kabkota_code is null or source.kabkota_code not in (
                select region_code from stg_regions where region_level = 'kabkota'
            ) then format('unknown kabkota_code {}', coalesce(source.kabkota_code, 'NULL'))
            when source.year is null then 'year is missing or not a whole number'
            when not coalesce(source.age between 0 and 120, false) then 'age is missing or outside 0-120'
            when not coalesce(source.ses_quintile between 1 and 5, false) then 'ses_quintile is not 1-5'
            when source.jenjang is null
                or source.jenjang not in ('paud', 'dasar', 'menengah_pertama', 'menengah', 'tinggi')
                then format('unknown jenjang {}', coalesce(source.jenjang, 'NULL'))
            when duplicated_keys.kabkota_code is not null
                then 'kabkota_code, year, age, ses_quintile and jenjang appear more than once'
            -- No kab/kota cell comes near 100 million people; larger counts would overflow sums.
            when not coalesce(source.students between 0 and 100000000, false)
                then format('students {} is missing, negative or over 100000000', coalesce(cast(source.students as varchar), 'NULL'))
        end as reject_reason
    from source
    left join duplicated_keys
        on source.kabkota_code = duplicated_keys.kabkota_code
        and source.year = duplicated_keys.year
        and source.age = duplicated_keys.age
        and source.ses_quintile = duplicated_keys.ses_quintile
        and source.jenjang = duplicated_keys.jenjang
)

select * from final
