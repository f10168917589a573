-- One row per school and survey year for its valid respondents (`reject_reason` null): their
-- number and the mean of every teacher-survey measure (0-100); plus one row per rejected
-- respondent, with its file row, id and reason. Both come from one pass over the teacher file,
-- as for the students (stg_an_students__by_programme): the rejects report and the school means
-- used to validate the file twice.
with teachers as (
    select
        *,
        -- A rejected respondent is a group of its own; valid respondents group by school.
        case when reject_reason is not null then _source_row end as rejected_row,
        case when reject_reason is not null then respondent_id end as rejected_respondent_id
    from stg_an_teachers
),

final as (
    select
        year,
        npsn,
        reject_reason,
        rejected_row,
        rejected_respondent_id,
        count(*) as n_teachers,
        avg(instructional_leadership) as instructional_leadership,
        avg(gender_equality) as gender_equality,
        avg(diversity) as diversity,
        avg(inclusivity) as inclusivity
    from teachers
    group by year, npsn, reject_reason, rejected_row, rejected_respondent_id
)

select * from final
