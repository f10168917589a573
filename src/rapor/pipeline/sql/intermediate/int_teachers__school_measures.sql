-- One row per school and survey year: the number of responding teachers and principals and the
-- mean of every teacher-survey measure (0-100).
select
    year,
    npsn,
    n_teachers,
    instructional_leadership,
    gender_equality,
    diversity,
    inclusivity
from stg_an_teachers__by_school
where reject_reason is null
