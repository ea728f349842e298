{{ config(
    contract={'enforced': true},
    tags=['public'],
) }}
{#-
    Disability figures: persons with a published disability status (D1 a care budget or an
    allowance for assistance to the elderly, D2 a parking card; '_T' either) by geography down
    to the arrondissement x quarter x sex x age class, for every combination (zeros included),
    with totals ('_T') for every breakdown. Each cell is the sum of the published values of the
    master cells it holds (int_disability_cells), withheld (NULL, is_suppressed) when that sum
    is 0; not available when a delivery it depends on is missing or rejected
    (int_disability_gaps), flagged when one is provisional; not applicable where no source of
    the region gives the status (D1 in Wallonia).
-#}
{%- set geo_levels = [
    ['country', "'01000'"],
    ['region', 'region_code'],
    ['province', 'province_code'],
    ['arrondissement', 'arrondissement_code'],
] -%}
{%- set breakdowns = [
    ['disability_status', 'published_statuses'],
    ['sex', 'ref_sexes'],
    ['age_class', 'ref_age_classes'],
] -%}
{%- set dims = breakdowns | map(attribute=0) | join(', ') -%}
{%- set levels = "'" ~ (geo_levels | map(attribute=0) | join("', '")) ~ "'" -%}
with cells as (
    select * from {{ ref('int_disability_cells') }}
),

by_geography as (
    {% for level, column in geo_levels %}
        select
            '{{ level }}' as geo_level,
            {{ column }} as geo_code,
            ref_date,
            {{ dims }},
            published_persons
        from cells
        where {{ column }} is not null
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

counted as (
    select
        geo_level,
        geo_code,
        ref_date,
        {% for dim in breakdowns %}
            coalesce({{ dim[0] }}, '_T') as {{ dim[0] }},
        {% endfor %}
        sum(published_persons) as published_persons
    from by_geography
    group by geo_level, geo_code, ref_date, cube({{ dims }})
),

quarters as (
    select distinct ref_date from {{ ref('int_figure_cells') }}
),

units as (
    select
        quarters.ref_date,
        units_of_geography.geo_level,
        units_of_geography.geo_code
    from quarters
    inner join {{ ref('dim_geography') }} as units_of_geography
        on
            units_of_geography.geo_level in ({{ levels }})
            and (
                units_of_geography.valid_from is null
                or quarters.ref_date >= units_of_geography.valid_from
            )
            and (
                units_of_geography.valid_to is null
                or quarters.ref_date < units_of_geography.valid_to
            )
),

published_statuses as (
    select disability_status from {{ ref('ref_disability_statuses') }}
    where is_published
),

{% for dim, seed in breakdowns %}
    {{ dim }}_values as (
        select {{ dim }} from {{ seed if seed == 'published_statuses' else ref(seed) }}
        union all
        select '_T' as {{ dim }}
    ),
{% endfor %}

gaps as (
    {{ gap_sources(
        ['geo_level', 'geo_code', 'ref_date', 'disability_status'], ref('int_disability_gaps'),
        not_applicable=true
    ) }}
),

scaffold as (
    select
        units.geo_level,
        units.geo_code,
        units.ref_date,
        {{ dims }}
    from units
    {% for dim, seed in breakdowns %}
        cross join {{ dim }}_values
    {% endfor %}
)

select
    scaffold.geo_level,
    scaffold.geo_code,
    scaffold.ref_date,
    {{ quarter_label('scaffold.ref_date') }} as quarter,
    {% for dim, seed in breakdowns %}
        scaffold.{{ dim }},
    {% endfor %}
    {{ published_cell('counted.published_persons', 'gaps', not_applicable=true) }}
from scaffold
left join gaps
    on
        scaffold.geo_level = gaps.geo_level
        and scaffold.geo_code = gaps.geo_code
        and scaffold.ref_date = gaps.ref_date
        and scaffold.disability_status = gaps.disability_status
left join counted
    on
        scaffold.geo_level = counted.geo_level
        and scaffold.geo_code = counted.geo_code
        and scaffold.ref_date = counted.ref_date
        {% for dim, seed in breakdowns %}
            and scaffold.{{ dim }} = counted.{{ dim }}
        {% endfor %}
