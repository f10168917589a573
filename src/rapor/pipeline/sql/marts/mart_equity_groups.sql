-- One row per entity (school, kab/kota, province, nation), year, jenjang, learning indicator (A.1,
-- A.2, A.3), equity dimension and group: the value of the group's sampled students pooled
-- (docs/equity.md). Schools have the student dimensions (`gender`, `ses_quintile`); regions
-- also the school ones (`status`: negeri/swasta, `lokasi`: perkotaan/perdesaan), pooled over the
-- schools that count in region values, all bentuk. A group of fewer students than
-- `build_params.min_respondents` is suppressed, and so is the smallest other group of its
-- dimension when it alone would give the small one away (`withheld` below). The interval treats
-- the group's students as a simple random sample: Wilson's for a share, the mean ± z standard
-- errors for a score.
with partials as (
    select * from int_equity_partials
),

school_groups as (
    select
        'sekolah' as entity_type, npsn as entity_code, year, jenjang, dimension, group_key,
        1 as n_schools, n_students, literacy_meets_minimum_sum, numeracy_meets_minimum_sum,
        character_index_sum, character_index_squares
    from partials
    where dimension in ('gender', 'ses_quintile')
),

-- Each programme under each jenjang group that offers its bentuk, as region values count it.
counted as (
    select partials.*, groups.jenjang as jenjang_group
    from partials
    inner join cat_filter_bentuk as groups on partials.programme_bentuk = groups.bentuk
    where partials.counts_in_region_values
),

region_members as (
    select
        kabkota_code, year, jenjang_group, dimension, group_key, n_students,
        literacy_meets_minimum_sum, numeracy_meets_minimum_sum, character_index_sum,
        character_index_squares
    from counted
    where dimension in ('gender', 'ses_quintile')
    union all
    select
        kabkota_code, year, jenjang_group, 'status', status, n_students,
        literacy_meets_minimum_sum, numeracy_meets_minimum_sum, character_index_sum,
        character_index_squares
    from counted
    where dimension = 'semua'
    union all
    select
        kabkota_code, year, jenjang_group, 'lokasi', lokasi, n_students,
        literacy_meets_minimum_sum, numeracy_meets_minimum_sum, character_index_sum,
        character_index_squares
    from counted
    where dimension = 'semua'
),

-- A school has one programme per jenjang group, so each member row is one school.
region_groups as (
    select
        regions.entity_type,
        regions.entity_code,
        members.year,
        members.jenjang_group as jenjang,
        members.dimension,
        members.group_key,
        count(*) as n_schools,
        -- A bigint, not DuckDB's 128-bit sum (written to Parquet as a double).
        cast(sum(members.n_students) as bigint) as n_students,
        sum(members.literacy_meets_minimum_sum) as literacy_meets_minimum_sum,
        sum(members.numeracy_meets_minimum_sum) as numeracy_meets_minimum_sum,
        sum(members.character_index_sum) as character_index_sum,
        sum(members.character_index_squares) as character_index_squares
    from region_members as members
    inner join int_region_memberships as regions on members.kabkota_code = regions.kabkota_code
    group by
        regions.entity_type, regions.entity_code, members.year, members.jenjang_group,
        members.dimension, members.group_key
),

all_groups as (
    select * from school_groups
    union all
    select * from region_groups
),

-- The three learning measures, one row each: the sum of the group's student values (and, for a
-- score, of their squares).
measured as (
    select
        all_groups.*, 'literacy_meets_minimum' as measure,
        literacy_meets_minimum_sum as value_sum, cast(null as double) as value_squares
    from all_groups
    union all
    select
        all_groups.*, 'numeracy_meets_minimum', numeracy_meets_minimum_sum, cast(null as double)
    from all_groups
    union all
    select all_groups.*, 'character_index', character_index_sum, character_index_squares
    from all_groups
),

-- Published where the catalogue publishes the indicator (levels and jenjang).
applicable as (
    select
        measured.*,
        indicators.indicator,
        indicators.unit,
        cast(measured.n_students as double) as n,
        measured.value_sum / measured.n_students as value,
        params.interval_z as z,
        params.min_respondents,
        measured.n_students < params.min_respondents as is_small
    from measured
    inner join cat_indicators as indicators
        on measured.measure = indicators.measure and indicators.parent_indicator is null
    inner join cat_indicator_levels as levels
        on indicators.indicator = levels.indicator and measured.entity_type = levels.entity_type
    inner join cat_indicator_jenjang as shown
        on indicators.indicator = shown.indicator and measured.jenjang = shown.jenjang
    cross join build_params as params
),

-- The groups of a dimension share out the entity's students, whose value is published, so a
-- single small group's value is the entity's less the others' (and several small groups of
-- fewer than `min_respondents` students together give their pooled value). Then the published
-- group with the fewest students is withheld too: two withheld groups of at least
-- `min_respondents` students together give nothing away.
ranked_groups as (
    select
        applicable.*,
        sum(case when is_small then 1 else 0 end) over (
            partition by entity_type, entity_code, year, jenjang, indicator, dimension
        ) as small_groups,
        sum(case when is_small then n_students else 0 end) over (
            partition by entity_type, entity_code, year, jenjang, indicator, dimension
        ) as small_students,
        row_number() over (
            partition by entity_type, entity_code, year, jenjang, indicator, dimension
            order by case when is_small then 1 else 0 end, n_students, group_key
        ) as size_order
    from applicable
),

withheld as (
    select
        ranked_groups.*,
        is_small or (
            size_order = 1
            and (small_groups = 1 or (small_groups > 1 and small_students < min_respondents))
        ) as is_suppressed
    from ranked_groups
),

intervals as (
    select
        withheld.*,
        -- Wilson's interval of a share (as fractions); a score's standard error. Float noise can
        -- leave the sum of squared deviations a hair below zero.
        case when unit = 'persen' then value / 100 end as p,
        case when unit <> 'persen' and n > 1 then sqrt(
            greatest(value_squares - value_sum * value_sum / n, 0) / (n - 1) / n
        ) end as score_std_error
    from withheld
),

final as (
    select
        entity_type,
        entity_code,
        year,
        jenjang,
        indicator,
        dimension,
        group_key,
        case when not is_suppressed then value end as value,
        n_schools,
        n_students,
        is_suppressed as suppressed,
        case when is_suppressed then null
            when p is not null then 100 * wilson_half / z
            else score_std_error
        end as std_error,
        case when is_suppressed then null
            when p is not null then 100 * (wilson_centre - wilson_half)
            else greatest(value - z * score_std_error, 0)
        end as ci_lower,
        case when is_suppressed then null
            when p is not null then 100 * (wilson_centre + wilson_half)
            else least(value + z * score_std_error, 100)
        end as ci_upper
    from (
        select
            intervals.*,
            (p + z * z / (2 * n)) / (1 + z * z / n) as wilson_centre,
            z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n) as wilson_half
        from intervals
    ) as with_wilson
)

select * from final
