-- One row per school and survey year: the number of responding teachers and principals and the
-- mean of every teacher-survey measure (0-100).
with teachers as (
    select * from stg_an_teachers where reject_reason is null
),

final as (
    select
        year,
        npsn,
        count(*) as n_teachers,
        avg(instructional_leadership) as instructional_leadership,
        avg(gender_equality) as gender_equality,
        avg(diversity) as diversity,
        avg(inclusivity) as inclusivity
    from teachers
    group by year, npsn
)

select * from final
