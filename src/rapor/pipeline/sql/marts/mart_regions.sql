-- One row per province or kab/kota.
select region_code, region_name, region_level, parent_code from stg_regions
order by region_code
