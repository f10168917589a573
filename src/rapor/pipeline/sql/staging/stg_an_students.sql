-- One row per row of the raw AN student file: typed, with the first validation rule it breaks
-- (`reject_reason` is null for a valid row). Students of rejected schools are orphans.
with source as (
    select
        _source_row,
        try_cast(year as integer) as year,
        -- Casting rounds 2.5 to 3: keep the number to check it is whole.
        try_cast(year as double) as year__number,
        trim(cast(npsn as varchar)) as npsn,
        trim(cast(student_id as varchar)) as student_id,
        lower(trim(cast(jenjang as varchar))) as jenjang,
        try_cast(grade as integer) as grade,
        try_cast(grade as double) as grade__number,
        upper(trim(cast(gender as varchar))) as gender,
        try_cast(ses_index as double) as ses_index,
        try_cast(literacy_level as integer) as literacy_level,
        try_cast(literacy_level as double) as literacy_level__number,
        try_cast(numeracy_level as integer) as numeracy_level,
        try_cast(numeracy_level as double) as numeracy_level__number,
        try_cast(literacy_score as double) as literacy_score,
        try_cast(literacy_informational as double) as literacy_informational,
        try_cast(literacy_literary as double) as literacy_literary,
        try_cast(literacy_access as double) as literacy_access,
        try_cast(literacy_interpret as double) as literacy_interpret,
        try_cast(literacy_evaluate as double) as literacy_evaluate,
        try_cast(numeracy_score as double) as numeracy_score,
        try_cast(numeracy_number as double) as numeracy_number,
        try_cast(numeracy_geometry as double) as numeracy_geometry,
        try_cast(numeracy_algebra as double) as numeracy_algebra,
        try_cast(numeracy_data as double) as numeracy_data,
        try_cast(character_index as double) as character_index,
        try_cast(learning_classroom_mgmt as double) as learning_classroom_mgmt,
        try_cast(learning_cognitive_activation as double) as learning_cognitive_activation,
        try_cast(learning_affective_support as double) as learning_affective_support,
        try_cast(safety_bullying as double) as safety_bullying,
        try_cast(safety_punishment as double) as safety_punishment,
        try_cast(safety_sexual_violence as double) as safety_sexual_violence
    from raw_an_students
),

valid_schools as (
    select npsn, bentuk from stg_schools where reject_reason is null
),

final as (
    select
        source.*,
        programmes.programme_bentuk,
        -- Range rules read `x is null or x not between ...` rather than
        -- `not coalesce(x between ..., false)`: DuckDB tests plain comparisons on the rows still
        -- undecided, where coalesce first computes a whole vector (~10 % of this pass).
        case
            when source.year__number is distinct from source.year
                then format('year {} is not a whole number', cast(source.year__number as varchar))
            when source.grade__number is distinct from source.grade
                then format('grade {} is not a whole number', cast(source.grade__number as varchar))
            when source.literacy_level__number is distinct from source.literacy_level
                then format('literacy_level {} is not a whole number', cast(source.literacy_level__number as varchar))
            when source.numeracy_level__number is distinct from source.numeracy_level
                then format('numeracy_level {} is not a whole number', cast(source.numeracy_level__number as varchar))
            when source.year is null then 'year is missing or not a whole number'
            when source.student_id is null or source.student_id = '' then 'student_id is empty'
            when duplicated_ids.student_id is not null
                then format('student_id {} appears more than once in {}', source.student_id, source.year)
            when valid_schools.npsn is null
                then format('npsn {} is not a valid school', coalesce(source.npsn, 'NULL'))
            when programmes.jenjang is null
                then format('jenjang {} is not taught at a {} school', coalesce(source.jenjang, 'NULL'), valid_schools.bentuk)
            when source.gender is null or source.gender not in ('L', 'P')
                then format('unknown gender {}', coalesce(source.gender, 'NULL'))
            when source.ses_index is null or source.ses_index not between -10 and 10
                then format('ses_index {} is missing or outside -10 to 10', coalesce(cast(source.ses_index as varchar), 'NULL'))
            when source.literacy_level is null or source.literacy_level not between 1 and 4
                then format('literacy_level {} is not 1-4', coalesce(cast(source.literacy_level as varchar), 'NULL'))
            when source.numeracy_level is null or source.numeracy_level not between 1 and 4
                then format('numeracy_level {} is not 1-4', coalesce(cast(source.numeracy_level as varchar), 'NULL'))
            when source.literacy_score is null or source.literacy_score not between 0 and 100
                then format('literacy_score {} is missing or outside 0-100', coalesce(cast(source.literacy_score as varchar), 'NULL'))
            when source.literacy_informational is null or source.literacy_informational not between 0 and 100
                then format('literacy_informational {} is missing or outside 0-100', coalesce(cast(source.literacy_informational as varchar), 'NULL'))
            when source.literacy_literary is null or source.literacy_literary not between 0 and 100
                then format('literacy_literary {} is missing or outside 0-100', coalesce(cast(source.literacy_literary as varchar), 'NULL'))
            when source.literacy_access is null or source.literacy_access not between 0 and 100
                then format('literacy_access {} is missing or outside 0-100', coalesce(cast(source.literacy_access as varchar), 'NULL'))
            when source.literacy_interpret is null or source.literacy_interpret not between 0 and 100
                then format('literacy_interpret {} is missing or outside 0-100', coalesce(cast(source.literacy_interpret as varchar), 'NULL'))
            when source.literacy_evaluate is null or source.literacy_evaluate not between 0 and 100
                then format('literacy_evaluate {} is missing or outside 0-100', coalesce(cast(source.literacy_evaluate as varchar), 'NULL'))
            when source.numeracy_score is null or source.numeracy_score not between 0 and 100
                then format('numeracy_score {} is missing or outside 0-100', coalesce(cast(source.numeracy_score as varchar), 'NULL'))
            when source.numeracy_number is null or source.numeracy_number not between 0 and 100
                then format('numeracy_number {} is missing or outside 0-100', coalesce(cast(source.numeracy_number as varchar), 'NULL'))
            when source.numeracy_geometry is null or source.numeracy_geometry not between 0 and 100
                then format('numeracy_geometry {} is missing or outside 0-100', coalesce(cast(source.numeracy_geometry as varchar), 'NULL'))
            when source.numeracy_algebra is null or source.numeracy_algebra not between 0 and 100
                then format('numeracy_algebra {} is missing or outside 0-100', coalesce(cast(source.numeracy_algebra as varchar), 'NULL'))
            when source.numeracy_data is null or source.numeracy_data not between 0 and 100
                then format('numeracy_data {} is missing or outside 0-100', coalesce(cast(source.numeracy_data as varchar), 'NULL'))
            when source.character_index is null or source.character_index not between 0 and 100
                then format('character_index {} is missing or outside 0-100', coalesce(cast(source.character_index as varchar), 'NULL'))
            when source.learning_classroom_mgmt is null or source.learning_classroom_mgmt not between 0 and 100
                then format('learning_classroom_mgmt {} is missing or outside 0-100', coalesce(cast(source.learning_classroom_mgmt as varchar), 'NULL'))
            when source.learning_cognitive_activation is null or source.learning_cognitive_activation not between 0 and 100
                then format('learning_cognitive_activation {} is missing or outside 0-100', coalesce(cast(source.learning_cognitive_activation as varchar), 'NULL'))
            when source.learning_affective_support is null or source.learning_affective_support not between 0 and 100
                then format('learning_affective_support {} is missing or outside 0-100', coalesce(cast(source.learning_affective_support as varchar), 'NULL'))
            when source.safety_bullying is null or source.safety_bullying not between 0 and 100
                then format('safety_bullying {} is missing or outside 0-100', coalesce(cast(source.safety_bullying as varchar), 'NULL'))
            when source.safety_punishment is null or source.safety_punishment not between 0 and 100
                then format('safety_punishment {} is missing or outside 0-100', coalesce(cast(source.safety_punishment as varchar), 'NULL'))
            when source.safety_sexual_violence is null or source.safety_sexual_violence not between 0 and 100
                then format('safety_sexual_violence {} is missing or outside 0-100', coalesce(cast(source.safety_sexual_violence as varchar), 'NULL'))
        end as reject_reason
    from source
    left join valid_schools on source.npsn = valid_schools.npsn
    left join cat_programmes as programmes
        on valid_schools.bentuk = programmes.school_bentuk and source.jenjang = programmes.jenjang
    left join stg_an_students__duplicate_ids as duplicated_ids
        on source.year = duplicated_ids.year and source.student_id = duplicated_ids.student_id
)

select * from final
