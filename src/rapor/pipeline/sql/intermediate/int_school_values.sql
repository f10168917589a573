-- One row per school programme (school, year, jenjang tested), indicator and ability level: `level`
-- is null for the indicator's own value and 1-4 for the share of students at that level.
-- A value from fewer respondents than `build_params.min_respondents` is marked suppressed.
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
        teachers.inclusivity
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
        measure_value for measure in (
            literacy_meets_minimum, literacy_informational, literacy_literary, literacy_access,
            literacy_interpret, literacy_evaluate, numeracy_meets_minimum, numeracy_number,
            numeracy_geometry, numeracy_algebra, numeracy_data, character_index, learning_quality,
            learning_classroom_mgmt, learning_cognitive_activation, learning_affective_support,
            safety, safety_bullying, safety_punishment, safety_sexual_violence,
            instructional_leadership, gender_equality, diversity, inclusivity,
            literacy_level_1, literacy_level_2, literacy_level_3, literacy_level_4,
            numeracy_level_1, numeracy_level_2, numeracy_level_3, numeracy_level_4
        )
    )
),

-- Which catalogue indicator (and ability level) each measure column feeds.
measure_targets as (
    select measure, indicator, cast(null as integer) as level, respondent
    from cat_indicators
    where measure is not null
    union all
    select
        concat(measures.level_measure, '_', cast(levels.level as varchar)),
        measures.indicator,
        levels.level,
        'siswa'
    from cat_ability_measures as measures
    cross join cat_ability_levels as levels
),

final as (
    select
        long.year,
        long.npsn,
        long.jenjang,
        long.programme_bentuk,
        long.status,
        long.kabkota_code,
        long.counts_in_region_values,
        long.peer_group,
        targets.indicator,
        targets.level,
        long.measure_value as value,
        case when targets.respondent = 'siswa' then long.n_students end as n_students,
        case when targets.respondent = 'guru' then long.n_teachers end as n_teachers,
        case when targets.respondent = 'siswa' then long.n_students else long.n_teachers end
            < params.min_respondents as is_suppressed
    from long
    inner join measure_targets as targets on long.measure = targets.measure
    cross join params
)

select * from final
