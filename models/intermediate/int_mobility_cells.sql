{#-
    The master cells of mobility_figures: persons per year x region x from-position x
    to-position ('OUT' outside the population) x sex x age class x nationality group
    (int_person_year_transition), with their true counts, the sums of their record keys and
    their published values (perturbed_count, as int_figure_cells). Never published as such:
    every cell of mobility_figures is the sum of the published values of the master cells it
    holds. Region, not municipality: the finest published level, so that a stock figure of
    31 December is another view of many master cells at once (README, "Short-term mobility").
-#}
with cells as (
    select
        year,
        ref_date,
        region_code,
        from_position_code,
        from_main_group_code,
        to_position_code,
        to_main_group_code,
        sex,
        age_class,
        nationality_group,
        count(*) as persons,
        sum(record_key) as key_sum
    from {{ ref('int_person_year_transition') }}
    group by
        year,
        ref_date,
        region_code,
        from_position_code,
        from_main_group_code,
        to_position_code,
        to_main_group_code,
        sex,
        age_class,
        nationality_group
)

select
    year,
    ref_date,
    region_code,
    from_position_code,
    from_main_group_code,
    to_position_code,
    to_main_group_code,
    sex,
    age_class,
    nationality_group,
    persons,
    key_sum,
    cast({{ perturbed_count('persons', 'key_sum') }} as integer) as published_persons
from cells
