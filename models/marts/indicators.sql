{{ config(
    materialized=quarterly_materialization(),
    pre_hook="{{ delete_rebuilt_quarters() }}",
    contract={'enforced': true},
    tags=['public'],
) }}
{#-
    The standard indicators (dim_indicator) per unit, quarter, sex and, for Belgium and the
    regions, nationality group. Numerator and denominator are, like every published figure,
    sums of the published values of the master cells they hold (int_figure_cells): the
    positions of the indicator's terms (ref_indicator_terms) in its age band. The rate (per
    cent) is withheld when either is 0, and not available when a missing or rejected delivery
    touches a position of either (int_figure_gaps).
-#}
with terms as (
    select
        terms.indicator,
        terms.term,
        terms.position,
        indicators.age_from,
        indicators.age_to
    from {{ ref('ref_indicator_terms') }} as terms
    inner join {{ ref('ref_indicators') }} as indicators
        on terms.indicator = indicators.indicator
),

contributions as (
    {#- each master cell in each term whose position (category, group or total) and band hold it -#}
    select
        cells.ref_date,
        cells.nis_code,
        cells.arrondissement_code,
        cells.province_code,
        cells.region_code,
        cells.sex,
        cells.nationality_group,
        terms.indicator,
        terms.term,
        cells.published_persons
    from {{ ref('int_figure_cells') }} as cells
    inner join {{ ref('ref_age_classes') }} as ages
        on cells.age_class = ages.age_class
    inner join terms
        on
            (
                cells.position_code = terms.position
                or terms.position
                = {{ dbt.concat(["'G'", dbt.cast('cells.main_group_code', dbt.type_string())]) }}
                or terms.position = '_T'
            )
            and ages.min_age >= terms.age_from
            and ages.max_age <= terms.age_to
    where {{ rebuilt_quarters('cells.ref_date') }}
),

national as (
    select
        'country' as geo_level,
        '01000' as geo_code,
        ref_date,
        sex,
        nationality_group,
        indicator,
        term,
        published_persons
    from contributions
    union all
    select
        'region' as geo_level,
        region_code as geo_code,
        ref_date,
        sex,
        nationality_group,
        indicator,
        term,
        published_persons
    from contributions
),

local_units as (
    select
        'province' as geo_level,
        province_code as geo_code,
        ref_date,
        sex,
        indicator,
        term,
        published_persons
    from contributions
    where province_code is not null
    union all
    select
        'arrondissement' as geo_level,
        arrondissement_code as geo_code,
        ref_date,
        sex,
        indicator,
        term,
        published_persons
    from contributions
    union all
    select
        'municipality' as geo_level,
        nis_code as geo_code,
        ref_date,
        sex,
        indicator,
        term,
        published_persons
    from contributions
),

counted as (
    select
        geo_level,
        geo_code,
        ref_date,
        coalesce(sex, '_T') as sex,
        coalesce(nationality_group, '_T') as nationality_group,
        indicator,
        sum(case when term = 'numerator' then published_persons end) as numerator,
        sum(case when term = 'denominator' then published_persons end) as denominator
    from national
    group by geo_level, geo_code, ref_date, indicator, cube(sex, nationality_group)
    union all
    select
        geo_level,
        geo_code,
        ref_date,
        coalesce(sex, '_T') as sex,
        '_T' as nationality_group,
        indicator,
        sum(case when term = 'numerator' then published_persons end) as numerator,
        sum(case when term = 'denominator' then published_persons end) as denominator
    from local_units
    group by geo_level, geo_code, ref_date, indicator, cube(sex)
),

term_gaps as (
    select distinct
        gaps.geo_level,
        gaps.geo_code,
        gaps.ref_date,
        terms.indicator,
        gaps.gap,
        gaps.institution_code
    from {{ ref('int_figure_gaps') }} as gaps
    inner join terms
        on gaps.position = terms.position
),

gaps as (
    {{ gap_sources(['geo_level', 'geo_code', 'ref_date', 'indicator'], 'term_gaps') }}
),

quarters as (
    select distinct ref_date from {{ ref('int_figure_cells') }}
    where {{ rebuilt_quarters('ref_date') }}
),

sexes as (
    select sex from {{ ref('ref_sexes') }}
    union all
    select '_T' as sex
),

nationalities as (
    select nationality_group from {{ ref('ref_nationality_groups') }}
    union all
    select '_T' as nationality_group
),

scaffold as (
    select
        units.geo_level,
        units.geo_code,
        quarters.ref_date,
        sexes.sex,
        nationalities.nationality_group,
        indicators.indicator
    from quarters
    inner join {{ ref('dim_geography') }} as units
        on
            (units.valid_from is null or quarters.ref_date >= units.valid_from)
            and (units.valid_to is null or quarters.ref_date < units.valid_to)
    cross join sexes
    cross join {{ ref('ref_indicators') }} as indicators
    inner join nationalities
        on
            units.geo_level in ('country', 'region')
            or nationalities.nationality_group = '_T'
),

valued as (
    select
        scaffold.geo_level,
        scaffold.geo_code,
        scaffold.ref_date,
        scaffold.sex,
        scaffold.nationality_group,
        scaffold.indicator,
        gaps.unavailable_sources,
        gaps.provisional_sources,
        case
            when gaps.unavailable_sources is null then nullif(counted.numerator, 0)
        end as numerator,
        case
            when gaps.unavailable_sources is null then nullif(counted.denominator, 0)
        end as denominator
    from scaffold
    left join counted
        on
            scaffold.geo_level = counted.geo_level
            and scaffold.geo_code = counted.geo_code
            and scaffold.ref_date = counted.ref_date
            and scaffold.sex = counted.sex
            and scaffold.nationality_group = counted.nationality_group
            and scaffold.indicator = counted.indicator
    left join gaps
        on
            scaffold.geo_level = gaps.geo_level
            and scaffold.geo_code = gaps.geo_code
            and scaffold.ref_date = gaps.ref_date
            and scaffold.indicator = gaps.indicator
)

select
    geo_level,
    geo_code,
    ref_date,
    {{ quarter_label('ref_date') }} as quarter,
    sex,
    nationality_group,
    indicator,
    cast(numerator as integer) as numerator,
    cast(denominator as integer) as denominator,
    case
        when numerator is not null and denominator is not null
            then cast(100.0 * numerator / denominator as double)
    end as rate,
    case
        when unavailable_sources is not null then 'not_available'
        when numerator is null or denominator is null then 'withheld'
        else 'published'
    end as status,
    provisional_sources is not null as is_provisional,
    unavailable_sources,
    provisional_sources
from valued
