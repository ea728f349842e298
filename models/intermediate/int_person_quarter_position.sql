{{ config(materialized='view') }}
{#-
    Every resident and quarter with one socio-economic position. Among the statuses held, the one
    closest to the labour market wins (lowest precedence in seed ref_position_precedence).
    A person both employee and self-employed or helper is in a combined category where the
    main job decides: self-employed (or helper) in main occupation gives n142 (n143),
    otherwise n141. A resident known to no institution is "other" (n4).
-#}
with held as (
    select
        statuses.pseudonym,
        statuses.ref_date,
        min(rules.precedence) as best_precedence,
        max(case when statuses.status_code = 'EMPLOYEE' then 1 else 0 end) as is_employee,
        max(
            case when statuses.status_code like 'SELF_EMPLOYED%' then 1 else 0 end
        ) as is_self_employed,
        max(
            case when statuses.status_code = 'SELF_EMPLOYED_MAIN' then 1 else 0 end
        ) as is_self_employed_main,
        max(case when statuses.status_code like 'HELPER%' then 1 else 0 end) as is_helper,
        max(case when statuses.status_code = 'HELPER_MAIN' then 1 else 0 end) as is_helper_main,
        max(
            case when statuses.status_code = 'REGISTERED_JOB_SEEKER' then 1 else 0 end
        ) as is_registered_job_seeker
    from {{ ref('int_person_quarter_statuses') }} as statuses
    left join {{ ref('ref_position_precedence') }} as rules
        on statuses.status_code = rules.status_code
    group by statuses.pseudonym, statuses.ref_date
),

positions as (
    {#- each precedence leads to one position (a test on the seed says so) -#}
    select distinct
        precedence,
        position_code
    from {{ ref('ref_position_precedence') }}
)

select
    residents.pseudonym,
    residents.ref_date,
    residents.nis_code,
    residents.sex,
    residents.birth_date,
    residents.nationality_group,
    residents.household_id,
    residents.household_position,
    residents.record_key,
    case
        when held.is_employee = 1 and held.is_self_employed_main = 1 then 'n142'
        when
            held.is_employee = 1 and held.is_self_employed = 0 and held.is_helper_main = 1
            then 'n143'
        when held.is_employee = 1 and (held.is_self_employed = 1 or held.is_helper = 1) then 'n141'
        else coalesce(positions.position_code, 'n4')
    end as position_code,
    coalesce(held.is_registered_job_seeker, 0) = 1 as is_registered_job_seeker
from {{ ref('stg_rr__residents') }} as residents
left join held
    on residents.pseudonym = held.pseudonym and residents.ref_date = held.ref_date
left join positions
    on held.best_precedence = positions.precedence
