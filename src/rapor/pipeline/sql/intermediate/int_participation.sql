-- One row per region (kab/kota, province, nation), year, participation indicator (APK/APS/APM per
-- jenjang) and SES quintile (null for all quintiles together): enrolled persons over the population
-- of the age band, times 100. Regions sum persons before dividing (a ratio of totals, as BPS does).
with population as (
    select * from stg_bps_population where reject_reason is null
),

enrolment as (
    select * from stg_bps_enrolment where reject_reason is null
),

denominators as (
    select
        indicators.indicator, population.kabkota_code, population.year, population.ses_quintile,
        cast(sum(population.population) as bigint) as population
    from population
    inner join cat_participation as indicators
        on population.age between indicators.age_min and indicators.age_max
    group by indicators.indicator, population.kabkota_code, population.year, population.ses_quintile
),

-- APK counts everyone at the jenjang whatever their age; APM only those of the jenjang's age band;
-- APS everyone of the age band in any school.
numerators as (
    select
        indicators.indicator, enrolment.kabkota_code, enrolment.year, enrolment.ses_quintile,
        cast(sum(enrolment.students) as bigint) as enrolled
    from enrolment
    inner join cat_participation as indicators
        on (indicators.formula = 'apk' and enrolment.jenjang = indicators.jenjang)
        or (
            indicators.formula = 'apm'
            and enrolment.jenjang = indicators.jenjang
            and enrolment.age between indicators.age_min and indicators.age_max
        )
        or (
            indicators.formula = 'aps'
            and enrolment.age between indicators.age_min and indicators.age_max
        )
    group by indicators.indicator, enrolment.kabkota_code, enrolment.year, enrolment.ses_quintile
),

-- Enrolment without population (or the reverse) is kept: its value is then unknown, not dropped.
kabkota_counts as (
    select
        coalesce(denominators.indicator, numerators.indicator) as indicator,
        coalesce(denominators.kabkota_code, numerators.kabkota_code) as kabkota_code,
        coalesce(denominators.year, numerators.year) as year,
        coalesce(denominators.ses_quintile, numerators.ses_quintile) as ses_quintile,
        denominators.population,
        coalesce(numerators.enrolled, 0) as enrolled
    from denominators
    full outer join numerators
        on denominators.indicator = numerators.indicator
        and denominators.kabkota_code = numerators.kabkota_code
        and denominators.year = numerators.year
        and denominators.ses_quintile = numerators.ses_quintile
),

quintile_choices as (
    select * from (values (true), (false)) as choices (by_quintile)
),

expanded as (
    select
        regions.entity_type,
        regions.entity_code,
        kabkota_counts.year,
        kabkota_counts.indicator,
        case when quintile_choices.by_quintile then kabkota_counts.ses_quintile end as ses_quintile,
        kabkota_counts.population,
        -- A kab/kota without population data cannot be put in proportion: leave its pupils out.
        case when kabkota_counts.population is not null then kabkota_counts.enrolled end
            as counted_enrolled
    from kabkota_counts
    inner join int_region_memberships as regions
        on kabkota_counts.kabkota_code = regions.kabkota_code
    cross join quintile_choices
),

final as (
    select
        expanded.entity_type,
        expanded.entity_code,
        expanded.year,
        indicators.jenjang,
        expanded.indicator,
        expanded.ses_quintile,
        100.0 * sum(expanded.counted_enrolled) / nullif(sum(expanded.population), 0) as value,
        cast(sum(expanded.population) as bigint) as population,
        cast(sum(expanded.counted_enrolled) as bigint) as enrolled
    from expanded
    inner join cat_participation as indicators on expanded.indicator = indicators.indicator
    group by
        expanded.entity_type, expanded.entity_code, expanded.year, indicators.jenjang,
        expanded.indicator, expanded.ses_quintile
)

select * from final
