{#-
    Large aggregates built one quarter at a time. At national scale a GROUP BY over every
    quarter at once outgrows DuckDB's memory and spills to disk: int_household_quarter took
    453 s for two national years in one statement, and 281 s as eight statements of one
    quarter each (alone, 29 November). A model filters its rows with
    quarter_at_a_time(column, source), which keeps the first quarter it has to build (the
    ref_date values of `source` that rebuilt_quarters keeps), and its post-hook
    insert_other_quarters(column, source) inserts each other quarter with the model's own
    compiled SQL, the first quarter's date replaced by the other's. Engines other than DuckDB
    build every quarter in one statement.
-#}
{#- the quarters to build: the ref_date values of `source` that rebuilt_quarters keeps (none
    while parsing, or compiling where `source` is not built, as the linter does) -#}
{% macro quarters_to_build(source) -%}
    {%- if not execute or adapter.get_relation(
        database=source.database, schema=source.schema, identifier=source.identifier
    ) is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set found = run_query(
        "select distinct cast(ref_date as " ~ dbt.type_string() ~ ") from " ~ source
        ~ " where " ~ rebuilt_quarters('ref_date') ~ " order by 1"
    ) -%}
    {{ return(found.columns[0].values() | list) }}
{%- endmacro %}

{#- the filter on one quarter, written so that it can be found again in the compiled SQL -#}
{% macro one_quarter(column, quarter) -%}
    {{ column }} = cast('{{ modules.datetime.date.fromisoformat(quarter).isoformat() }}' as date)
{%- endmacro %}

{% macro quarter_at_a_time(column, source) -%}
    {{ return(adapter.dispatch('quarter_at_a_time')(column, source)) }}
{%- endmacro %}

{% macro default__quarter_at_a_time(column, source) -%}
    {{ rebuilt_quarters(column) }}
{%- endmacro %}

{% macro duckdb__quarter_at_a_time(column, source) -%}
    {%- set quarters = quarters_to_build(source) -%}
    {%- if quarters | length == 0 -%}
        false
    {%- else -%}
        {{ one_quarter(column, quarters[0]) }}
    {%- endif -%}
{%- endmacro %}

{% macro insert_other_quarters(column, source) -%}
    {{ return(adapter.dispatch('insert_other_quarters')(column, source)) }}
{%- endmacro %}

{% macro default__insert_other_quarters(column, source) -%}
    select 1
{%- endmacro %}

{% macro duckdb__insert_other_quarters(column, source) -%}
    {%- set quarters = quarters_to_build(source) -%}
    {%- set first = one_quarter(column, quarters[0]) if quarters else none -%}
    {%- if quarters | length < 2 -%}
        select 1
    {%- elif model.compiled_code.count(first) != 1 -%}
        {{ exceptions.raise_compiler_error(
            "insert_other_quarters: the filter " ~ first ~ " must appear once in "
            ~ model.name ~ "'s SQL (quarter_at_a_time)"
        ) }}
    {%- else -%}
        {%- for quarter in quarters[1:] %}
            insert into {{ this }} {{ model.compiled_code.replace(first, one_quarter(column, quarter)) }};
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
