{{ config(contract={'enforced': true}, tags=['public']) }}
select
    age_class,
    label_nl,
    label_fr,
    label_en
from {{ ref('ref_age_classes') }}
