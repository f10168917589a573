-- One row per valid school: its registry data, its kab/kota and province, and whether it counts in
-- region values (PKBM and multi-level SLB do not, as the guide's note says).
with schools as (
    select * from stg_schools where reject_reason is null
),

regions as (
    select * from stg_regions
),

final as (
    select
        schools.npsn,
        schools.school_name,
        schools.bentuk,
        schools.slb_kind,
        schools.status,
        schools.kabkota_code,
        kabkota.region_name as kabkota_name,
        kabkota.parent_code as provinsi_code,
        provinsi.region_name as provinsi_name,
        schools.address,
        schools.lokasi,
        schools.accreditation,
        schools.accreditation_valid_until,
        schools.ses_index,
        schools.bentuk not in (
            select school_bentuk from cat_region_excluded_bentuk
        ) as counts_in_region_values
    from schools
    inner join regions as kabkota on schools.kabkota_code = kabkota.region_code
    inner join regions as provinsi on kabkota.parent_code = provinsi.region_code
)

select * from final
