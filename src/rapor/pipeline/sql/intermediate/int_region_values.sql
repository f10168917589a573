-- One row per region (kab/kota, province, nation), year, dashboard filter (jenjang group; bentuk or
-- `semua`; status or `semua`), indicator and ability level: the mean of its schools' values, each
-- school counting once, and the standard error of that mean from the schools' own (the schools
-- are fixed; their students are the sample: docs/uncertainty.md).
with partials as (
    select * from int_region_partials
),

memberships as (
    select partials.*, groups.jenjang as jenjang_group
    from partials
    inner join cat_filter_bentuk as groups on partials.programme_bentuk = groups.bentuk
),

bentuk_choices as (
    select * from (values (true), (false)) as choices (by_bentuk)
),

status_choices as (
    select * from (values (true), (false)) as choices (by_status)
),

expanded as (
    select
        regions.entity_type,
        regions.entity_code,
        memberships.year,
        memberships.jenjang_group as jenjang,
        case when bentuk_choices.by_bentuk then memberships.programme_bentuk else 'semua' end as bentuk,
        case when status_choices.by_status then memberships.status else 'semua' end as status,
        memberships.indicator,
        memberships.level,
        memberships.value_sum,
        memberships.n_schools,
        memberships.n_schools_suppressed,
        memberships.n_students,
        memberships.n_teachers,
        memberships.variance_sum
    from memberships
    inner join int_region_memberships as regions
        on memberships.kabkota_code = regions.kabkota_code
    cross join bentuk_choices
    cross join status_choices
),

final as (
    select
        entity_type,
        entity_code,
        year,
        jenjang,
        bentuk,
        status,
        indicator,
        level,
        sum(value_sum) / nullif(sum(n_schools), 0) as value,
        cast(sum(n_schools) as bigint) as n_schools,
        cast(sum(n_schools_suppressed) as bigint) as n_schools_suppressed,
        cast(sum(n_students) as bigint) as n_students,
        cast(sum(n_teachers) as bigint) as n_teachers,
        sqrt(sum(variance_sum)) / nullif(sum(n_schools), 0) as std_error
    from expanded
    group by entity_type, entity_code, year, jenjang, bentuk, status, indicator, level
)

select * from final
