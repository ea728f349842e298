{#-
    The published columns of a figure cell: its value, as `name`, the sum of its master cells'
    published values (`count`), withheld (NULL, is_suppressed) when that sum is 0 or missing,
    not available (NULL) when a missing or rejected delivery touches the cell
    (`gaps`.unavailable_sources); then status, is_provisional and the institutions
    (unavailable_sources, provisional_sources).
-#}
{% macro published_cell(count, gaps, name='persons') -%}
    case
        when {{ gaps }}.unavailable_sources is null
            then cast(nullif({{ count }}, 0) as integer)
    end as {{ name }},
    {{ gaps }}.unavailable_sources is null
    and coalesce({{ count }}, 0) = 0 as is_suppressed,
    case
        when {{ gaps }}.unavailable_sources is not null then 'not_available'
        when coalesce({{ count }}, 0) = 0 then 'withheld'
        else 'published'
    end as status,
    {{ gaps }}.provisional_sources is not null as is_provisional,
    {{ gaps }}.unavailable_sources,
    {{ gaps }}.provisional_sources
{%- endmacro %}
