-- The web's lookup tables, each sorted by the key its pages select on. Reads the release's
-- Parquet files (the connection's file_search_path is the release folder).

-- One row per entity, year, filter combination and indicator, with the peer ("serupa") mean and
-- the ranks ("Peringkat").
-- School rows carry their region and name and are grouped by kab/kota, so a region's school list
-- reads one block too.
create table indicator_values as
select
    v.*,
    p.peer_group,
    p.peer_value,
    p.n_peers,
    p.peer_std_error,
    r.rank_in_region,
    r.ranked_in_region,
    r.fifth_in_region,
    r.rank_in_nation,
    r.ranked_in_nation,
    r.fifth_in_nation,
    s.provinsi_code,
    s.kabkota_code,
    s.school_name
from 'indicator_values.parquet' as v
left join 'peer_values.parquet' as p
    using (entity_type, entity_code, year, jenjang, bentuk, status, indicator)
left join 'rank_bands.parquet' as r
    using (entity_type, entity_code, year, jenjang, bentuk, status, indicator)
left join 'schools.parquet' as s
    on v.entity_type = 'sekolah' and s.npsn = v.entity_code
order by
    entity_type, provinsi_code, kabkota_code, entity_code, jenjang, bentuk, status, indicator, year;

-- The region rows of indicator_values: copied into the SQLite lookup file (release_lookups.sql).
create view region_values as
select * exclude (provinsi_code, kabkota_code, school_name)
from indicator_values
where entity_type <> 'sekolah';

-- One row per school programme, year and indicator: the school rows of indicator_values again,
-- sorted by indicator and year first, so a region's school list for one indicator and year is
-- one block of the region's schools (a province's 20,000) instead of a scan of all their
-- indicators and years.
-- `name_order` lists names as people count: "SD Negeri 2" before "SD Negeri 10" (each run of
-- digits compared as a number, letters without case). `counts_in_region_values` is false for
-- the PKBM and multi-level SLB the list shows with values their region's values leave out.
create table school_list as
with natural_names as (
    select
        npsn,
        array_to_string(
            list_transform(
                regexp_extract_all(school_name, '\d+|\D+'),
                lambda part: case
                    when regexp_full_match(part, '\d+') then lpad(part, 12, '0')
                    else lower(part)
                end
            ),
            ''
        ) as natural_name,
        counts_in_region_values
    from 'schools.parquet'
),

name_order as (
    select
        npsn, counts_in_region_values,
        row_number() over (order by natural_name, npsn) as name_order
    from natural_names
)

select
    v.entity_code as npsn, v.school_name, n.name_order, v.provinsi_code, v.kabkota_code,
    v.bentuk, v.status, v.indicator, v.year, v.value, v.label, v.label_key, v.n_students,
    v.n_teachers, v.suppressed, v.suppression_reason, n.counts_in_region_values
from indicator_values as v
inner join name_order as n on n.npsn = v.entity_code
where v.entity_type = 'sekolah'
order by v.indicator, v.year, v.provinsi_code, v.kabkota_code, v.entity_code, v.jenjang;

-- One row per kab/kota, indicator, year and bentuk: the kab/kota's school list rows of them, as
-- one JSON array (the column names, then each row's values) in name order. Copied into the SQLite
-- lookup file compressed, forty kab/kota at a time: a kab/kota's list, what most list pages show,
-- is one or two seeks and a sort of its few dozen schools, where DuckDB took ~3 ms a query. The
-- provinces' and the nation's lists stay on `school_list`.
create view kabkota_school_lists as
select
    kabkota_code, indicator, year, bentuk,
    '[' || json_keys(to_json(any_value(l)))::json || ',' || string_agg(
        json_array(*columns(*)), ',' order by name_order, npsn
    ) || ']' as schools
from (
    select
        npsn, school_name, name_order, kabkota_code, bentuk, status, indicator, year, value,
        label, label_key, n_students, n_teachers, suppressed, suppression_reason,
        counts_in_region_values
    from school_list
) as l
group by kabkota_code, indicator, year, bentuk;

-- One row per school programme, year and top-level indicator (those with peer values) with a
-- published value: copied into the SQLite lookup file (release_lookups.sql), where a comparison
-- group's 500 schools are 500 seeks instead of a scan of a year's 2 M rows.
create view group_values as
select
    v.entity_code as npsn, v.year, v.indicator, v.bentuk, v.status, v.value, v.std_error,
    v.n_students
from indicator_values as v
where v.entity_type = 'sekolah'
    and not v.suppressed
    and v.indicator in (select distinct indicator from 'peer_values.parquet');

-- The regions' rows of the ability distribution, copied into the SQLite lookup file; a school's
-- are in `school_rows`.
create view region_ability as
select * from 'ability_distribution.parquet'
where entity_type <> 'sekolah';

-- The regions' rows of the equity groups, copied into the SQLite lookup file; a school's are in
-- `school_rows`.
create view region_equity as
select * from 'equity_groups.parquet'
where entity_type <> 'sekolah';

-- One row per school: its rows of indicator_values, of the ability distribution and of the
-- equity groups, each as one JSON array: the column names first, then each row as an array of
-- its values (under half the text of one object per row), in the order its page reads them.
-- Copied into the SQLite lookup file compressed, a range of NPSNs at a time (the filter reaches
-- every scan below): a school's page then reads one row by its key, where DuckDB took 2-3 ms a
-- query (its cost is per column read). A school without ability or equity rows has null there.
create view school_rows as
with school_values as (
    select
        entity_code as npsn,
        '[' || json_keys(to_json(any_value(v)))::json || ',' || string_agg(
            json_array(*columns(*)), ',' order by jenjang, bentuk, status, indicator, year
        ) || ']' as indicator_values
    from indicator_values as v
    where entity_type = 'sekolah'
    group by entity_code
),

school_ability as (
    select
        entity_code as npsn,
        '[' || json_keys(to_json(any_value(a)))::json || ',' || string_agg(
            json_array(*columns(*)), ','
            order by jenjang, bentuk, status, indicator, year, level
        ) || ']' as ability
    from 'ability_distribution.parquet' as a
    where entity_type = 'sekolah'
    group by entity_code
),

school_equity as (
    select
        entity_code as npsn,
        '[' || json_keys(to_json(any_value(e)))::json || ',' || string_agg(
            json_array(*columns(*)), ',' order by jenjang, indicator, year, dimension, group_key
        ) || ']' as equity
    from 'equity_groups.parquet' as e
    where entity_type = 'sekolah'
    group by entity_code
)

select s.npsn, v.indicator_values, a.ability, e.equity
from 'schools.parquet' as s
left join school_values as v using (npsn)
left join school_ability as a using (npsn)
left join school_equity as e using (npsn);

-- One row per region, year, jenjang, participation indicator and SES quintile: read from the
-- SQLite lookup file only.
create view participation_by_ses as
select * from 'participation_by_ses.parquet';

-- One row per school, with the levels (jenjang) it has values at, comma-separated: a school's
-- page resolves its level from this row alone, without reading the school's values.
create table schools as
select s.*, t.tested_jenjang
from 'schools.parquet' as s
left join (
    select entity_code as npsn, string_agg(distinct jenjang, ',' order by jenjang) as tested_jenjang
    from indicator_values
    where entity_type = 'sekolah'
    group by entity_code
) as t using (npsn)
order by npsn;

-- One row per province and kab/kota.
create table regions as
select * from 'regions.parquet'
order by region_code;
