{#-
    The master cells of disability_figures: persons with a published disability status (D1, D2)
    per quarter x arrondissement x status x sex x age class, with their true counts, the sums
    of their record keys and their published values (perturbed_count, as int_figure_cells).
    Never published as such: every cell of disability_figures is the sum of the published
    values of the master cells it holds. No cell holds the persons without such a status: the
    figures say nothing about residents that the position's figures also count (README,
    "Disability").
-#}
with cells as (
    select
        persons.ref_date,
        municipality.arrondissement_code,
        municipality.province_code,
        municipality.region_code,
        disability.disability_status,
        persons.sex,
        persons.age_class,
        count(*) as persons,
        sum(persons.record_key) as key_sum
    from {{ ref('int_person_quarter') }} as persons
    inner join {{ ref('int_person_quarter_disability') }} as disability
        on persons.pseudonym = disability.pseudonym and persons.ref_date = disability.ref_date
    inner join {{ ref('ref_disability_statuses') }} as statuses
        on disability.disability_status = statuses.disability_status
    inner join {{ ref('ref_municipalities') }} as municipality
        on persons.nis_code = municipality.nis_code
    where statuses.is_published
    group by
        persons.ref_date,
        municipality.arrondissement_code,
        municipality.province_code,
        municipality.region_code,
        disability.disability_status,
        persons.sex,
        persons.age_class
)

select
    ref_date,
    arrondissement_code,
    province_code,
    region_code,
    disability_status,
    sex,
    age_class,
    persons,
    key_sum,
    cast({{ perturbed_count('persons', 'key_sum') }} as integer) as published_persons
from cells
