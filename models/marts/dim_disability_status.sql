{{ config(contract={'enforced': true}, tags=['public']) }}
select
    disability_status,
    precedence,
    is_published,
    label_nl,
    label_fr,
    label_en,
    definition_nl,
    definition_fr,
    definition_en
from {{ ref('ref_disability_statuses') }}
