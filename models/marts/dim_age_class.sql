{{ config(contract={'enforced': true}, tags=['public']) }}
select
    age_class,
    min_age,
    max_age,
    label_nl,
    label_fr,
    label_en
from {{ ref('ref_age_classes') }}
