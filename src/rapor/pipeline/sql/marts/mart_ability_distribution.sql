-- One row per entity, year, filter combination, literacy/numeracy indicator and ability level: the
-- share of students at that level (a school), or the mean of its schools' shares (a region).
with school_rows as (
    select
        'sekolah' as entity_type, npsn as entity_code, year, jenjang,
        programme_bentuk as bentuk, status, indicator, level, value,
        1 as n_schools, n_students, is_suppressed
    from int_school_values
    where level is not null
),

region_rows as (
    select
        entity_type, entity_code, year, jenjang, bentuk, status, indicator, level, value,
        n_schools, n_students, n_schools = 0 as is_suppressed
    from int_region_values
    where level is not null
),

final as (
    select
        all_rows.entity_type,
        all_rows.entity_code,
        all_rows.year,
        all_rows.jenjang,
        all_rows.bentuk,
        all_rows.status,
        all_rows.indicator,
        all_rows.level,
        levels.label_key as level_key,
        case when all_rows.is_suppressed then null else all_rows.value end as share_pct,
        all_rows.n_schools,
        all_rows.n_students,
        all_rows.is_suppressed as suppressed
    from (
        select * from school_rows
        union all
        select * from region_rows
    ) as all_rows
    inner join cat_ability_levels as levels on all_rows.level = levels.level
)

select * from final
