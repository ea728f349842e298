{#-
    Per group of `keys` of `relation` (rows with gap and institution_code, as int_figure_gaps),
    the institutions behind a gap, comma-separated in code order: unavailable_sources (missing
    or rejected deliveries) and provisional_sources (provisional ones); NULL when none (Spark's
    listagg gives '' where DuckDB's gives NULL: nullif makes them agree). With
    `not_applicable`, also is_not_applicable: whether a row says no source gives the figure
    there (gap 'not_applicable', int_disability_gaps).
-#}
{% macro gap_sources(keys, relation, not_applicable=false) -%}
    select
        {{ keys | join(', ') }},
        nullif({{ dbt.listagg(
            "case when gap = 'not_available' then institution_code end", "','",
            "order by institution_code") }}, '') as unavailable_sources,
        nullif({{ dbt.listagg(
            "case when gap = 'provisional' then institution_code end", "','",
            "order by institution_code") }}, '') as provisional_sources
        {%- if not_applicable %},
        max(case when gap = 'not_applicable' then 1 else 0 end) = 1 as is_not_applicable
        {%- endif %}
    from {{ relation }}
    group by {{ keys | join(', ') }}
{%- endmacro %}
