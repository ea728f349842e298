{#- The delivery register written by the ingest: one row per delivery found or expected. -#}
select
    institution as institution_code,
    cast(period as integer) as year,
    file,
    status as delivery_status,
    provisional as is_provisional,
    rows_received,
    rows_accepted,
    rows_quarantined,
    error,
    sha256,
    cast(ingested_at as timestamp) as ingested_at
from {{ source('landing', 'deliveries') }}
