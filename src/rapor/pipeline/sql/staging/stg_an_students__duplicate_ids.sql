-- One row per (year, student_id) that appears more than once in the raw an_students file. Computed
-- once from the two key columns alone, so the wide file is not read twice for it.
-- Grouping 17 M distinct text ids is slow; grouping their 64-bit hashes is not. Equal keys have
-- equal hashes, so every duplicate is among the repeated hashes; the second, exact grouping only
-- sees the rows of those (normally none) and drops hash collisions.
with keys as not materialized (
    select try_cast(year as integer) as year, trim(cast(student_id as varchar)) as student_id
    from raw_an_students
),

repeated_hashes as (
    select hash(year, student_id) as key_hash
    from keys
    group by hash(year, student_id)
    having count(*) > 1
),

final as (
    select year, student_id
    from keys
    where hash(year, student_id) in (select key_hash from repeated_hashes)
    group by year, student_id
    having count(*) > 1
)

select * from final
