{#-
    The finest cells of the published figures, with their true counts and the sums of their
    record keys, and the geography of their municipality. Never published: local_figures and
    global_figures perturb them.
-#}
with cells as (
    select
        ref_date,
        nis_code,
        position_code,
        main_group_code,
        sex,
        age_class,
        nationality_group,
        count(*) as persons,
        sum(record_key) as key_sum
    from {{ ref('int_person_quarter') }}
    group by
        ref_date,
        nis_code,
        position_code,
        main_group_code,
        sex,
        age_class,
        nationality_group
)

select
    cells.ref_date,
    cells.nis_code,
    municipality.arrondissement_code,
    municipality.province_code,
    municipality.region_code,
    cells.position_code,
    cells.main_group_code,
    cells.sex,
    cells.age_class,
    cells.nationality_group,
    cells.persons,
    cells.key_sum
from cells
inner join {{ ref('ref_municipalities') }} as municipality
    on cells.nis_code = municipality.nis_code
