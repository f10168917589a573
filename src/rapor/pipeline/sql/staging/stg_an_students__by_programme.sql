-- One row per school programme (school, year, jenjang tested) for its valid students
-- (`reject_reason` null): their number and the mean of every student measure on a 0-100 scale;
-- plus one row per rejected student, with its file row, id and reason. Both come from one pass
-- over the wide AN student file: rejected students are few, and reading the file once instead of
-- twice (once for rejects, once for the means) saves about a third of the validation time.
with students as (
    select
        *,
        -- A rejected student is a group of its own; valid students group by programme.
        case when reject_reason is not null then _source_row end as rejected_row,
        case when reject_reason is not null then student_id end as rejected_student_id
    from stg_an_students
),

final as (
    select
        year,
        npsn,
        jenjang,
        reject_reason,
        rejected_row,
        rejected_student_id,
        min(programme_bentuk) as programme_bentuk,
        count(*) as n_students,
        avg(case when literacy_level >= 3 then 100.0 else 0.0 end) as literacy_meets_minimum,
        avg(literacy_informational) as literacy_informational,
        avg(literacy_literary) as literacy_literary,
        avg(literacy_access) as literacy_access,
        avg(literacy_interpret) as literacy_interpret,
        avg(literacy_evaluate) as literacy_evaluate,
        avg(case when numeracy_level >= 3 then 100.0 else 0.0 end) as numeracy_meets_minimum,
        avg(numeracy_number) as numeracy_number,
        avg(numeracy_geometry) as numeracy_geometry,
        avg(numeracy_algebra) as numeracy_algebra,
        avg(numeracy_data) as numeracy_data,
        avg(character_index) as character_index,
        avg(
            (learning_classroom_mgmt + learning_cognitive_activation + learning_affective_support) / 3
        ) as learning_quality,
        avg(learning_classroom_mgmt) as learning_classroom_mgmt,
        avg(learning_cognitive_activation) as learning_cognitive_activation,
        avg(learning_affective_support) as learning_affective_support,
        avg((safety_bullying + safety_punishment + safety_sexual_violence) / 3) as safety,
        avg(safety_bullying) as safety_bullying,
        avg(safety_punishment) as safety_punishment,
        avg(safety_sexual_violence) as safety_sexual_violence,
        -- Shares of students at each ability level, for the distribution charts.
        avg(case when literacy_level = 1 then 100.0 else 0.0 end) as literacy_level_1,
        avg(case when literacy_level = 2 then 100.0 else 0.0 end) as literacy_level_2,
        avg(case when literacy_level = 3 then 100.0 else 0.0 end) as literacy_level_3,
        avg(case when literacy_level = 4 then 100.0 else 0.0 end) as literacy_level_4,
        avg(case when numeracy_level = 1 then 100.0 else 0.0 end) as numeracy_level_1,
        avg(case when numeracy_level = 2 then 100.0 else 0.0 end) as numeracy_level_2,
        avg(case when numeracy_level = 3 then 100.0 else 0.0 end) as numeracy_level_3,
        avg(case when numeracy_level = 4 then 100.0 else 0.0 end) as numeracy_level_4
    from students
    group by year, npsn, jenjang, reject_reason, rejected_row, rejected_student_id
)

select * from final
