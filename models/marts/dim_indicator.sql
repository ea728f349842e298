{{ config(contract={'enforced': true}, tags=['public']) }}
{#- The standard indicators: label, numerator, denominator, age band and definition, NL/FR/EN. -#}
select
    indicator,
    sort_order,
    age_from,
    age_to,
    label_nl,
    label_fr,
    label_en,
    numerator_label_nl,
    numerator_label_fr,
    numerator_label_en,
    denominator_label_nl,
    denominator_label_fr,
    denominator_label_en,
    definition_nl,
    definition_fr,
    definition_en
from {{ ref('ref_indicators') }}
