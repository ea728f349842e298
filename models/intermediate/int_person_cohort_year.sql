{{ config(materialized='table') }}
{#-
    Long-term mobility, per person and year whose 31 December is built (every person of the
    built quarters, every such year, present or not): the position on 31 December (NULL when
    not in the population that day) with the region of residence, sex, age class and record
    key of that day, and the quarters (ends of quarter) of the year spent in each main group,
    with their running totals from the first built year (cumulative_g1..g4). The quarters a
    cohort member spent in a group between two 31 Decembers are the difference of the running
    totals (int_cohort_cells).

    Persons are told apart by person_key (macros/person_key.sql), an integer: grouping and
    joining on it halves this model's time at national scale. key_conflicts counts the
    persons whose pseudonyms share it, told by the pseudonym's next digits: 0, or a test fails
    the build rather than merge two persons.
-#}
{%- set groups = [1, 2, 3, 4] -%}
with quarters as (
    {#- one pass over every person-quarter, integers only: grouping strings doubled the time -#}
    select
        {{ person_key('pseudonym') }} as person_key,
        cast(extract(year from ref_date) as integer) as year,
        max(ref_date) as last_date,
        min({{ person_key('pseudonym', 2) }}) as check_min,
        max({{ person_key('pseudonym', 2) }}) as check_max,
        {% for group in groups %}
            sum(case when main_group_code = {{ group }} then 1 else 0 end)
                as quarters_g{{ group }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from {{ ref('int_person_quarter') }}
    group by {{ person_key('pseudonym') }}, cast(extract(year from ref_date) as integer)
),

years as (
    select
        year,
        max(last_date) as ref_date
    from quarters
    group by year
    having max(extract(month from last_date)) = 12
),

persons as (
    select
        person_key,
        case when min(check_min) = max(check_max) then 0 else 1 end as key_conflicts
    from quarters
    group by person_key
),

december as (
    select
        {{ person_key('person_quarter.pseudonym') }} as person_key,
        cast(extract(year from person_quarter.ref_date) as integer) as year,
        municipality.region_code,
        person_quarter.sex,
        person_quarter.age_class,
        person_quarter.position_code,
        person_quarter.main_group_code,
        person_quarter.record_key
    from {{ ref('int_person_quarter') }} as person_quarter
    inner join {{ ref('ref_municipalities') }} as municipality
        on person_quarter.nis_code = municipality.nis_code
    where extract(month from person_quarter.ref_date) = 12
),

person_years as (
    select
        persons.person_key,
        persons.key_conflicts,
        years.year,
        years.ref_date,
        {% for group in groups %}
            coalesce(quarters.quarters_g{{ group }}, 0) as quarters_g{{ group }},
        {% endfor %}
        december.region_code,
        december.sex,
        december.age_class,
        december.position_code,
        december.main_group_code,
        december.record_key
    from persons
    cross join years
    left join quarters
        on persons.person_key = quarters.person_key and years.year = quarters.year
    left join december
        on persons.person_key = december.person_key and years.year = december.year
)

select
    person_key,
    key_conflicts,
    year,
    ref_date,
    region_code,
    sex,
    age_class,
    position_code,
    main_group_code,
    record_key,
    {% for group in groups %}
        quarters_g{{ group }},
        sum(quarters_g{{ group }}) over (
            partition by person_key order by year rows between unbounded preceding and current row
        ) as cumulative_g{{ group }}{% if not loop.last %},{% endif %}
    {% endfor %}
from person_years
