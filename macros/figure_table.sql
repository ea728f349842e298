{#-
    A published figures table: persons per geography x quarter x position x breakdowns, with
    totals ('_T', as in SDMX) for every breakdown and for the position (main groups 'G1'..'G4'
    and '_T'), each cell disclosure-controlled by perturbed_count.
    geo_levels: list of [level name, column of int_figure_cells or a quoted constant].
-#}
{% macro figure_table(geo_levels, breakdowns) -%}
    {%- set threshold = var('disclosure_threshold') -%}
    {%- set dims = breakdowns | join(', ') -%}
    with cells as (
        select * from {{ ref('int_figure_cells') }}
    ),

    by_geography as (
        {% for level, column in geo_levels %}
            select
                '{{ level }}' as geo_level,
                {{ column }} as geo_code,
                ref_date,
                quarter,
                position_code,
                main_group_code,
                {{ dims }},
                persons,
                key_sum
            from cells
            where {{ column }} is not null
            {% if not loop.last %}union all{% endif %}
        {% endfor %}
    ),

    by_position as (
        select
            geo_level, geo_code, ref_date, quarter, position_code as position, {{ dims }},
            persons, key_sum
        from by_geography
        union all
        select
            geo_level, geo_code, ref_date, quarter,
            {{ dbt.concat(["'G'", dbt.cast('main_group_code', dbt.type_string())]) }} as position,
            {{ dims }}, persons, key_sum
        from by_geography
        union all
        select
            geo_level, geo_code, ref_date, quarter, '_T' as position, {{ dims }},
            persons, key_sum
        from by_geography
    )

    select
        geo_level,
        geo_code,
        ref_date,
        quarter,
        position,
        {% for dim in breakdowns %}
            coalesce({{ dim }}, '_T') as {{ dim }},
        {% endfor %}
        cast({{ perturbed_count('sum(persons)', 'sum(key_sum)') }} as integer) as persons,
        case when sum(persons) < {{ threshold }} then true else false end as is_suppressed
    from by_position
    group by geo_level, geo_code, ref_date, quarter, position, cube({{ dims }})
{%- endmacro %}
