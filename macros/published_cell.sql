{#-
    The published columns of a figure cell: its value, as `name`, the sum of its master cells'
    published values (`count`), withheld (NULL, is_suppressed) when that sum is 0 or missing,
    not available (NULL) when a missing or rejected delivery touches the cell
    (`gaps`.unavailable_sources); with `not_applicable`, not applicable (NULL) where no source
    gives the figure (`gaps`.is_not_applicable, gap_sources); then status, is_provisional and
    the institutions (unavailable_sources, provisional_sources).
-#}
{% macro published_cell(count, gaps, name='persons', not_applicable=false) -%}
    {%- set inapplicable = 'coalesce(' ~ gaps ~ '.is_not_applicable, false)' -%}
    {%- set shown = gaps ~ '.unavailable_sources is null' -%}
    {%- if not_applicable %}{% set shown = shown ~ ' and not ' ~ inapplicable %}{% endif -%}
    case
        when {{ shown }}
            then cast(nullif({{ count }}, 0) as integer)
    end as {{ name }},
    {{ shown }}
    and coalesce({{ count }}, 0) = 0 as is_suppressed,
    case
        {% if not_applicable -%}
            when {{ inapplicable }} then 'not_applicable'
        {% endif -%}
        when {{ gaps }}.unavailable_sources is not null then 'not_available'
        when coalesce({{ count }}, 0) = 0 then 'withheld'
        else 'published'
    end as status,
    {{ gaps }}.provisional_sources is not null as is_provisional,
    {{ gaps }}.unavailable_sources,
    {{ gaps }}.provisional_sources
{%- endmacro %}
