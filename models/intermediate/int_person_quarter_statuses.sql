{{ config(materialized='view') }}
{#-
    Every status a person holds on the last day of a quarter, whichever institution says so
    (a person with two jobs has the status EMPLOYEE twice).
-#}
{%- set status_models = [
    'stg_onss__employment_lines',
    'stg_inasti__self_employment',
    'stg_onem__benefits',
    'stg_vdab__job_seekers',
    'stg_forem__job_seekers',
    'stg_actiris__job_seekers',
    'stg_adg__job_seekers',
    'stg_inami__incapacity',
    'stg_sfp__pensions',
    'stg_pdos__pensions',
    'stg_famifed__entitled_children',
    'stg_opgroeien__entitled_children',
    'stg_famiwal__entitled_children',
    'stg_iriscare__entitled_children',
    'stg_ostbelgien__entitled_children',
    'stg_mi__social_integration',
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
)

select
    pseudonym,
    ref_date,
    status_code
from statuses
