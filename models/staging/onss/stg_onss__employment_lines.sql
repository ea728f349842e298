select
    landed.pseudonym,
    landed.period_end as ref_date,
    landed.employer_id,
    landed.nace_section,
    landed.worker_code,
    landed.time_regime,
    landed.part_time_pct,
    landed.days_paid,
    landed.gross_wage,
    codes.status_code
from {{ source('landing', 'onss') }} as landed
inner join {{ ref('ref_source_codes') }} as codes
    on
        codes.institution_code = 'onss'
        and landed.worker_code = codes.source_code
