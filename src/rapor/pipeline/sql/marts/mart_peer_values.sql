-- One row per school, kab/kota or province, year, filter combination and indicator: the mean value
-- of the other members of its peer group ("serupa"). Schools are compared with similar schools of
-- the same jenjang whatever their bentuk and status, drawn from the schools that count in region
-- values; regions with similar regions under the same filter.
with published as (
    select * from mart_indicator_values where entity_type <> 'nasional'
),

groups as (
    select * from mart_peer_groups
),

schools as (
    select npsn, counts_in_region_values from int_schools__located
),

grouped as (
    select
        published.entity_type,
        published.entity_code,
        published.year,
        published.jenjang,
        published.bentuk,
        published.status,
        published.indicator,
        published.value,
        groups.peer_group,
        case when published.entity_type = 'sekolah' then 'semua' else published.bentuk end as pool_bentuk,
        case when published.entity_type = 'sekolah' then 'semua' else published.status end as pool_status,
        published.value is not null
            and coalesce(schools.counts_in_region_values, true) as in_pool
    from published
    inner join groups
        on published.entity_type = groups.entity_type
        and published.entity_code = groups.entity_code
        and published.year = groups.year
        and (groups.jenjang is null or published.jenjang = groups.jenjang)
    left join schools
        on published.entity_type = 'sekolah' and published.entity_code = schools.npsn
),

pools as (
    select
        entity_type, year, jenjang, pool_bentuk, pool_status, indicator, peer_group,
        sum(value) as pool_sum,
        count(*) as pool_size
    from grouped
    where in_pool
    group by entity_type, year, jenjang, pool_bentuk, pool_status, indicator, peer_group
),

final as (
    select
        grouped.entity_type,
        grouped.entity_code,
        grouped.year,
        grouped.jenjang,
        grouped.bentuk,
        grouped.status,
        grouped.indicator,
        grouped.peer_group,
        (pools.pool_sum - case when grouped.in_pool then grouped.value else 0 end)
            / nullif(pools.pool_size - case when grouped.in_pool then 1 else 0 end, 0) as peer_value,
        coalesce(pools.pool_size, 0) - case when grouped.in_pool then 1 else 0 end as n_peers
    from grouped
    -- A group where nobody has a value still gets a row: no peer value, 0 peers.
    left join pools
        on grouped.entity_type = pools.entity_type
        and grouped.year = pools.year
        and grouped.jenjang = pools.jenjang
        and grouped.pool_bentuk = pools.pool_bentuk
        and grouped.pool_status = pools.pool_status
        and grouped.indicator = pools.indicator
        and grouped.peer_group = pools.peer_group
)

select * from final
