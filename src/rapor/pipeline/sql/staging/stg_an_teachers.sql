-- One row per row of the raw teacher/principal survey file: typed, with the first validation rule
-- it breaks (`reject_reason` is null for a valid row).
with source as (
    select
        _source_row,
        try_cast(year as integer) as year,
        -- Casting rounds 2.5 to 3: keep the number to check it is whole.
        try_cast(year as double) as year__number,
        trim(cast(npsn as varchar)) as npsn,
        trim(cast(respondent_id as varchar)) as respondent_id,
        lower(trim(cast(role as varchar))) as role,
        try_cast(instructional_leadership as double) as instructional_leadership,
        try_cast(gender_equality as double) as gender_equality,
        try_cast(diversity as double) as diversity,
        try_cast(inclusivity as double) as inclusivity
    from raw_an_teachers
),

valid_schools as (
    select npsn from stg_schools where reject_reason is null
),

final as (
    select
        source.*,
        -- Range rules read `x is null or x not between ...` rather than
        -- `not coalesce(x between ..., false)`: DuckDB tests plain comparisons on the rows still
        -- undecided, where coalesce first computes a whole vector (~10 % of this pass).
        case
            when source.year__number is distinct from source.year
                then format('year {} is not a whole number', cast(source.year__number as varchar))
            when source.year is null then 'year is missing or not a whole number'
            when source.respondent_id is null or source.respondent_id = '' then 'respondent_id is empty'
            when duplicated_ids.respondent_id is not null
                then format('respondent_id {} appears more than once in {}', source.respondent_id, source.year)
            when valid_schools.npsn is null
                then format('npsn {} is not a valid school', coalesce(source.npsn, 'NULL'))
            when source.role is null or source.role not in ('guru', 'kepala_sekolah')
                then format('unknown role {}', coalesce(source.role, 'NULL'))
            when source.instructional_leadership is null or source.instructional_leadership not between 0 and 100
                then format('instructional_leadership {} is missing or outside 0-100', coalesce(cast(source.instructional_leadership as varchar), 'NULL'))
            when source.gender_equality is null or source.gender_equality not between 0 and 100
                then format('gender_equality {} is missing or outside 0-100', coalesce(cast(source.gender_equality as varchar), 'NULL'))
            when source.diversity is null or source.diversity not between 0 and 100
                then format('diversity {} is missing or outside 0-100', coalesce(cast(source.diversity as varchar), 'NULL'))
            when source.inclusivity is null or source.inclusivity not between 0 and 100
                then format('inclusivity {} is missing or outside 0-100', coalesce(cast(source.inclusivity as varchar), 'NULL'))
        end as reject_reason
    from source
    left join valid_schools on source.npsn = valid_schools.npsn
    left join stg_an_teachers__duplicate_ids as duplicated_ids
        on source.year = duplicated_ids.year and source.respondent_id = duplicated_ids.respondent_id
)

select * from final
