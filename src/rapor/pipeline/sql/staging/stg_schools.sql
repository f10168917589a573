-- One row per row of the raw schools file: typed, with the first validation rule it breaks
-- (`reject_reason` is null for a valid row).
with source as (
    select
        _source_row,
        trim(cast(npsn as varchar)) as npsn,
        trim(cast(name as varchar)) as school_name,
        lower(trim(cast(bentuk as varchar))) as bentuk,
        nullif(lower(trim(cast(slb_kind as varchar))), '') as slb_kind,
        lower(trim(cast(status as varchar))) as status,
        trim(cast(kabkota_code as varchar)) as kabkota_code,
        trim(cast(address as varchar)) as address,
        lower(trim(cast(lokasi as varchar))) as lokasi,
        upper(trim(cast(accreditation as varchar))) as accreditation,
        nullif(trim(cast(accreditation_valid_until as varchar)), '') as accreditation_valid_until_text,
        nullif(trim(cast(ses_index as varchar)), '') as ses_index_text
    from raw_schools
),

duplicated_npsn as (
    select trim(cast(npsn as varchar)) as npsn
    from raw_schools
    group by trim(cast(npsn as varchar))
    having count(*) > 1
),

typed as (
    select
        source.*,
        try_cast(accreditation_valid_until_text as date) as accreditation_valid_until,
        try_cast(ses_index_text as double) as ses_index,
        duplicated_npsn.npsn is not null as is_duplicate
    from source
    left join duplicated_npsn on source.npsn = duplicated_npsn.npsn
),

final as (
    select
        typed.*,
        case
            when npsn is null or not regexp_full_match(npsn, '[0-9]{8}')
                then format('npsn {} is not 8 digits', coalesce(npsn, 'NULL'))
            when is_duplicate then format('npsn {} appears more than once', npsn)
            when school_name is null or school_name = '' then 'name is empty'
            when bentuk is null or bentuk not in (select school_bentuk from cat_programmes)
                then format('unknown bentuk {}', coalesce(bentuk, 'NULL'))
            when (bentuk = 'slb') <> (coalesce(slb_kind, '') in ('satu_atap', 'tanpa_jenjang'))
                then format('slb_kind {} does not fit bentuk {}', coalesce(slb_kind, 'NULL'), bentuk)
            when status is null or status not in ('negeri', 'swasta')
                then format('unknown status {}', coalesce(status, 'NULL'))
            when kabkota_code is null or kabkota_code not in (
                select region_code from stg_regions where region_level = 'kabkota'
            ) then format('unknown kabkota_code {}', coalesce(kabkota_code, 'NULL'))
            when lokasi is null or lokasi not in ('perkotaan', 'perdesaan')
                then format('unknown lokasi {}', coalesce(lokasi, 'NULL'))
            when accreditation is null or accreditation not in ('A', 'B', 'C', 'TT')
                then format('unknown accreditation {}', coalesce(accreditation, 'NULL'))
            when accreditation_valid_until_text is not null and accreditation_valid_until is null
                then format('accreditation_valid_until {} is not a date', accreditation_valid_until_text)
            when not coalesce(ses_index between -10 and 10, false)
                then format('ses_index {} is not a number from -10 to 10', coalesce(ses_index_text, 'NULL'))
        end as reject_reason
    from typed
)

select * from final
