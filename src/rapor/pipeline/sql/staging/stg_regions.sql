-- One row per province or kab/kota of the shipped Kemendagri reference.
select
    cast(code as varchar) as region_code,
    cast(name as varchar) as region_name,
    cast(level as varchar) as region_level,
    nullif(cast(parent_code as varchar), '') as parent_code
from raw_regions
