{{ config(
    materialized=quarterly_materialization(),
    pre_hook="{{ delete_rebuilt_quarters() }}",
    post_hook="{{ insert_other_quarters('residents.ref_date', ref('stg_rr__residents')) }}",
) }}
{#-
    Residents per quarter with age class, position and main job, and the record key: the one
    large table of the build (geography and quarter labels are joined where they are used).
    Built one quarter at a time (macros/quarter_at_a_time.sql).
-#}
select
    residents.pseudonym,
    residents.ref_date,
    residents.nis_code,
    residents.sex,
    cast({{ age_on('residents.birth_date', 'residents.ref_date') }} as integer) as age,
    age_classes.age_class,
    residents.nationality_group,
    residents.household_id,
    residents.household_position,
    residents.position_code,
    nomenclature.main_group_code,
    residents.is_registered_job_seeker,
    main_job.nace_section,
    main_job.worker_code,
    main_job.time_regime,
    main_job.part_time_pct,
    main_job.days_paid,
    main_job.gross_wage,
    main_job.job_lines,
    main_job.total_gross_wage,
    residents.record_key
from {{ ref('int_person_quarter_position') }} as residents
inner join {{ ref('ref_socio_economic_positions') }} as nomenclature
    on residents.position_code = nomenclature.position_code
inner join {{ ref('ref_ages') }} as age_classes
    on {{ age_on('residents.birth_date', 'residents.ref_date') }} = age_classes.age
left join {{ ref('int_main_job') }} as main_job
    on
        residents.pseudonym = main_job.pseudonym
        and residents.ref_date = main_job.ref_date
        and nomenclature.main_group_code = 1
where {{ quarter_at_a_time('residents.ref_date', ref('stg_rr__residents')) }}
