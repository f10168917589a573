-- One row per school programme (school, year, jenjang tested) for its valid students
-- (`reject_reason` null): their number and the mean of every student measure on a 0-100 scale,
-- with the standard error of each score mean (`<measure>__std_error`: the sampled students'
-- standard deviation over the square root of their number; docs/uncertainty.md);
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
        stddev_samp(literacy_informational) / sqrt(count(*)) as literacy_informational__std_error,
        avg(literacy_literary) as literacy_literary,
        stddev_samp(literacy_literary) / sqrt(count(*)) as literacy_literary__std_error,
        avg(literacy_access) as literacy_access,
        stddev_samp(literacy_access) / sqrt(count(*)) as literacy_access__std_error,
        avg(literacy_interpret) as literacy_interpret,
        stddev_samp(literacy_interpret) / sqrt(count(*)) as literacy_interpret__std_error,
        avg(literacy_evaluate) as literacy_evaluate,
        stddev_samp(literacy_evaluate) / sqrt(count(*)) as literacy_evaluate__std_error,
        avg(case when numeracy_level >= 3 then 100.0 else 0.0 end) as numeracy_meets_minimum,
        avg(numeracy_number) as numeracy_number,
        stddev_samp(numeracy_number) / sqrt(count(*)) as numeracy_number__std_error,
        avg(numeracy_geometry) as numeracy_geometry,
        stddev_samp(numeracy_geometry) / sqrt(count(*)) as numeracy_geometry__std_error,
        avg(numeracy_algebra) as numeracy_algebra,
        stddev_samp(numeracy_algebra) / sqrt(count(*)) as numeracy_algebra__std_error,
        avg(numeracy_data) as numeracy_data,
        stddev_samp(numeracy_data) / sqrt(count(*)) as numeracy_data__std_error,
        avg(character_index) as character_index,
        stddev_samp(character_index) / sqrt(count(*)) as character_index__std_error,
        avg(
            (learning_classroom_mgmt + learning_cognitive_activation + learning_affective_support) / 3
        ) as learning_quality,
        stddev_samp(
            (learning_classroom_mgmt + learning_cognitive_activation + learning_affective_support) / 3
        ) / sqrt(count(*)) as learning_quality__std_error,
        avg(learning_classroom_mgmt) as learning_classroom_mgmt,
        stddev_samp(learning_classroom_mgmt) / sqrt(count(*)) as learning_classroom_mgmt__std_error,
        avg(learning_cognitive_activation) as learning_cognitive_activation,
        stddev_samp(learning_cognitive_activation) / sqrt(count(*)) as learning_cognitive_activation__std_error,
        avg(learning_affective_support) as learning_affective_support,
        stddev_samp(learning_affective_support) / sqrt(count(*)) as learning_affective_support__std_error,
        avg((safety_bullying + safety_punishment + safety_sexual_violence) / 3) as safety,
        stddev_samp((safety_bullying + safety_punishment + safety_sexual_violence) / 3)
            / sqrt(count(*)) as safety__std_error,
        avg(safety_bullying) as safety_bullying,
        stddev_samp(safety_bullying) / sqrt(count(*)) as safety_bullying__std_error,
        avg(safety_punishment) as safety_punishment,
        stddev_samp(safety_punishment) / sqrt(count(*)) as safety_punishment__std_error,
        avg(safety_sexual_violence) as safety_sexual_violence,
        stddev_samp(safety_sexual_violence) / sqrt(count(*)) as safety_sexual_violence__std_error,
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
