-- One row per school programme (school, year, jenjang tested), indicator and ability level: `level`
-- is null for the indicator's own value and 1-4 for the share of students at that level.
-- A value from fewer respondents than `build_params.min_respondents` is marked suppressed.
-- A value from sampled students (a `siswa` indicator's own value) has a standard error and a 95 %
-- interval: Wilson's for a share of students (unit `persen`), the mean plus or minus
-- `interval_z` standard errors otherwise (docs/uncertainty.md). Teachers answer as a census.
-- Everything (school, teacher survey, peer group) is joined while there is one row per programme;
-- the unpivot comes last, so the tens of millions of long rows only meet the tiny catalogue tables.
-- A view (see _models.yml): each user redoes the cheap unpivot instead of storing ~22 M rows.
with programmes as (
    select * from int_students__school_measures
),

teachers as (
    select * from int_teachers__school_measures
),

schools as (
    select * from int_schools__located
),

peer_groups as (
    select * from int_school_peer_groups
),

params as (
    select * from build_params
),

-- The teacher survey describes the whole school: every programme of the school shares it.
wide as (
    select
        programmes.*,
        schools.status,
        schools.kabkota_code,
        schools.counts_in_region_values,
        -- Joined here, once per programme, rather than to the long rows in mart_peer_values.
        peer_groups.peer_group,
        -- A school whose teachers did not answer still gets (suppressed) teacher-survey rows.
        coalesce(teachers.n_teachers, 0) as n_teachers,
        teachers.instructional_leadership,
        teachers.gender_equality,
        teachers.diversity,
        teachers.inclusivity,
        -- The partner of a measure without a standard error in the unpivot below.
        cast(null as double) as no_std_error
    from programmes
    inner join schools on programmes.npsn = schools.npsn
    left join teachers on programmes.year = teachers.year and programmes.npsn = teachers.npsn
    left join peer_groups
        on programmes.npsn = peer_groups.entity_code
        and programmes.year = peer_groups.year
        and programmes.jenjang = peer_groups.jenjang
),

long as (
    select *
    from wide
    unpivot include nulls (
        (measure_value, measure_std_error) for measure in (
            (literacy_informational, literacy_informational__std_error) as literacy_informational,
            (literacy_literary, literacy_literary__std_error) as literacy_literary,
            (literacy_access, literacy_access__std_error) as literacy_access,
            (literacy_interpret, literacy_interpret__std_error) as literacy_interpret,
            (literacy_evaluate, literacy_evaluate__std_error) as literacy_evaluate,
            (numeracy_number, numeracy_number__std_error) as numeracy_number,
            (numeracy_geometry, numeracy_geometry__std_error) as numeracy_geometry,
            (numeracy_algebra, numeracy_algebra__std_error) as numeracy_algebra,
            (numeracy_data, numeracy_data__std_error) as numeracy_data,
            (character_index, character_index__std_error) as character_index,
            (learning_quality, learning_quality__std_error) as learning_quality,
            (learning_classroom_mgmt, learning_classroom_mgmt__std_error) as learning_classroom_mgmt,
            (learning_cognitive_activation, learning_cognitive_activation__std_error) as learning_cognitive_activation,
            (learning_affective_support, learning_affective_support__std_error) as learning_affective_support,
            (safety, safety__std_error) as safety,
            (safety_bullying, safety_bullying__std_error) as safety_bullying,
            (safety_punishment, safety_punishment__std_error) as safety_punishment,
            (safety_sexual_violence, safety_sexual_violence__std_error) as safety_sexual_violence,
            (literacy_meets_minimum, no_std_error) as literacy_meets_minimum,
            (numeracy_meets_minimum, no_std_error) as numeracy_meets_minimum,
            (instructional_leadership, no_std_error) as instructional_leadership,
            (gender_equality, no_std_error) as gender_equality,
            (diversity, no_std_error) as diversity,
            (inclusivity, no_std_error) as inclusivity,
            (literacy_level_1, no_std_error) as literacy_level_1,
            (literacy_level_2, no_std_error) as literacy_level_2,
            (literacy_level_3, no_std_error) as literacy_level_3,
            (literacy_level_4, no_std_error) as literacy_level_4,
            (numeracy_level_1, no_std_error) as numeracy_level_1,
            (numeracy_level_2, no_std_error) as numeracy_level_2,
            (numeracy_level_3, no_std_error) as numeracy_level_3,
            (numeracy_level_4, no_std_error) as numeracy_level_4
        )
    )
),

-- Which catalogue indicator (and ability level) each measure column feeds.
measure_targets as (
    select measure, indicator, cast(null as integer) as level, respondent, unit
    from cat_indicators
    where measure is not null
    union all
    select
        concat(measures.level_measure, '_', cast(levels.level as varchar)),
        measures.indicator,
        levels.level,
        'siswa',
        'persen'
    from cat_ability_measures as measures
    cross join cat_ability_levels as levels
),

joined as (
    select
        long.*,
        targets.indicator,
        targets.level,
        targets.respondent,
        -- A share of sampled students gets Wilson's interval: its centre and half-width, as
        -- fractions, from the share p and the n students.
        case when targets.respondent = 'siswa' and targets.level is null and targets.unit = 'persen'
            then long.measure_value / 100 end as p,
        cast(long.n_students as double) as n,
        params.interval_z as z,
        params.min_respondents
    from long
    inner join measure_targets as targets on long.measure = targets.measure
    cross join params
),

final as (
    select
        year,
        npsn,
        jenjang,
        programme_bentuk,
        status,
        kabkota_code,
        counts_in_region_values,
        peer_group,
        indicator,
        level,
        measure_value as value,
        case when respondent = 'siswa' then n_students end as n_students,
        case when respondent = 'guru' then n_teachers end as n_teachers,
        case when respondent = 'siswa' then n_students else n_teachers end
            < min_respondents as is_suppressed,
        case
            when p is not null then 100 * wilson_half / z
            else measure_std_error
        end as std_error,
        case
            when p is not null then 100 * (wilson_centre - wilson_half)
            -- Not greatest(null, 0): both engines skip nulls there and would give 0.
            when measure_std_error is not null then greatest(measure_value - z * measure_std_error, 0)
        end as ci_lower,
        case
            when p is not null then 100 * (wilson_centre + wilson_half)
            when measure_std_error is not null then least(measure_value + z * measure_std_error, 100)
        end as ci_upper
    from (
        select
            joined.*,
            (p + z * z / (2 * n)) / (1 + z * z / n) as wilson_centre,
            z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n) as wilson_half
        from joined
    ) as intervals
)

select * from final
