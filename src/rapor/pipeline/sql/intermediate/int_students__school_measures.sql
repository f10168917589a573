-- One row per school programme (school, year and the jenjang its students were tested at): the
-- number of students and the mean of every student measure, each on a 0-100 scale.
with students as (
    select * from stg_an_students where reject_reason is null
),

final as (
    select
        year,
        npsn,
        jenjang,
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
    group by year, npsn, jenjang
)

select * from final
