{{ config(materialized='view') }}
{#- The main job of each employee and quarter: the employment line with the most days paid. -#}
with ranked as (
    select
        pseudonym,
        ref_date,
        nace_section,
        worker_code,
        time_regime,
        part_time_pct,
        days_paid,
        gross_wage,
        count(*) over (partition by pseudonym, ref_date) as job_lines,
        cast(
            sum(gross_wage) over (partition by pseudonym, ref_date) as decimal(38, 2)
        ) as total_gross_wage,
        row_number() over (
            partition by pseudonym, ref_date
            order by days_paid desc, gross_wage desc, employer_id asc
        ) as job_rank
    from {{ ref('stg_onss__employment_lines') }}
)

select
    pseudonym,
    ref_date,
    nace_section,
    worker_code,
    time_regime,
    part_time_pct,
    days_paid,
    gross_wage,
    job_lines,
    total_gross_wage
from ranked
where job_rank = 1
