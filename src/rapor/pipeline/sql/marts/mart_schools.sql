-- One row per valid school: the registry facts the school view shows.
select * from int_schools__located
order by npsn
