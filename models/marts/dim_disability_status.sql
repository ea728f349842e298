{{ config(contract={'enforced': true}, tags=['public']) }}
select
    disability_status,
    precedence,
    is_published,
    label_nl,
    label_fr,
    label_en,
    definition
from {{ ref('ref_disability_statuses') }}
