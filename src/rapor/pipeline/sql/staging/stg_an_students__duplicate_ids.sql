-- One row per (year, student_id) that appears more than once in the raw an_students file. Computed
-- once from the two key columns alone, so the wide file is not read twice for it.
select try_cast(year as integer) as year, trim(cast(student_id as varchar)) as student_id
from raw_an_students
group by try_cast(year as integer), trim(cast(student_id as varchar))
having count(*) > 1
