{#
    Consistent cell-key perturbation (as the ABS TableBuilder and the ONS do), with every
    count up to the threshold withheld.
    Each person has a fixed record key in 0..modulus-1; a cell's key is the sum of its
    records' keys modulo the modulus, so the same cell always gets the same noise.
    Counts from 0 to the threshold are withheld (NULL, shown as "<=threshold"): withholding the
    zeros too means a differencing attack can only ever pin a withheld cell to 0 or to the
    threshold itself, never to a small count. Larger counts get a noise of -max..+max chosen
    by the cell key, and are never published below threshold + 1.
#}
{% macro perturbed_count(n, key_sum) -%}
    {%- set threshold = var('disclosure_threshold') -%}
    {%- set noise_max = var('perturbation_max') -%}
    case
        when {{ n }} <= {{ threshold }} then null
        else greatest(
            {{ threshold + 1 }},
            {{ n }} + mod(mod({{ key_sum }}, {{ var('cell_key_modulus') }}), {{ 2 * noise_max + 1 }})
            - {{ noise_max }}
        )
    end
{%- endmacro %}
