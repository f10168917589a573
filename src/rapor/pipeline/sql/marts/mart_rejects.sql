-- One row per rejected raw input row: source file, row number, key and reason.
select source, source_row, record_key, reason from stg_rejects
order by source, source_row
