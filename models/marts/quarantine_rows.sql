{#- Delivered rows that were not accepted, with the reason, for the data stewards. -#}
select
    quarantine.institution_code,
    quarantine.year,
    quarantine.file,
    quarantine.line_number,
    quarantine.reason_code,
    reasons.description as reason_description,
    quarantine.reason_column,
    quarantine.pseudonym,
    quarantine.row_content
from {{ ref('stg_ingest__quarantine') }} as quarantine
left join {{ ref('ref_quarantine_reasons') }} as reasons
    on quarantine.reason_code = reasons.reason_code
