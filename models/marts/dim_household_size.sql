{{ config(contract={'enforced': true}, tags=['public']) }}
select
    household_size,
    min_members,
    max_members,
    label_nl,
    label_fr,
    label_en
from {{ ref('ref_household_sizes') }}
