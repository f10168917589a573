-- One row per kab/kota or province and year: its group of similar regions ("daerah serupa").
-- Kab/kota: same kind (kabupaten or kota), same national tercile of poverty rate, same 3T status.
-- Province: same national tercile of poverty rate (mean of its kab/kota) and same half of urban
-- population share.
with profiles as (
    select * from stg_bps_kabkota_profile where reject_reason is null
),

regions as (
    select * from stg_regions
),

kabkota as (
    select
        profiles.year,
        profiles.kabkota_code,
        regions.parent_code as provinsi_code,
        regions.region_name like 'Kota %' as is_kota,
        profiles.poverty_rate_pct,
        profiles.urban_population_pct,
        profiles.is_3t,
        ntile(3) over (
            partition by profiles.year order by profiles.poverty_rate_pct, profiles.kabkota_code
        ) as poverty_tercile
    from profiles
    inner join regions on profiles.kabkota_code = regions.region_code
),

provinsi as (
    select
        year,
        provinsi_code,
        avg(poverty_rate_pct) as poverty_rate_pct,
        avg(urban_population_pct) as urban_population_pct
    from kabkota
    group by year, provinsi_code
),

provinsi_ranked as (
    select
        provinsi.*,
        ntile(3) over (
            partition by year order by poverty_rate_pct, provinsi_code
        ) as poverty_tercile,
        ntile(2) over (
            partition by year order by urban_population_pct, provinsi_code
        ) as urban_half
    from provinsi
),

final as (
    select
        'kabkota' as entity_type,
        kabkota_code as entity_code,
        year,
        concat(
            case when is_kota then 'kota' else 'kabupaten' end,
            '/poverty-t', cast(poverty_tercile as varchar),
            case when is_3t then '/3t' else '' end
        ) as peer_group,
        poverty_rate_pct,
        urban_population_pct,
        is_3t
    from kabkota
    union all
    select
        'provinsi',
        provinsi_code,
        year,
        concat(
            'poverty-t', cast(poverty_tercile as varchar),
            case when urban_half = 2 then '/more-urban' else '/less-urban' end
        ),
        poverty_rate_pct,
        urban_population_pct,
        cast(null as boolean)
    from provinsi_ranked
)

select * from final
