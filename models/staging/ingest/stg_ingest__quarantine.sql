{#- Delivered rows that failed a check at ingest, pseudonymised, with their reason code. -#}
select
    institution as institution_code,
    cast(period as integer) as year,
    file,
    line_number,
    reason_code,
    reason_column,
    pseudonym,
    row_content
from {{ source('landing', 'quarantine') }}
