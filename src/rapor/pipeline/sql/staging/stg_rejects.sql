-- One row per raw input row that failed validation: which file, which row, its key and why.
select 'schools' as source, _source_row as source_row, npsn as record_key, reject_reason as reason
from stg_schools where reject_reason is not null
union all
select
    'an_students', rejected_row, concat(cast(year as varchar), '/', rejected_student_id),
    reject_reason
from stg_an_students__by_programme where reject_reason is not null
union all
select
    'an_teachers', rejected_row, concat(cast(year as varchar), '/', rejected_respondent_id),
    reject_reason
from stg_an_teachers__by_school where reject_reason is not null
union all
select
    'bps_population', _source_row,
    concat_ws('/', kabkota_code, cast(year as varchar), cast(age as varchar), cast(ses_quintile as varchar)),
    reject_reason
from stg_bps_population where reject_reason is not null
union all
select
    'bps_enrolment', _source_row,
    concat_ws('/', kabkota_code, cast(year as varchar), cast(age as varchar), cast(ses_quintile as varchar), jenjang),
    reject_reason
from stg_bps_enrolment where reject_reason is not null
union all
select 'bps_kabkota_profile', _source_row, concat_ws('/', kabkota_code, cast(year as varchar)), reject_reason
from stg_bps_kabkota_profile where reject_reason is not null
