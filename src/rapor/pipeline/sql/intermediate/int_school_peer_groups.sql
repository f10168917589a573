-- One row per school programme (school, year, jenjang tested): its group of similar schools
-- ("satuan pendidikan serupa") = same jenjang, same location type (perkotaan/perdesaan) and same
-- national quintile of student socio-economic status among schools of that jenjang and year.
with programmes as (
    select distinct year, npsn, jenjang from int_students__school_measures
),

schools as (
    select * from int_schools__located
),

ranked as (
    select
        programmes.year,
        programmes.npsn,
        programmes.jenjang,
        schools.lokasi,
        ntile(5) over (
            partition by programmes.year, programmes.jenjang
            order by schools.ses_index, programmes.npsn
        ) as ses_quintile
    from programmes
    inner join schools on programmes.npsn = schools.npsn
),

final as (
    select
        'sekolah' as entity_type,
        npsn as entity_code,
        year,
        jenjang,
        concat(jenjang, '/', lokasi, '/ses-q', cast(ses_quintile as varchar)) as peer_group,
        lokasi,
        ses_quintile
    from ranked
)

select * from final
