{{ config(materialized='view', contract={'enforced': true}) }}
select
    persons.pseudonym,
    persons.ref_date,
    {{ quarter_label('persons.ref_date') }} as quarter,
    cast(extract(year from persons.ref_date) as integer) as year,
    persons.nis_code,
    municipality.arrondissement_code,
    municipality.province_code,
    municipality.region_code,
    persons.sex,
    persons.age,
    persons.age_class,
    persons.nationality_group,
    persons.household_id,
    persons.position_code,
    persons.main_group_code,
    persons.is_registered_job_seeker,
    persons.nace_section,
    persons.worker_code,
    persons.time_regime,
    persons.part_time_pct,
    persons.days_paid,
    persons.gross_wage,
    persons.job_lines,
    persons.total_gross_wage
from {{ ref('int_person_quarter') }} as persons
inner join {{ ref('ref_municipalities') }} as municipality
    on persons.nis_code = municipality.nis_code
