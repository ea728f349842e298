{{ config(
    contract={'enforced': true},
    tags=['public'],
) }}
{#-
    Short-term mobility figures: persons by their position on 31 December of year - 1
    (from_position) and of the year (to_position): the 19 categories, the main groups 'G1'..'G4',
    'OUT' (not in the population: entering or leaving) and '_T' (all, 'OUT' included), in
    Belgium and the regions x sex x age class x nationality group (of the later day; of the
    earlier for those who left), every combination (zeros included) but OUT to OUT. Each cell is
    the sum of the published values of the master cells it holds (int_mobility_cells), withheld
    (NULL, is_suppressed) when that sum is 0; not available when a delivery either position
    depends on is missing or rejected (int_figure_gaps of either 31 December), flagged when one
    is provisional.
-#}
{%- set breakdowns = [
    ['sex', 'ref_sexes'],
    ['age_class', 'ref_age_classes'],
    ['nationality_group', 'ref_nationality_groups'],
] -%}
{%- set dims = breakdowns | map(attribute=0) | join(', ') -%}
{%- set main_group = "'G'" -%}
with cells as (
    select * from {{ ref('int_mobility_cells') }}
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
            geo_level,
            geo_code,
            year,
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
        {% if column == 'from_main_group_code' %}where {{ column }} is not null{% endif %}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

by_position as (
    {% for column in ['to_position_code', 'to_main_group_code', "'_T'"] %}
        select
            geo_level,
            geo_code,
            year,
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
        geo_level,
        geo_code,
        year,
        from_position,
        to_position,
        {% for dim in breakdowns %}
            coalesce({{ dim[0] }}, '_T') as {{ dim[0] }},
        {% endfor %}
        sum(published_persons) as published_persons
    from by_position
    group by geo_level, geo_code, year, from_position, to_position, cube({{ dims }})
),

years as (
    select distinct
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
    select
        position_code as position,
        position_code as gap_position
    from {{ ref('dim_socio_economic_position') }}
    union all
    select
        position,
        position as gap_position
    from main_groups
    union all
    select
        '_T' as position,
        '_T' as gap_position
    union all
    {# entering or leaving the population: what the National Register says #}
    select
        'OUT' as position,
        '_T' as gap_position
),

transitions as (
    select
        from_positions.position as from_position,
        from_positions.gap_position as from_gap,
        to_positions.position as to_position,
        to_positions.gap_position as to_gap
    from positions as from_positions
    cross join positions as to_positions
    where not (from_positions.position = 'OUT' and to_positions.position = 'OUT')
),

december_gaps as (
    select
        geo_level,
        geo_code,
        cast(extract(year from ref_date) as integer) as year,
        position,
        gap,
        institution_code
    from {{ ref('int_figure_gaps') }}
    where geo_level in ('country', 'region') and extract(month from ref_date) = 12
),

touched as (
    select
        december_gaps.geo_level,
        december_gaps.geo_code,
        december_gaps.year + 1 as year,
        transitions.from_position,
        transitions.to_position,
        december_gaps.gap,
        december_gaps.institution_code
    from december_gaps
    inner join transitions
        on december_gaps.position = transitions.from_gap
    union
    select
        december_gaps.geo_level,
        december_gaps.geo_code,
        december_gaps.year,
        transitions.from_position,
        transitions.to_position,
        december_gaps.gap,
        december_gaps.institution_code
    from december_gaps
    inner join transitions
        on december_gaps.position = transitions.to_gap
),

gaps as (
    {{ gap_sources(['geo_level', 'geo_code', 'year', 'from_position', 'to_position'], 'touched') }}
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
        years.year,
        years.ref_date,
        transitions.from_position,
        transitions.to_position,
        gaps.unavailable_sources,
        gaps.provisional_sources
    from units
    cross join years
    cross join transitions
    left join gaps
        on
            units.geo_level = gaps.geo_level
            and units.geo_code = gaps.geo_code
            and years.year = gaps.year
            and transitions.from_position = gaps.from_position
            and transitions.to_position = gaps.to_position
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
    scaffold.year,
    scaffold.ref_date,
    scaffold.from_position,
    scaffold.to_position,
    {% for dim, seed in breakdowns %}
        scaffold.{{ dim }},
    {% endfor %}
    {{ published_cell('counted.published_persons', 'scaffold') }}
from scaffold
left join counted
    on
        scaffold.geo_level = counted.geo_level
        and scaffold.geo_code = counted.geo_code
        and scaffold.year = counted.year
        and scaffold.from_position = counted.from_position
        and scaffold.to_position = counted.to_position
        {% for dim, seed in breakdowns %}
            and scaffold.{{ dim }} = counted.{{ dim }}
        {% endfor %}
