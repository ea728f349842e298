{#- Residents per quarter with everything the marts need, including the record key. -#}
select
    residents.pseudonym,
    residents.ref_date,
    {{ quarter_label('residents.ref_date') }} as quarter,
    cast(extract(year from residents.ref_date) as integer) as year,
    residents.nis_code,
    municipality.arrondissement_code,
    municipality.province_code,
    municipality.region_code,
    residents.sex,
    cast({{ age_on('residents.birth_date', 'residents.ref_date') }} as integer) as age,
    age_classes.age_class,
    residents.nationality_group,
    residents.household_id,
    positions.position_code,
    nomenclature.main_group_code,
    positions.is_registered_job_seeker,
    main_job.nace_section,
    main_job.worker_code,
    main_job.time_regime,
    main_job.part_time_pct,
    main_job.days_paid,
    main_job.gross_wage,
    main_job.job_lines,
    main_job.total_gross_wage,
    residents.record_key
from {{ ref('stg_rr__residents') }} as residents
inner join {{ ref('int_person_quarter_position') }} as positions
    on residents.pseudonym = positions.pseudonym and residents.ref_date = positions.ref_date
inner join {{ ref('ref_socio_economic_positions') }} as nomenclature
    on positions.position_code = nomenclature.position_code
inner join {{ ref('ref_municipalities') }} as municipality
    on residents.nis_code = municipality.nis_code
inner join {{ ref('ref_ages') }} as age_classes
    on {{ age_on('residents.birth_date', 'residents.ref_date') }} = age_classes.age
left join {{ ref('int_main_job') }} as main_job
    on
        residents.pseudonym = main_job.pseudonym
        and residents.ref_date = main_job.ref_date
        and nomenclature.main_group_code = 1
