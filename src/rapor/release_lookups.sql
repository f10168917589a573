-- The web's point lookups, in SQLite: a B-tree finds one region's rows or one school in well
-- under a millisecond, where a DuckDB scan of the same rows takes several (its cost is per
-- column read, not per row: benchmarks/RESULTS.md). Each table is a copy of the DuckDB index's
-- table or view of the same name (release_index.sql), made with the index and deleted with it.
-- Declared types `bool`, `date` and `zjson` are converted back to Python's by
-- rapor.release_index.

-- One row per region (nation, province, kab/kota), year, filter combination and indicator,
-- with the peer ("serupa") mean and the ranks: a region's Beranda reads one filter combination,
-- a map one indicator of every child of a region.
create table region_values (
    entity_type text not null,
    entity_code text not null,
    year integer not null,
    jenjang text not null,
    bentuk text not null,
    status text not null,
    indicator text not null,
    value real,
    label text,
    label_key text,
    n_schools integer,
    n_students integer,
    n_teachers integer,
    suppressed bool,
    suppression_reason text,
    std_error real,
    ci_lower real,
    ci_upper real,
    peer_group text,
    peer_value real,
    n_peers integer,
    peer_std_error real,
    rank_in_region integer,
    ranked_in_region integer,
    fifth_in_region integer,
    rank_in_nation integer,
    ranked_in_nation integer,
    fifth_in_nation integer,
    primary key (entity_type, entity_code, jenjang, bentuk, status, indicator, year)
) without rowid;

create index region_values_by_indicator
    on region_values (entity_type, jenjang, bentuk, status, indicator, entity_code);

-- A region's similar regions with a value: the members of its peer group, read from the index
-- alone.
create index region_values_by_peer_group
    on region_values (entity_type, jenjang, bentuk, status, indicator, year, peer_group, entity_code)
    where value is not null;

-- One row per region, year, filter combination, learning indicator and ability level: the
-- ability distribution of a region's detail page.
create table region_ability (
    entity_type text not null,
    entity_code text not null,
    year integer not null,
    jenjang text not null,
    bentuk text not null,
    status text not null,
    indicator text not null,
    level integer not null,
    level_key text,
    share_pct real,
    n_schools integer,
    n_students integer,
    suppressed bool,
    primary key (entity_type, entity_code, jenjang, bentuk, status, indicator, year, level)
) without rowid;

-- One row per region, year, jenjang, learning indicator, equity dimension and group: the equity
-- table of a region's detail page.
create table region_equity (
    entity_type text not null,
    entity_code text not null,
    year integer not null,
    jenjang text not null,
    indicator text not null,
    dimension text not null,
    group_key text not null,
    value real,
    n_schools integer,
    n_students integer,
    suppressed bool,
    std_error real,
    ci_lower real,
    ci_upper real,
    primary key (entity_type, entity_code, jenjang, indicator, year, dimension, group_key)
) without rowid;

-- One row per region, year, jenjang, participation indicator and SES quintile: the APK, APS and
-- APM cards of a region's Beranda.
create table participation_by_ses (
    entity_type text not null,
    entity_code text not null,
    year integer not null,
    jenjang text not null,
    indicator text not null,
    ses_quintile integer not null,
    value real,
    label text,
    label_key text,
    population integer,
    enrolled integer,
    primary key (entity_type, entity_code, jenjang, indicator, year, ses_quintile)
) without rowid;

-- One row per school programme, year and top-level indicator with a published value: the means
-- of a comparison group's schools.
create table group_values (
    npsn text not null,
    year integer not null,
    indicator text not null,
    bentuk text not null,
    status text,
    value real,
    std_error real,
    n_students integer,
    primary key (npsn, year, indicator, bentuk)
) without rowid;

-- One row per kab/kota, indicator, year and bentuk: its schools' rows of the index's
-- `school_list` in name order (`zjson`), what a kab/kota's school list filters, sorts and pages.
create table kabkota_school_lists (
    kabkota_code text not null,
    indicator text not null,
    year integer not null,
    bentuk text not null,
    schools zjson,
    primary key (kabkota_code, indicator, year, bentuk)
);

-- One row per school: its own rows of indicator_values, of the ability distribution and of the
-- equity groups (`zjson`: zlib-compressed JSON, the column names then each row's values; read
-- back as a list of dicts, null when the school has none). A rowid table: its values are
-- kilobytes each.
create table school_rows (
    npsn text primary key,
    indicator_values zjson,
    ability zjson,
    equity zjson
);

-- One row per school.
create table schools (
    npsn text primary key,
    school_name text,
    bentuk text,
    slb_kind text,
    status text,
    kabkota_code text,
    kabkota_name text,
    provinsi_code text,
    provinsi_name text,
    address text,
    lokasi text,
    accreditation text,
    accreditation_valid_until date,
    ses_index real,
    counts_in_region_values bool,
    tested_jenjang text
) without rowid;

-- A region's schools, for the search that picks members of a comparison group.
create index schools_by_kabkota on schools (kabkota_code);
