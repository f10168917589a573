-- One row per kab/kota and region it counts in: itself, its province and the nation. Region
-- figures are built by summing kab/kota rows over these memberships.
with kabkota as (
    select region_code as kabkota_code, parent_code as provinsi_code
    from stg_regions
    where region_level = 'kabkota'
)

select kabkota_code, 'kabkota' as entity_type, kabkota_code as entity_code from kabkota
union all
select kabkota_code, 'provinsi', provinsi_code from kabkota
union all
select kabkota_code, 'nasional', 'ID' from kabkota
