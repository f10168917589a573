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
        provinsi_code,
        programme_bentuk,
        status,
        indicator,
        level,
        coalesce(sum(case when not is_suppressed then value end), 0) as value_sum,
        count(case when not is_suppressed then 1 end) as n_schools,
        count(case when is_suppressed then 1 end) as n_schools_suppressed,
        sum(case when not is_suppressed then n_students end) as n_students,
        sum(case when not is_suppressed then n_teachers end) as n_teachers
    from school_values
    group by year, kabkota_code, provinsi_code, programme_bentuk, status, indicator, level
)

select * from final
