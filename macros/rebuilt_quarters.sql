{#-
    Incremental builds by quarter. `dwh build` passes the quarters that its new, changed or
    removed deliveries touch in the environment variable DWH_REBUILD_QUARTERS (ISO dates, the
    quarters' last days, comma-separated; not a --vars, which would make dbt parse the whole
    project again at every build);
    the large models then delete those quarters and insert them again, and leave the others as
    they are. A first build, `dwh build --full-refresh`, and engines without delete (Spark on
    Parquet) build every quarter.
-#}
{% macro quarterly_materialization() -%}
    {{ return(adapter.dispatch('quarterly_materialization')()) }}
{%- endmacro %}

{% macro default__quarterly_materialization() -%}
    {{ return('table') }}
{%- endmacro %}

{% macro duckdb__quarterly_materialization() -%}
    {{ return('incremental') }}
{%- endmacro %}

{% macro rebuilt_quarters(column) -%}
    {%- if is_incremental() -%}
        {%- set listed = env_var('DWH_REBUILD_QUARTERS', '') -%}
        {%- set quarters = listed.split(',') if listed else [] -%}
        {%- if quarters | length == 0 -%}
            false
        {%- else -%}
            {#- checked where it is used: each must be a date, written back as dbt read it -#}
            {{ column }} in (
            {%- for quarter in quarters -%}
                cast('{{ modules.datetime.date.fromisoformat(quarter | string).isoformat() }}' as date)
                {%- if not loop.last %}, {% endif -%}
            {%- endfor -%}
            )
        {%- endif -%}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro delete_rebuilt_quarters() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where {{ rebuilt_quarters('ref_date') }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
