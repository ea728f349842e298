{{ config(
    contract={'enforced': true},
    tags=['public'],
) }}
{#-
    Long-term mobility figures: the persons in the population on 31 December of cohort_year,
    by their position that day (from_position: the 19 categories, main groups 'G1'..'G4', '_T'),
    region of residence (Belgium and the regions), sex and age class that day, followed to each
    later 31 December (year). measure 'position': their position that day (to_position: the
    categories, main groups, 'OUT' no longer in the population, '_T' all); measure 'G1'..'G4'
    or 'OUT': the class of the share of the quarters since the cohort's day they spent in that
    group (to_position: 'P000', 'P001', 'P025', 'P050', 'P075', 'P100', '_T' all). Every
    combination, zeros included. Each cell is the sum of the published values of the master
    cells it holds (int_cohort_cells), withheld (NULL, is_suppressed) when that sum is 0; not
    available when a delivery the position on the cohort's day or, for 'position', on the
    later day, or for a share, the group in any quarter of the span depends on is missing or
    rejected (int_figure_gaps); flagged when one is provisional.
-#}
{%- set breakdowns = [
    ['sex', 'ref_sexes'],
    ['age_class', 'ref_age_classes'],
] -%}
{%- set dims = breakdowns | map(attribute=0) | join(', ') -%}
{%- set main_group = "'G'" -%}
{%- set groups = ['G1', 'G2', 'G3', 'G4', 'OUT'] -%}
{%- set shares = ['P000', 'P001', 'P025', 'P050', 'P075', 'P100'] -%}
{%- set key = ['geo_level', 'geo_code', 'cohort_year', 'year', 'measure'] -%}
{%- set cell = key + ['from_position', 'to_position'] -%}
with cells as (
    select * from {{ ref('int_cohort_cells') }}
),

by_geography as (
    select
        'country' as geo_level,
        '01000' as geo_code,
        cells.*
    from cells
    union all
    select
        'region' as geo_level,
        region_code as geo_code,
        cells.*
    from cells
),

by_from as (
    {% for column in ['from_position_code', 'from_main_group_code', "'_T'"] %}
        select
            {{ key | join(', ') }},
            {% if column == 'from_main_group_code' %}
                {{ dbt.concat([main_group, dbt.cast(column, dbt.type_string())]) }}
            {% else %}
                {{ column }}
            {% endif %} as from_position,
            to_position_code,
            to_main_group_code,
            {{ dims }},
            published_persons
        from by_geography
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

by_position as (
    {% for column in ['to_position_code', 'to_main_group_code', "'_T'"] %}
        select
            {{ key | join(', ') }},
            from_position,
            {% if column == 'to_main_group_code' %}
                {{ dbt.concat([main_group, dbt.cast(column, dbt.type_string())]) }}
            {% else %}
                {{ column }}
            {% endif %} as to_position,
            {{ dims }},
            published_persons
        from by_from
        {% if column == 'to_main_group_code' %}where {{ column }} is not null{% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

counted as (
    select
        {{ key | join(', ') }},
        from_position,
        to_position,
        {% for dim in breakdowns %}
            coalesce({{ dim[0] }}, '_T') as {{ dim[0] }},
        {% endfor %}
        sum(published_persons) as published_persons
    from by_position
    group by {{ key | join(', ') }}, from_position, to_position, cube({{ dims }})
),

spans as (
    select distinct
        cohort_year,
        cohort_date,
        year,
        ref_date
    from cells
),

units as (
    select
        geo_level,
        geo_code
    from {{ ref('dim_geography') }}
    where geo_level in ('country', 'region')
),

main_groups as (
    select distinct
        {{ dbt.concat([main_group, dbt.cast('main_group_code', dbt.type_string())]) }} as position
    from {{ ref('dim_socio_economic_position') }}
),

positions as (
    select position_code as position
    from {{ ref('dim_socio_economic_position') }}
    union all
    select position
    from main_groups
    union all
    select '_T' as position
),

figures as (
    {# each measure with its to_positions and the position its gaps are read on #}
    select
        'position' as measure,
        position as to_position,
        position as to_gap
    from positions
    union all
    {# no longer in the population: what the National Register says #}
    select
        'position' as measure,
        'OUT' as to_position,
        '_T' as to_gap
    {% for group in groups %}
        {% for share in shares + ['_T'] %}
            union all
            select
                '{{ group }}' as measure,
                '{{ share }}' as to_position,
                '{{ "_T" if group == "OUT" else group }}' as to_gap
        {% endfor %}
    {% endfor %}
),

quarter_gaps as (
    select
        geo_level,
        geo_code,
        ref_date,
        position,
        gap,
        institution_code
    from {{ ref('int_figure_gaps') }}
    where geo_level in ('country', 'region')
),

touched as (
    {# the cohort's day: its position #}
    select
        quarter_gaps.geo_level,
        quarter_gaps.geo_code,
        spans.cohort_year,
        spans.year,
        figures.measure,
        positions.position as from_position,
        figures.to_position,
        quarter_gaps.gap,
        quarter_gaps.institution_code
    from quarter_gaps
    inner join spans
        on quarter_gaps.ref_date = spans.cohort_date
    inner join positions
        on quarter_gaps.position = positions.position
    cross join figures
    union
    {# the later day's position, or the group in every quarter of the span #}
    select
        quarter_gaps.geo_level,
        quarter_gaps.geo_code,
        spans.cohort_year,
        spans.year,
        figures.measure,
        positions.position as from_position,
        figures.to_position,
        quarter_gaps.gap,
        quarter_gaps.institution_code
    from quarter_gaps
    inner join spans
        on
            quarter_gaps.ref_date > spans.cohort_date
            and quarter_gaps.ref_date <= spans.ref_date
    inner join figures
        on
            quarter_gaps.position = figures.to_gap
            and (figures.measure <> 'position' or quarter_gaps.ref_date = spans.ref_date)
    cross join positions
),

gaps as (
    {{ gap_sources(cell, 'touched') }}
),

{% for dim, seed in breakdowns %}
    {{ dim }}_values as (
        select {{ dim }} from {{ ref(seed) }}
        union all
        select '_T' as {{ dim }}
    ),
{% endfor %}

{# the gaps are joined per cell, before the breakdowns multiply the rows #}
cell_gaps as (
    select
        units.geo_level,
        units.geo_code,
        spans.cohort_year,
        spans.year,
        spans.ref_date,
        figures.measure,
        positions.position as from_position,
        figures.to_position,
        gaps.unavailable_sources,
        gaps.provisional_sources
    from units
    cross join spans
    cross join positions
    cross join figures
    left join gaps
        on
            units.geo_level = gaps.geo_level
            and units.geo_code = gaps.geo_code
            and spans.cohort_year = gaps.cohort_year
            and spans.year = gaps.year
            and figures.measure = gaps.measure
            and positions.position = gaps.from_position
            and figures.to_position = gaps.to_position
    {# below a quarter of the quarters needs a span of five or more: no such cell after one
    year (it would read as withheld, as if it held 1 to T persons) #}
    where not (figures.to_position = 'P001' and spans.year - spans.cohort_year = 1)
),

scaffold as (
    select
        cell_gaps.*,
        {{ dims }}
    from cell_gaps
    {% for dim, seed in breakdowns %}
        cross join {{ dim }}_values
    {% endfor %}
)

select
    scaffold.geo_level,
    scaffold.geo_code,
    scaffold.cohort_year,
    scaffold.year,
    scaffold.ref_date,
    scaffold.measure,
    scaffold.from_position,
    scaffold.to_position,
    {% for dim, seed in breakdowns %}
        scaffold.{{ dim }},
    {% endfor %}
    {{ published_cell('counted.published_persons', 'scaffold') }}
from scaffold
left join counted
    on
        {% for column in cell + breakdowns | map(attribute=0) | list %}
            scaffold.{{ column }} = counted.{{ column }}{% if not loop.last %} and{% endif %}
        {% endfor %}
