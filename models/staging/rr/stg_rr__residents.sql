select
    pseudonym,
    period_end as ref_date,
    nis_code,
    case geslacht when '1' then 'M' when '2' then 'F' end as sex,
    geboortedatum as birth_date,
    nationaliteitsgroep as nationality_group,
    gezin as household_id,
    gezinspositie as household_position,
    record_key
from {{ source('landing', 'rr') }}
