-- No published figure shows a count from 1 to the disclosure threshold - 1.
select
    geo_level,
    geo_code,
    quarter,
    persons
from {{ ref('local_figures') }}
where persons between 1 and {{ var('disclosure_threshold') - 1 }}
union all
select
    geo_level,
    geo_code,
    quarter,
    persons
from {{ ref('global_figures') }}
where persons between 1 and {{ var('disclosure_threshold') - 1 }}
