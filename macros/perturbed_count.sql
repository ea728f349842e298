{#
    Consistent cell-key perturbation (as the ABS TableBuilder and the ONS do).
    Each person has a fixed record key in 0..modulus-1; a cell's key is the sum of its
    records' keys modulo the modulus, so the same cell always gets the same noise.
    Counts from 1 to threshold - 1 are suppressed (NULL, shown as "<threshold");
    larger counts get a noise of -max..+max chosen by the cell key, never below the threshold.
#}
{% macro perturbed_count(n, key_sum) -%}
    {%- set threshold = var('disclosure_threshold') -%}
    {%- set noise_max = var('perturbation_max') -%}
    case
        when {{ n }} = 0 then 0
        when {{ n }} < {{ threshold }} then null
        else greatest(
            {{ threshold }},
            {{ n }} + mod(mod({{ key_sum }}, {{ var('cell_key_modulus') }}), {{ 2 * noise_max + 1 }})
            - {{ noise_max }}
        )
    end
{%- endmacro %}
