-- Children under 15 never hold a working position; job details only for working positions.
select
    pseudonym,
    quarter,
    age,
    position_code
from {{ ref('fct_person_quarter') }}
where
    (age < 15 and main_group_code = 1)
    or (main_group_code <> 1 and nace_section is not null)
