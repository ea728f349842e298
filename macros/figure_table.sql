{#-
    A published figures table: persons per geography x quarter x position x breakdowns, for
    every combination (zeros included), with totals ('_T', as in SDMX) for every breakdown and
    for the position (main groups 'G1'..'G4' and '_T'). Each cell is the sum of the published
    values of the master cells it holds (perturbed_count in int_figure_cells), withheld (NULL,
    is_suppressed) when that sum is 0; the sum is never from 1 to the threshold. A figure that a
    missing or rejected delivery touches (int_figure_gaps) is not available (NULL, with the
    institutions in unavailable_sources), never a count; one a provisional delivery feeds is
    flagged (is_provisional, provisional_sources). status: published, withheld or not_available.
    geo_levels: list of [level name, column of int_figure_cells], the country first.
    breakdowns: list of [column, seed holding its codes].
-#}
{% macro figure_table(geo_levels, breakdowns) -%}
    {%- set dims = breakdowns | map(attribute=0) | join(', ') -%}
    {%- set levels = geo_levels | map(attribute=0) | list -%}
    with cells as (
        select * from {{ ref('int_figure_cells') }}
        where {{ rebuilt_quarters('ref_date') }}
    ),

    by_geography as (
        {% for level, column in geo_levels %}
            select
                '{{ level }}' as geo_level,
                {{ column }} as geo_code,
                ref_date,
                position_code,
                main_group_code,
                {{ dims }},
                published_persons
            from cells
            where {{ column }} is not null
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    by_position as (
        select
            geo_level, geo_code, ref_date, position_code as position, {{ dims }},
            published_persons
        from by_geography
        union all
        select
            geo_level, geo_code, ref_date,
            {{ dbt.concat(["'G'", dbt.cast('main_group_code', dbt.type_string())]) }} as position,
            {{ dims }}, published_persons
        from by_geography
        union all
        select
            geo_level, geo_code, ref_date, '_T' as position, {{ dims }},
            published_persons
        from by_geography
    ),

    counted as (
        select
            geo_level,
            geo_code,
            ref_date,
            position,
            {% for dim in breakdowns %}
                coalesce({{ dim[0] }}, '_T') as {{ dim[0] }},
            {% endfor %}
            sum(published_persons) as published_persons
        from by_position
        group by geo_level, geo_code, ref_date, position, cube({{ dims }})
    ),

    quarters as (
        select distinct ref_date from cells
    ),

    units as (
        select
            quarters.ref_date,
            geography.geo_level,
            geography.geo_code
        from quarters
        inner join {{ ref('dim_geography') }} as geography
            on
                geography.geo_level in ('{{ levels | join("', '") }}')
                and (geography.valid_from is null or geography.valid_from <= quarters.ref_date)
                and (geography.valid_to is null or quarters.ref_date < geography.valid_to)
    ),

    positions as (
        select position_code as position from {{ ref('dim_socio_economic_position') }}
        union all
        select distinct
            {{ dbt.concat(["'G'", dbt.cast('main_group_code', dbt.type_string())]) }} as position
        from {{ ref('dim_socio_economic_position') }}
        union all
        select '_T' as position
    ),

    {% for dim, seed in breakdowns %}
        {{ dim }}_values as (
            select {{ dim }} from {{ ref(seed) }}
            union all
            select '_T' as {{ dim }}
        ),
    {% endfor %}

    gaps as (
        {{ gap_sources(['geo_level', 'geo_code', 'ref_date', 'position'], ref('int_figure_gaps')) }}
    ),

    {#- the gaps are joined per unit, quarter and position, before the breakdowns multiply
        the rows -#}
    unit_positions as (
        select
            units.geo_level,
            units.geo_code,
            units.ref_date,
            positions.position,
            gaps.unavailable_sources,
            gaps.provisional_sources
        from units
        cross join positions
        left join gaps
            on
                units.geo_level = gaps.geo_level
                and units.geo_code = gaps.geo_code
                and units.ref_date = gaps.ref_date
                and positions.position = gaps.position
    ),

    scaffold as (
        select
            unit_positions.geo_level,
            unit_positions.geo_code,
            unit_positions.ref_date,
            unit_positions.position,
            {{ dims }},
            unit_positions.unavailable_sources,
            unit_positions.provisional_sources
        from unit_positions
        {% for dim, seed in breakdowns %}
            cross join {{ dim }}_values
        {% endfor %}
    )

    select
        scaffold.geo_level,
        scaffold.geo_code,
        scaffold.ref_date,
        {{ quarter_label('scaffold.ref_date') }} as quarter,
        scaffold.position,
        {% for dim, seed in breakdowns %}
            scaffold.{{ dim }},
        {% endfor %}
        {{ published_cell('counted.published_persons', 'scaffold') }}
    from scaffold
    left join counted
        on
            scaffold.geo_level = counted.geo_level
            and scaffold.geo_code = counted.geo_code
            and scaffold.ref_date = counted.ref_date
            and scaffold.position = counted.position
            {% for dim, seed in breakdowns %}
                and scaffold.{{ dim }} = counted.{{ dim }}
            {% endfor %}
{%- endmacro %}
