-- No published figure shows a count up to the disclosure threshold (zeros are withheld too).
select
    geo_level,
    geo_code,
    quarter,
    persons
from {{ ref('local_figures') }}
where persons <= {{ var('disclosure_threshold') }}
union all
select
    geo_level,
    geo_code,
    quarter,
    persons
from {{ ref('global_figures') }}
where persons <= {{ var('disclosure_threshold') }}
