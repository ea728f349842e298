{% macro age_on(birth_date, day) -%}
    (
        extract(year from {{ day }}) - extract(year from {{ birth_date }})
        - case
            when extract(month from {{ day }}) * 100 + extract(day from {{ day }})
                < extract(month from {{ birth_date }}) * 100 + extract(day from {{ birth_date }})
                then 1
            else 0
        end
    )
{%- endmacro %}
