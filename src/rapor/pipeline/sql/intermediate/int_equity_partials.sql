-- One row per school programme (school, year, jenjang tested), equity dimension and group: the
-- group's valid students and the sums the equity lens pools (docs/equity.md). Dimensions:
-- `gender` (L, P), `ses_quintile` (1 = the poorest fifth of the year's students tested at that
-- jenjang nationally, by their own SES index: at or below the 20th percentile; 5 above the 80th)
-- and `semua` (every student of the programme: a region's negeri/swasta and
-- perkotaan/perdesaan groups are made of these).
with valid_students as (
    select * from stg_an_students where reject_reason is null
),

-- The quintiles' upper bounds (percentiles interpolated linearly): one aggregate instead of
-- ranking 17 M students.
cuts as (
    select
        year,
        jenjang,
        quantile_cont(ses_index, 0.2) as p20,
        quantile_cont(ses_index, 0.4) as p40,
        quantile_cont(ses_index, 0.6) as p60,
        quantile_cont(ses_index, 0.8) as p80
    from valid_students
    group by year, jenjang
),

students as (
    select
        valid_students.year,
        valid_students.npsn,
        valid_students.jenjang,
        valid_students.gender,
        case
            when valid_students.ses_index <= cuts.p20 then 1
            when valid_students.ses_index <= cuts.p40 then 2
            when valid_students.ses_index <= cuts.p60 then 3
            when valid_students.ses_index <= cuts.p80 then 4
            else 5
        end as ses_quintile,
        case when valid_students.literacy_level >= 3 then 100.0 else 0.0 end
            as literacy_meets_minimum,
        case when valid_students.numeracy_level >= 3 then 100.0 else 0.0 end
            as numeracy_meets_minimum,
        valid_students.character_index
    from valid_students
    inner join cuts on valid_students.year = cuts.year and valid_students.jenjang = cuts.jenjang
),

-- One pass over the students for the three dimensions.
sums as (
    select
        year,
        npsn,
        jenjang,
        case
            when grouping(gender) = 0 then 'gender'
            when grouping(ses_quintile) = 0 then 'ses_quintile'
            else 'semua'
        end as dimension,
        case
            when grouping(gender) = 0 then gender
            when grouping(ses_quintile) = 0 then cast(ses_quintile as varchar)
            else 'semua'
        end as group_key,
        count(*) as n_students,
        sum(literacy_meets_minimum) as literacy_meets_minimum_sum,
        sum(numeracy_meets_minimum) as numeracy_meets_minimum_sum,
        sum(character_index) as character_index_sum,
        sum(character_index * character_index) as character_index_squares
    from students
    group by grouping sets (
        (year, npsn, jenjang, gender),
        (year, npsn, jenjang, ses_quintile),
        (year, npsn, jenjang)
    )
),

final as (
    select
        sums.*,
        programmes.programme_bentuk,
        schools.status,
        schools.lokasi,
        schools.kabkota_code,
        schools.counts_in_region_values
    from sums
    inner join int_students__school_measures as programmes
        on sums.year = programmes.year
        and sums.npsn = programmes.npsn
        and sums.jenjang = programmes.jenjang
    inner join int_schools__located as schools on sums.npsn = schools.npsn
)

select * from final
