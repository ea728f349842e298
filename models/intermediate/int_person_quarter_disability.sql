{{ config(materialized='view') }}
{#-
    Every resident and quarter with one disability status, kept beside the position (which it
    does not change). Among the statuses the disability sources report, the lowest precedence
    of seed ref_disability_statuses wins: D1 a care budget or an allowance for assistance to
    the elderly, D2 a parking card, D3 a disability allowance only; D0 none.
-#}
{%- set status_models = [
    'stg_vsb__care_budgets',
    'stg_iriscare_apa__elderly_assistance',
    'stg_fodss_parking__parking_cards',
    'stg_fodss__disability_allowances',
] -%}

with statuses as (
    {% for model in status_models %}
        select
            pseudonym,
            ref_date,
            status_code
        from {{ ref(model) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

held as (
    select
        statuses.pseudonym,
        statuses.ref_date,
        min(rules.precedence) as best_precedence
    from statuses
    inner join {{ ref('ref_disability_statuses') }} as rules
        on statuses.status_code = rules.status_code
    group by statuses.pseudonym, statuses.ref_date
)

select
    persons.pseudonym,
    persons.ref_date,
    coalesce(rules.disability_status, 'D0') as disability_status
from {{ ref('int_person_quarter') }} as persons
left join held
    on persons.pseudonym = held.pseudonym and persons.ref_date = held.ref_date
left join {{ ref('ref_disability_statuses') }} as rules
    on held.best_precedence = rules.precedence
