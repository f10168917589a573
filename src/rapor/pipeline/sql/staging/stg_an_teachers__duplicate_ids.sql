-- One row per (year, respondent_id) that appears more than once in the raw an_teachers file. Computed
-- once from the two key columns alone, so the wide file is not read twice for it.
select try_cast(year as integer) as year, trim(cast(respondent_id as varchar)) as respondent_id
from raw_an_teachers
group by try_cast(year as integer), trim(cast(respondent_id as varchar))
having count(*) > 1
