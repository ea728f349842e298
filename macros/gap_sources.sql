{#-
    Per group of `keys` of `relation` (rows with gap and institution_code, as int_figure_gaps),
    the institutions behind a gap, comma-separated in code order: unavailable_sources (missing
    or rejected deliveries) and provisional_sources (provisional ones); NULL when none (Spark's
    listagg gives '' where DuckDB's gives NULL: nullif makes them agree).
-#}
{% macro gap_sources(keys, relation) -%}
    select
        {{ keys | join(', ') }},
        nullif({{ dbt.listagg(
            "case when gap = 'not_available' then institution_code end", "','",
            "order by institution_code") }}, '') as unavailable_sources,
        nullif({{ dbt.listagg(
            "case when gap = 'provisional' then institution_code end", "','",
            "order by institution_code") }}, '') as provisional_sources
    from {{ relation }}
    group by {{ keys | join(', ') }}
{%- endmacro %}
