-- One row per entity (school, kab/kota, province, nation), year, filter combination and indicator:
-- the published value and its label, or a suppressed row that says why there is no number.
-- School rows carry the school's own programme jenjang, bentuk and status. A value from sampled
-- students carries its standard error and 95 % interval (int_school_values; a region's is its
-- mean plus or minus `interval_z` standard errors, within the 0-100 scale of student measures).
with school_rows as (
    select
        'sekolah' as entity_type,
        npsn as entity_code,
        year, jenjang, programme_bentuk as bentuk, status, indicator, value,
        1 as n_schools, n_students, n_teachers,
        is_suppressed,
        case when is_suppressed then 'few_respondents' end as suppression_reason,
        std_error, ci_lower, ci_upper
    from int_school_values
    where level is null
),

region_rows as (
    select
        entity_type, entity_code, year, jenjang, bentuk, status, indicator, value,
        n_schools, n_students, n_teachers,
        n_schools = 0 as is_suppressed,
        case when n_schools = 0 then 'all_schools_suppressed' end as suppression_reason,
        std_error,
        -- Not greatest(null, 0), which is 0 on both engines.
        case when std_error is not null
            then greatest(value - params.interval_z * std_error, 0) end as ci_lower,
        case when std_error is not null
            then least(value + params.interval_z * std_error, 100) end as ci_upper
    from int_region_values
    cross join build_params as params
    where level is null
),

participation_rows as (
    select
        entity_type, entity_code, year, jenjang, 'semua' as bentuk, 'semua' as status, indicator,
        value,
        cast(null as bigint) as n_schools, enrolled as n_students, cast(null as bigint) as n_teachers,
        value is null as is_suppressed,
        case when value is null then 'no_population' end as suppression_reason,
        -- BPS publishes these without a sampling error.
        cast(null as double) as std_error,
        cast(null as double) as ci_lower,
        cast(null as double) as ci_upper
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

-- `printed`: the value as the pages print it, two decimals, so that 69.996 printed "70,00" is
-- labelled as 70 is. Rounded to 9 decimals first: a mean summed in another thread order (40 vs
-- 39.99999999999999) must not change its label from one build to the next. Rounded as a
-- decimal, half up, as the pages round: 39.995 is printed "40,00", though the double nearest to
-- it is a hair below. mart_participation_by_ses and mart_rank_bands print values the same way.
applicable as (
    select
        all_rows.*,
        round(cast(round(all_rows.value, 9) as decimal(18, 9)), 2) as printed
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
        applicable.suppression_reason,
        case when not applicable.is_suppressed then applicable.std_error end as std_error,
        case when not applicable.is_suppressed then applicable.ci_lower end as ci_lower,
        case when not applicable.is_suppressed then applicable.ci_upper end as ci_upper
    from applicable
    left join cat_bands as bands
        on applicable.indicator = bands.indicator
        and (bands.lower_bound is null or applicable.printed >= bands.lower_bound)
        and (bands.upper_bound is null or applicable.printed < bands.upper_bound)
)

select * from final
