{#-
    The landing zone as sources. DuckDB reads each source's Parquet files through dbt-duckdb's
    `external_location`; Spark gets one view per source over the same files, made here before
    the run (called from `on-run-start`).
-#}
{% macro create_landing_sources() -%}
    {{ return(adapter.dispatch('create_landing_sources')()) }}
{%- endmacro %}

{% macro default__create_landing_sources() -%}
{%- endmacro %}

{% macro spark__create_landing_sources() -%}
    {%- if execute -%}
        {%- set schemas = [] -%}
        {%- for node in graph.sources.values() if node.source_name == 'landing' -%}
            {%- if node.schema not in schemas -%}
                {%- do run_query('create database if not exists ' ~ node.schema) -%}
                {%- do schemas.append(node.schema) -%}
            {%- endif -%}
            {%- set location = node.meta.external_location.format(name=node.name) -%}
            {%- do run_query(
                'create or replace view ' ~ node.schema ~ '.' ~ node.identifier
                ~ ' as select * from parquet.`' ~ location ~ '`'
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
