-- One row per school, kab/kota or province, year, filter combination and top-level indicator: the
-- mean value of the other members of its peer group ("serupa"). Sub-indicators have no peer value:
-- the report compares indicators, and this keeps the table half the size. Schools are compared with similar schools of
-- the same jenjang whatever their bentuk and status, drawn from the schools that count in region
-- values; regions with similar regions under the same filter. `peer_std_error` is the standard
-- error of the peer mean: the members' own, summed as variances (their samples are apart).
with school_members as (
    select
        'sekolah' as entity_type,
        school_values.npsn as entity_code,
        school_values.year,
        school_values.jenjang,
        school_values.programme_bentuk as bentuk,
        school_values.status,
        school_values.indicator,
        -- The school's group (int_school_peer_groups), joined in int_school_values.
        school_values.peer_group,
        school_values.value,
        school_values.std_error,
        -- The pool: schools with a publishable value that count in region values.
        school_values.counts_in_region_values and not school_values.is_suppressed as in_pool
    from int_school_values as school_values
    inner join cat_indicators as indicators
        on school_values.indicator = indicators.indicator and indicators.parent_indicator is null
    where school_values.level is null and school_values.peer_group is not null
),

school_pools as (
    select
        year, jenjang, indicator, peer_group,
        sum(value) as pool_sum,
        count(*) as pool_size,
        sum(std_error * std_error) as pool_variance_sum
    from school_members
    where in_pool
    group by year, jenjang, indicator, peer_group
),

school_peers as (
    select members.*, pools.pool_sum, pools.pool_size, pools.pool_variance_sum
    from school_members as members
    left join school_pools as pools
        on members.year = pools.year
        and members.jenjang = pools.jenjang
        and members.indicator = pools.indicator
        and members.peer_group = pools.peer_group
),

region_members as (
    select
        region_values.entity_type,
        region_values.entity_code,
        region_values.year,
        region_values.jenjang,
        region_values.bentuk,
        region_values.status,
        region_values.indicator,
        groups.peer_group,
        region_values.value,
        region_values.std_error,
        region_values.value is not null as in_pool
    from mart_indicator_values as region_values
    inner join int_region_peer_groups as groups
        on region_values.entity_type = groups.entity_type
        and region_values.entity_code = groups.entity_code
        and region_values.year = groups.year
    inner join cat_indicators as indicators
        on region_values.indicator = indicators.indicator and indicators.parent_indicator is null
    where region_values.entity_type in ('kabkota', 'provinsi')
),

region_pools as (
    select
        entity_type, year, jenjang, bentuk, status, indicator, peer_group,
        sum(value) as pool_sum,
        count(*) as pool_size,
        sum(std_error * std_error) as pool_variance_sum
    from region_members
    where in_pool
    group by entity_type, year, jenjang, bentuk, status, indicator, peer_group
),

region_peers as (
    select members.*, pools.pool_sum, pools.pool_size, pools.pool_variance_sum
    from region_members as members
    left join region_pools as pools
        on members.entity_type = pools.entity_type
        and members.year = pools.year
        and members.jenjang = pools.jenjang
        and members.bentuk = pools.bentuk
        and members.status = pools.status
        and members.indicator = pools.indicator
        and members.peer_group = pools.peer_group
),

-- A member's own value leaves the pool's sum and size; a pool nobody is in gives no peer value
-- and 0 peers.
final as (
    select
        entity_type, entity_code, year, jenjang, bentuk, status, indicator, peer_group,
        (pool_sum - case when in_pool then value else 0 end)
            / nullif(pool_size - case when in_pool then 1 else 0 end, 0) as peer_value,
        coalesce(pool_size, 0) - case when in_pool then 1 else 0 end as n_peers,
        -- Float noise can leave a hair below zero once the member's own variance is taken out
        -- (and greatest(null, 0) is 0 on both engines, hence the case).
        case when pool_variance_sum is not null then
            sqrt(greatest(pool_variance_sum - case when in_pool then std_error * std_error else 0 end, 0))
            / nullif(pool_size - case when in_pool then 1 else 0 end, 0)
        end as peer_std_error
    from (
        select * from school_peers
        union all
        select * from region_peers
    ) as peers
)

select * from final
