{#
    Staging of an institution whose rows say "this person holds this status on the last day
    of this quarter": pseudonym, reference date, the institution's own code, and the status
    it stands for (seed ref_source_codes). Unknown codes were quarantined at ingest.
#}
{% macro staged_statuses(institution, code_column) -%}
    select
        landed.pseudonym,
        landed.period_end as ref_date,
        codes.institution_code,
        landed.{{ code_column }} as source_code,
        codes.status_code
    from {{ source('landing', institution) }} as landed
    inner join {{ ref('ref_source_codes') }} as codes
        on
            codes.institution_code = '{{ institution }}'
            and landed.{{ code_column }} = codes.source_code
{%- endmacro %}
