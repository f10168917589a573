-- One row per (year, respondent_id) that appears more than once in the raw an_teachers file.
-- Computed once from the two key columns alone, so the wide file is not read twice for it; repeated
-- hashes first, then the exact keys, as in stg_an_students__duplicate_ids.
with keys as not materialized (
    select try_cast(year as integer) as year, trim(cast(respondent_id as varchar)) as respondent_id
    from raw_an_teachers
),

repeated_hashes as (
    select hash(year, respondent_id) as key_hash
    from keys
    group by hash(year, respondent_id)
    having count(*) > 1
),

final as (
    select year, respondent_id
    from keys
    where hash(year, respondent_id) in (select key_hash from repeated_hashes)
    group by year, respondent_id
    having count(*) > 1
)

select * from final
