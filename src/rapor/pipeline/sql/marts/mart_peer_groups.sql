-- One row per school programme, kab/kota or province and year: the peer group it is compared with
-- and the characteristics that put it there (see docs/peer-groups.md).
select
    entity_type, entity_code, year, jenjang, peer_group, lokasi, ses_quintile,
    cast(null as double) as poverty_rate_pct,
    cast(null as double) as urban_population_pct,
    cast(null as boolean) as is_3t
from int_school_peer_groups
union all
select
    entity_type, entity_code, year, cast(null as varchar), peer_group, cast(null as varchar),
    cast(null as bigint), poverty_rate_pct, urban_population_pct, is_3t
from int_region_peer_groups
order by entity_type, entity_code, year, jenjang
