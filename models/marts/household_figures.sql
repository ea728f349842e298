{{ config(
    contract={'enforced': true},
    tags=['public'],
) }}
{#-
    Household figures: households on the last day of a quarter by household type and size
    (every geography down to the municipality), and by their reference person's sex and age
    class or nationality group (down to the arrondissement), every combination scaffolded,
    with totals ('_T'); '_Z' (not applicable) for the reference person of collective
    households. Each cell is the sum of the published values of the master cells it holds
    (int_household_cells), withheld (NULL, is_suppressed) when that sum is 0; not available
    when the National Register's delivery for the year is missing or rejected, flagged when it
    is provisional (households depend on the register alone).
-#}
{%- set geo_levels = [
    ['country', "'01000'"],
    ['region', 'region_code'],
    ['province', 'province_code'],
    ['arrondissement', 'arrondissement_code'],
    ['municipality', 'nis_code'],
] -%}
{%- set breakdowns = [
    ['household_type', 'ref_household_types'],
    ['household_size', 'ref_household_sizes'],
    ['sex', 'ref_sexes'],
    ['age_class', 'ref_age_classes'],
    ['nationality_group', 'ref_nationality_groups'],
] -%}
{%- set person = ['sex', 'age_class', 'nationality_group'] -%}
{%- set dims = breakdowns | map(attribute=0) | join(', ') -%}
{%- set levels = "'" ~ (geo_levels | map(attribute=0) | join("', '")) ~ "'" -%}
with cells as (
    select * from {{ ref('int_household_cells') }}
),

by_geography as (
    {% for level, column in geo_levels %}
        select
            '{{ level }}' as geo_level,
            {{ column }} as geo_code,
            ref_date,
            {{ dims }},
            published_households
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
        sum(published_households) as published_households
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

{% for dim, seed in breakdowns %}
    {{ dim }}_values as (
        select {{ dim }} from {{ ref(seed) }}
        union all
        select '_T' as {{ dim }}
        {% if dim in person %}
            union all
            select '_Z' as {{ dim }}
        {% endif %}
    ),
{% endfor %}

gaps as (
    {#- the National Register's missing, rejected or provisional deliveries: every cell -#}
    select
        institution_code,
        year,
        case
            when delivery_status in ('missing', 'rejected') then 'not_available'
            else 'provisional'
        end as gap
    from {{ ref('stg_ingest__deliveries') }}
    where
        institution_code = 'rr'
        and (
            delivery_status in ('missing', 'rejected')
            or (delivery_status = 'received' and is_provisional)
        )
),

gaps_by_year as (
    {{ gap_sources(['year'], 'gaps') }}
),

crossed as (
    select {{ dims }}
    from household_type_values
    {% for dim, seed in breakdowns[1:] %}
        cross join {{ dim }}_values
    {% endfor %}
),

combinations as (
    select {{ dims }}
    from crossed
    where
        {# the nationality group apart from the reference person's sex and age class #}
        (nationality_group = '_T' or (sex = '_T' and age_class = '_T'))
        {# no reference person in a collective household, and only there #}
        and (
            household_type != 'H6'
            or (
                sex in ('_Z', '_T') and age_class in ('_Z', '_T')
                and nationality_group in ('_Z', '_T')
            )
        )
        and (
            (sex != '_Z' and age_class != '_Z' and nationality_group != '_Z')
            or (
                household_type in ('H6', '_T')
                and sex in ('_Z', '_T') and age_class in ('_Z', '_T')
                and nationality_group in ('_Z', '_T')
            )
        )
        {# the sizes a type can have #}
        and (household_type != 'H1' or household_size in ('1', '_T'))
        and (household_type != 'H2' or household_size in ('2', '_T'))
        and (household_type not in ('H3', 'H4', 'H5') or household_size != '1')
),

scaffold as (
    select
        units.geo_level,
        units.geo_code,
        units.ref_date,
        combinations.household_type,
        combinations.household_size,
        combinations.sex,
        combinations.age_class,
        combinations.nationality_group
    {# the reference person's breakdowns down to the arrondissement #}
    from units
    inner join combinations
        on
            units.geo_level != 'municipality'
            or (
                combinations.sex = '_T'
                and combinations.age_class = '_T'
                and combinations.nationality_group = '_T'
            )
)

select
    scaffold.geo_level,
    scaffold.geo_code,
    scaffold.ref_date,
    {{ quarter_label('scaffold.ref_date') }} as quarter,
    {% for dim, seed in breakdowns %}
        scaffold.{{ dim }},
    {% endfor %}
    {{ published_cell('counted.published_households', 'gaps_by_year', 'households') }}
from scaffold
left join gaps_by_year
    on extract(year from scaffold.ref_date) = gaps_by_year.year
left join counted
    on
        scaffold.geo_level = counted.geo_level
        and scaffold.geo_code = counted.geo_code
        and scaffold.ref_date = counted.ref_date
        {% for dim, seed in breakdowns %}
            and scaffold.{{ dim }} = counted.{{ dim }}
        {% endfor %}
