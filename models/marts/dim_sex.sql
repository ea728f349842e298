{{ config(contract={'enforced': true}, tags=['public']) }}
select
    sex,
    label_nl,
    label_fr,
    label_en
from {{ ref('ref_sexes') }}
