-- One row per ranked school programme, kab/kota or province, year and top-level indicator: where
-- its value stands among those of its kind, within its region (a school in its kab/kota, a
-- kab/kota in its province; none for a province) and in the nation, as the report's "Peringkat"
-- shows it: a rank (1 is the highest value; equal values share the best rank), the number ranked,
-- and the fifth the rank falls in (1 = the top 20 %, "Atas", to 5 = the bottom 20 %, "Bawah").
-- Ranked: schools of the same jenjang that count in region values, with a published value;
-- regions of the same level under the filter the report shows (all bentuk, all status), with a
-- value from schools (not BPS participation rates, where higher is not simply better). Values
-- are ranked as the pages print them, to two decimals. Fewer than `min_ranked` ranked members
-- get a rank but no fifth: a "top 20 %" of three says little.
with params as (
    select * from build_params
),

school_members as (
    select
        'sekolah' as entity_type,
        school_values.npsn as entity_code,
        school_values.year,
        school_values.jenjang,
        school_values.programme_bentuk as bentuk,
        school_values.status,
        school_values.indicator,
        school_values.kabkota_code as region_code,
        round(cast(round(school_values.value, 9) as decimal(18, 9)), 2) as printed
    from int_school_values as school_values
    inner join cat_indicators as indicators
        on school_values.indicator = indicators.indicator and indicators.parent_indicator is null
    where school_values.level is null
        and school_values.counts_in_region_values
        and not school_values.is_suppressed
),

region_members as (
    select
        region_values.entity_type,
        region_values.entity_code,
        region_values.year,
        region_values.jenjang,
        region_values.bentuk,
        region_values.status,
        region_values.indicator,
        provinces.entity_code as region_code,
        round(cast(round(region_values.value, 9) as decimal(18, 9)), 2) as printed
    from mart_indicator_values as region_values
    -- A kab/kota's province; a province is ranked in the nation only.
    left join int_region_memberships as provinces
        on region_values.entity_type = 'kabkota'
        and region_values.entity_code = provinces.kabkota_code
        and provinces.entity_type = 'provinsi'
    inner join cat_indicators as indicators
        on region_values.indicator = indicators.indicator and indicators.parent_indicator is null
    where region_values.entity_type in ('kabkota', 'provinsi')
        and region_values.bentuk = 'semua'
        and region_values.status = 'semua'
        and region_values.n_schools > 0
),

ranked as (
    select
        members.*,
        -- Cast: rank() is a bigint on DuckDB and an int on Spark.
        case when region_code is not null then
            cast(rank() over (
                partition by entity_type, year, jenjang, indicator, region_code
                order by printed desc
            ) as bigint)
        end as rank_in_region,
        case when region_code is not null then
            count(*) over (partition by entity_type, year, jenjang, indicator, region_code)
        end as ranked_in_region,
        cast(rank() over (
            partition by entity_type, year, jenjang, indicator order by printed desc
        ) as bigint) as rank_in_nation,
        count(*) over (partition by entity_type, year, jenjang, indicator) as ranked_in_nation
    from (
        select * from school_members
        union all
        select * from region_members
    ) as members
),

-- The fifth of a rank r among n is the first k (1-5) with r <= k * n / 5: ceil(5 r / n), exact in
-- doubles for these small whole numbers.
final as (
    select
        entity_type, entity_code, year, jenjang, bentuk, status, indicator,
        rank_in_region,
        ranked_in_region,
        case when ranked_in_region >= params.min_ranked
            then cast(ceil(5.0 * rank_in_region / ranked_in_region) as integer)
        end as fifth_in_region,
        rank_in_nation,
        ranked_in_nation,
        case when ranked_in_nation >= params.min_ranked
            then cast(ceil(5.0 * rank_in_nation / ranked_in_nation) as integer)
        end as fifth_in_nation
    from ranked
    cross join params
)

select * from final
