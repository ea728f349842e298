{{ config(contract={'enforced': true}, tags=['public']) }}
{#- Per institution and year: received (possibly provisional), missing or rejected, with counts. -#}
select
    deliveries.institution as institution_code,
    institutions.name_nl as institution_name_nl,
    institutions.name_fr as institution_name_fr,
    institutions.name_en as institution_name_en,
    cast(deliveries.period as integer) as year,
    case
        when deliveries.status = 'received' and deliveries.provisional then 'provisional'
        else deliveries.status
    end as registration_status,
    coalesce(deliveries.provisional, false) as is_provisional,
    deliveries.file,
    deliveries.rows_received,
    deliveries.rows_accepted,
    deliveries.rows_quarantined,
    deliveries.error,
    deliveries.sha256,
    cast(deliveries.ingested_at as timestamp) as ingested_at
from {{ source('landing', 'deliveries') }} as deliveries
left join {{ ref('ref_institutions') }} as institutions
    on deliveries.institution = institutions.institution_code
