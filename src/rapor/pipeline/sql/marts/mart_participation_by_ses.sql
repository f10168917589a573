-- One row per region, year, participation indicator (APK/APS/APM) and SES quintile (1 = poorest).
with quintile_rows as (
    select * from int_participation where ses_quintile is not null
),

final as (
    select
        quintile_rows.entity_type,
        quintile_rows.entity_code,
        quintile_rows.year,
        quintile_rows.jenjang,
        quintile_rows.indicator,
        quintile_rows.ses_quintile,
        quintile_rows.value,
        bands.label_id as label,
        bands.label_key,
        quintile_rows.population,
        quintile_rows.enrolled
    from quintile_rows
    -- Banded on the value as the pages print it, two decimals, so that 69.996 printed "70,00"
    -- is labelled as 70 is. Rounded to 9 decimals first: a mean summed in another thread order
    -- (40 vs 39.99999999999999) must not change its label from one build to the next. Rounded
    -- as a decimal, half up, as the pages round: 39.995 is printed "40,00", though the double
    -- nearest to it is a hair below.
    left join cat_bands as bands
        on quintile_rows.indicator = bands.indicator
        and (
            bands.lower_bound is null
            or round(cast(round(quintile_rows.value, 9) as decimal(18, 9)), 2) >= bands.lower_bound
        )
        and (
            bands.upper_bound is null
            or round(cast(round(quintile_rows.value, 9) as decimal(18, 9)), 2) < bands.upper_bound
        )
)

select * from final
order by entity_type, entity_code, year, indicator, ses_quintile
