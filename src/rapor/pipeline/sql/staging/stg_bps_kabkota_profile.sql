-- One row per row of the raw kab/kota profile file: typed, with the first validation rule it breaks
-- (`reject_reason` is null for a valid row).
with source as (
    select
        _source_row,
        trim(cast(kabkota_code as varchar)) as kabkota_code,
        try_cast(year as integer) as year,
        -- Casting rounds 2.5 to 3: keep the number to check it is whole.
        try_cast(year as double) as year__number,
        try_cast(poverty_rate_pct as double) as poverty_rate_pct,
        try_cast(urban_population_pct as double) as urban_population_pct,
        try_cast(is_3t as boolean) as is_3t
    from raw_bps_kabkota_profile
),

duplicated_keys as (
    select kabkota_code, year from source group by kabkota_code, year having count(*) > 1
),

final as (
    select
        source.*,
        case
            when source.year__number is distinct from source.year
                then format('year {} is not a whole number', cast(source.year__number as varchar))
            when source.kabkota_code is null or source.kabkota_code not in (
                select region_code from stg_regions where region_level = 'kabkota'
            ) then format('unknown kabkota_code {}', coalesce(source.kabkota_code, 'NULL'))
            when source.year is null then 'year is missing or not a whole number'
            when duplicated_keys.kabkota_code is not null then 'kabkota_code and year appear more than once'
            when not coalesce(source.poverty_rate_pct between 0 and 100, false)
                then 'poverty_rate_pct is missing or outside 0-100'
            when not coalesce(source.urban_population_pct between 0 and 100, false)
                then 'urban_population_pct is missing or outside 0-100'
            when source.is_3t is null then 'is_3t is missing or not true/false'
        end as reject_reason
    from source
    left join duplicated_keys
        on source.kabkota_code = duplicated_keys.kabkota_code and source.year = duplicated_keys.year
)

select * from final
