-- One row per entity (school, kab/kota, province, nation), year, filter combination and indicator:
-- the published value and its label, or a suppressed row that says why there is no number.
-- School rows carry the school's own programme jenjang, bentuk and status.
with school_rows as (
    select
        'sekolah' as entity_type,
        npsn as entity_code,
        year, jenjang, programme_bentuk as bentuk, status, indicator, value,
        1 as n_schools, n_students, n_teachers,
        is_suppressed,
        case when is_suppressed then 'few_respondents' end as suppression_reason
    from int_school_values
    where level is null
),

region_rows as (
    select
        entity_type, entity_code, year, jenjang, bentuk, status, indicator, value,
        n_schools, n_students, n_teachers,
        n_schools = 0 as is_suppressed,
        case when n_schools = 0 then 'all_schools_suppressed' end as suppression_reason
    from int_region_values
    where level is null
),

participation_rows as (
    select
        entity_type, entity_code, year, jenjang, 'semua' as bentuk, 'semua' as status, indicator,
        value,
        cast(null as bigint) as n_schools, enrolled as n_students, cast(null as bigint) as n_teachers,
        value is null as is_suppressed,
        case when value is null then 'no_population' end as suppression_reason
    from int_participation
    where ses_quintile is null
),

all_rows as (
    select * from school_rows
    union all
    select * from region_rows
    union all
    select * from participation_rows
),

-- Publish an indicator only at the levels and jenjang the catalogue gives it: the pairs are
-- combined first (a few hundred rows) so the long rows meet one join, not two.
scopes as (
    select levels.indicator, levels.entity_type, jenjang.jenjang
    from cat_indicator_levels as levels
    inner join cat_indicator_jenjang as jenjang on levels.indicator = jenjang.indicator
),

applicable as (
    select all_rows.*
    from all_rows
    inner join scopes
        on all_rows.indicator = scopes.indicator
        and all_rows.entity_type = scopes.entity_type
        and all_rows.jenjang = scopes.jenjang
),

final as (
    select
        applicable.entity_type,
        applicable.entity_code,
        applicable.year,
        applicable.jenjang,
        applicable.bentuk,
        applicable.status,
        applicable.indicator,
        case when applicable.is_suppressed then null else applicable.value end as value,
        case when applicable.is_suppressed then null else bands.label_id end as label,
        case when applicable.is_suppressed then null else bands.label_key end as label_key,
        applicable.n_schools,
        applicable.n_students,
        applicable.n_teachers,
        applicable.is_suppressed as suppressed,
        applicable.suppression_reason
    from applicable
    -- Banded on the value rounded to 9 decimals: a mean summed in another thread order (40 vs
    -- 39.99999999999999) must not change its label from one build to the next.
    left join cat_bands as bands
        on applicable.indicator = bands.indicator
        and (bands.lower_bound is null or round(applicable.value, 9) >= bands.lower_bound)
        and (bands.upper_bound is null or round(applicable.value, 9) < bands.upper_bound)
)

select * from final
