{{ config(contract={'enforced': true}, tags=['public']) }}
select
    nationality_group,
    label_nl,
    label_fr,
    label_en
from {{ ref('ref_nationality_groups') }}
