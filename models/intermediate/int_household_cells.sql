{#-
    The master cells of household_figures: households per quarter x municipality x household
    type x size x the reference person's sex, age class and nationality group, with their true
    counts, the sums of their households' record keys and their published values
    (perturbed_count, as int_figure_cells). Never published as such: every cell of
    household_figures is the sum of the published values of the master cells it holds.
-#}
with cells as (
    select
        ref_date,
        nis_code,
        household_type,
        household_size,
        ref_sex as sex,
        ref_age_class as age_class,
        ref_nationality_group as nationality_group,
        count(*) as households,
        sum(record_key) as key_sum
    from {{ ref('int_household_quarter') }}
    group by
        ref_date,
        nis_code,
        household_type,
        household_size,
        ref_sex,
        ref_age_class,
        ref_nationality_group
)

select
    cells.ref_date,
    cells.nis_code,
    municipality.arrondissement_code,
    municipality.province_code,
    municipality.region_code,
    cells.household_type,
    cells.household_size,
    cells.sex,
    cells.age_class,
    cells.nationality_group,
    cells.households,
    cells.key_sum,
    cast(
        {{ perturbed_count('cells.households', 'cells.key_sum') }} as integer
    ) as published_households
from cells
inner join {{ ref('ref_municipalities') }} as municipality
    on cells.nis_code = municipality.nis_code
