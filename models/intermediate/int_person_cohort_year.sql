{{ config(materialized='table') }}
{#-
    Long-term mobility, per person and year whose 31 December is built (every person of the
    built quarters, every such year, present or not): the position on 31 December (NULL when
    not in the population that day) with the region of residence, sex, age class and record
    key of that day, and the quarters (ends of quarter) of the year spent in each main group,
    with their running totals from the first built year (cumulative_g1..g4). The quarters a
    cohort member spent in a group between two 31 Decembers are the difference of the running
    totals (int_cohort_cells).
-#}
{%- set groups = [1, 2, 3, 4] -%}
{#- person_quarters, read three times, holds only what the years, persons and quarters need;
    december reads its quarter from the table itself: DuckDB materialises a CTE read more than
    once, and with every column (two 32-character keys) two national years spilled 18 GB -#}
with person_quarters as (
    select
        pseudonym,
        ref_date,
        cast(extract(year from ref_date) as integer) as year,
        main_group_code
    from {{ ref('int_person_quarter') }}
),

years as (
    select
        year,
        max(ref_date) as ref_date
    from person_quarters
    group by year
    having max(extract(month from ref_date)) = 12
),

persons as (
    select distinct pseudonym from person_quarters
),

quarters as (
    select
        pseudonym,
        year,
        {% for group in groups %}
            sum(case when main_group_code = {{ group }} then 1 else 0 end)
                as quarters_g{{ group }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from person_quarters
    group by pseudonym, year
),

december as (
    select
        person_quarter.pseudonym,
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
        persons.pseudonym,
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
        on persons.pseudonym = quarters.pseudonym and years.year = quarters.year
    left join december
        on persons.pseudonym = december.pseudonym and years.year = december.year
)

select
    pseudonym,
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
            partition by pseudonym order by year rows between unbounded preceding and current row
        ) as cumulative_g{{ group }}{% if not loop.last %},{% endif %}
    {% endfor %}
from person_years
