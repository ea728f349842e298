{{ config(contract={'enforced': true}, tags=['public']) }}
select
    household_type,
    sort_order,
    is_private,
    label_nl,
    label_fr,
    label_en,
    definition_nl,
    definition_fr,
    definition_en
from {{ ref('ref_household_types') }}
