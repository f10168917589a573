-- One row per region, year, participation indicator (APK/APS/APM) and SES quintile (1 = poorest).
-- Labelled on the value as printed, rounded as in mart_indicator_values (see `printed` there).
with quintile_rows as (
    select
        *,
        round(cast(round(value, 9) as decimal(18, 9)), 2) as printed
    from int_participation
    where ses_quintile is not null
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
    left join cat_bands as bands
        on quintile_rows.indicator = bands.indicator
        and (bands.lower_bound is null or quintile_rows.printed >= bands.lower_bound)
        and (bands.upper_bound is null or quintile_rows.printed < bands.upper_bound)
)

select * from final
order by entity_type, entity_code, year, indicator, ses_quintile
