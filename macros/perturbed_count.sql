{#
    The published value of a finest cell of the figures (a "master cell"), from its true count n
    and its cell key (the sum of its persons' record keys modulo the modulus, uniform 0..255;
    the same persons always give the same key, so the same cell always gets the same value).
    - n = 0 stays 0.
    - n from 1 to the threshold becomes 0 or threshold + 1, the latter with probability
      n / (threshold + 1): the expectation is n, and every small count has the same two possible
      values, so no published value, nor any number of draws, tells one small count from another.
    - larger counts get a noise of -max..+max chosen by the cell key, never below threshold + 1.
    Every published figure is the sum of its master cells' values (figure_table), withheld when
    that sum is 0: the tables add up exactly, so a solver combining them learns nothing the
    master cells' values do not already say.
#}
{% macro perturbed_count(n, key_sum) -%}
    {%- set threshold = var('disclosure_threshold') -%}
    {%- set noise_max = var('perturbation_max') -%}
    {%- set modulus = var('cell_key_modulus') -%}
    case
        when {{ n }} = 0 then 0
        when {{ n }} <= {{ threshold }}
            then case
                when mod({{ key_sum }}, {{ modulus }}) * {{ threshold + 1 }} < {{ n }} * {{ modulus }}
                    then {{ threshold + 1 }}
                else 0
            end
        else greatest(
            {{ threshold + 1 }},
            {{ n }} + mod(mod({{ key_sum }}, {{ modulus }}), {{ 2 * noise_max + 1 }})
            - {{ noise_max }}
        )
    end
{%- endmacro %}
