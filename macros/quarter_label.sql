{% macro quarter_label(day) -%}
    {{ dbt.concat([
        dbt.cast("extract(year from " ~ day ~ ")", dbt.type_string()),
        "'Q'",
        dbt.cast("extract(quarter from " ~ day ~ ")", dbt.type_string())
    ]) }}
{%- endmacro %}
