{{ config(
    materialized=quarterly_materialization(),
    pre_hook="{{ delete_rebuilt_quarters() }}",
) }}
{#-
    The finest cells of the published figures (master cells), with their true counts, the sums
    of their record keys, their published values (perturbed_count) and the geography of their
    municipality. Never published as such: every cell of local_figures and global_figures is
    the sum of the published values of the master cells it holds.
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
    where {{ rebuilt_quarters('ref_date') }}
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
    cells.key_sum,
    cast({{ perturbed_count('cells.persons', 'cells.key_sum') }} as integer) as published_persons
from cells
inner join {{ ref('ref_municipalities') }} as municipality
    on cells.nis_code = municipality.nis_code
