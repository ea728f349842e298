{{ config(contract={'enforced': true}) }}
{#-
    Per institution and year: received (possibly provisional), missing or rejected, with counts
    (for the stewards; source_status is its public face).
-#}
select
    deliveries.institution_code,
    institutions.name_nl as institution_name_nl,
    institutions.name_fr as institution_name_fr,
    institutions.name_en as institution_name_en,
    deliveries.year,
    case
        when deliveries.delivery_status = 'received' and deliveries.is_provisional
            then 'provisional'
        else deliveries.delivery_status
    end as registration_status,
    coalesce(deliveries.is_provisional, false) as is_provisional,
    deliveries.file,
    deliveries.rows_received,
    deliveries.rows_accepted,
    deliveries.rows_quarantined,
    deliveries.error,
    deliveries.sha256,
    deliveries.ingested_at
from {{ ref('stg_ingest__deliveries') }} as deliveries
left join {{ ref('ref_institutions') }} as institutions
    on deliveries.institution_code = institutions.institution_code
