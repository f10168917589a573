-- One row per school programme (school, year, jenjang tested), indicator and ability level: `level`
-- is null for the indicator's own value and 1-4 for the share of students at that ability level.
-- A value from fewer respondents than `build_params.min_respondents` is marked suppressed.
with programmes as (
    select * from int_students__school_measures
),

teachers as (
    select * from int_teachers__school_measures
),

schools as (
    select * from int_schools__located
),

params as (
    select * from build_params
),

student_measures as (
    select year, npsn, jenjang, measure, measure_value
    from programmes
    unpivot (
        measure_value for measure in (
            literacy_meets_minimum, literacy_informational, literacy_literary, literacy_access,
            literacy_interpret, literacy_evaluate, numeracy_meets_minimum, numeracy_number,
            numeracy_geometry, numeracy_algebra, numeracy_data, character_index, learning_quality,
            learning_classroom_mgmt, learning_cognitive_activation, learning_affective_support,
            safety, safety_bullying, safety_punishment, safety_sexual_violence,
            literacy_level_1, literacy_level_2, literacy_level_3, literacy_level_4,
            numeracy_level_1, numeracy_level_2, numeracy_level_3, numeracy_level_4
        )
    )
),

-- The teacher survey describes the whole school: every programme of the school shares it.
teacher_measures as (
    select programmes.year, programmes.npsn, programmes.jenjang, surveyed.measure, surveyed.measure_value
    from programmes
    inner join (
        select year, npsn, measure, measure_value
        from teachers
        unpivot (
            measure_value for measure in (
                instructional_leadership, gender_equality, diversity, inclusivity
            )
        )
    ) as surveyed
        on programmes.year = surveyed.year and programmes.npsn = surveyed.npsn
),

indicator_values as (
    select
        measures.year, measures.npsn, measures.jenjang, indicators.indicator,
        cast(null as integer) as level, measures.measure_value as value, indicators.respondent
    from (
        select * from student_measures
        union all
        select * from teacher_measures
    ) as measures
    inner join cat_indicators as indicators on measures.measure = indicators.measure
),

ability_columns as (
    select
        measures.indicator,
        levels.level,
        concat(measures.level_measure, '_', cast(levels.level as varchar)) as measure
    from cat_ability_measures as measures
    cross join cat_ability_levels as levels
),

level_values as (
    select
        student_measures.year, student_measures.npsn, student_measures.jenjang,
        ability_columns.indicator, ability_columns.level,
        student_measures.measure_value as value, 'siswa' as respondent
    from student_measures
    inner join ability_columns on student_measures.measure = ability_columns.measure
),

final as (
    select
        all_values.year,
        all_values.npsn,
        all_values.jenjang,
        programmes.programme_bentuk,
        schools.status,
        schools.kabkota_code,
        schools.provinsi_code,
        schools.counts_in_region_values,
        all_values.indicator,
        all_values.level,
        all_values.value,
        case when all_values.respondent = 'siswa' then programmes.n_students end as n_students,
        case when all_values.respondent = 'guru' then teachers.n_teachers end as n_teachers,
        case when all_values.respondent = 'siswa' then programmes.n_students else teachers.n_teachers end
            < params.min_respondents as is_suppressed
    from (
        select * from indicator_values
        union all
        select * from level_values
    ) as all_values
    inner join programmes
        on all_values.year = programmes.year
        and all_values.npsn = programmes.npsn
        and all_values.jenjang = programmes.jenjang
    inner join schools on all_values.npsn = schools.npsn
    left join teachers on all_values.year = teachers.year and all_values.npsn = teachers.npsn
    cross join params
)

select * from final
