-- One row per year, kab/kota, programme bentuk, school status, indicator and ability level: the
-- sums region means are made of, over the schools that count in region values. Suppressed school
-- values are left out of the sums and counted apart.
with school_values as (
    select * from int_school_values where counts_in_region_values
),

final as (
    select
        year,
        kabkota_code,
        programme_bentuk,
        status,
        indicator,
        level,
        coalesce(sum(case when not is_suppressed then value end), 0) as value_sum,
        count(case when not is_suppressed then 1 end) as n_schools,
        count(case when is_suppressed then 1 end) as n_schools_suppressed,
        -- Suppressed schools add 0 respondents; a count that does not apply (n_students of a
        -- teacher-survey indicator) stays null.
        cast(sum(case when not is_suppressed then n_students when n_students is not null then 0 end)
            as bigint) as n_students,
        cast(sum(case when not is_suppressed then n_teachers when n_teachers is not null then 0 end)
            as bigint) as n_teachers,
        -- Each school's students are sampled apart: the variance of a sum of school values is
        -- the sum of their squared standard errors (null where values have none).
        sum(case when not is_suppressed then std_error * std_error end) as variance_sum
    from school_values
    group by year, kabkota_code, programme_bentuk, status, indicator, level
)

select * from final
