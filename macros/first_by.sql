{#-
    Aggregates that pick a row without ranking the rows: first_by(value, key) is the value of the
    row of the group with the smallest key (rows whose key is NULL are left out; NULL when every
    key is); record(fields) packs expressions into one value (a struct) so that one first_by
    returns several columns, and a key can order by several columns.
    fields: list of [name, SQL expression]. Read a field as value.name.
-#}
{% macro first_by(value, key) -%}
    {{ return(adapter.dispatch('first_by')(value, key)) }}
{%- endmacro %}

{% macro default__first_by(value, key) -%}
    min_by({{ value }}, {{ key }})
{%- endmacro %}

{% macro duckdb__first_by(value, key) -%}
    arg_min({{ value }}, {{ key }})
{%- endmacro %}

{% macro record(fields) -%}
    {{ return(adapter.dispatch('record')(fields)) }}
{%- endmacro %}

{% macro default__record(fields) -%}
    named_struct(
        {%- for name, expression in fields -%}
            '{{ name }}', {{ expression }}{% if not loop.last %}, {% endif %}
        {%- endfor -%}
    )
{%- endmacro %}

{% macro duckdb__record(fields) -%}
    struct_pack(
        {%- for name, expression in fields -%}
            {{ name }} := {{ expression }}{% if not loop.last %}, {% endif %}
        {%- endfor -%}
    )
{%- endmacro %}
