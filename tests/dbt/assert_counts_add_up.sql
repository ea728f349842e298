-- Every received delivery: rows received = rows accepted + rows quarantined.
select
    institution_code,
    year,
    rows_received,
    rows_accepted,
    rows_quarantined
from {{ ref('source_registration') }}
where
    registration_status in ('received', 'provisional')
    and rows_received != rows_accepted + rows_quarantined
