{#-
    Cells of disability_figures a delivery problem touches, as int_figure_gaps does for the
    position: one row per unit (down to the arrondissement), quarter, published disability
    status (or its total '_T') and institution whose delivery for the year is missing or
    rejected ('not_available') or provisional ('provisional'). A delivery decides the
    published statuses of its own statuses and every one of lower precedence (the persons it
    misses fall to them), and their total; the National Register every cell. A delivery that
    decides no published status (FOD SZ's disability allowances, the position's sources)
    touches none. A regional institution touches the units of its region and Belgium.
    And, every quarter, the published statuses no source of a region (regional or national)
    can give are 'not_applicable' in the region's units (institution_code NULL): no Walloon
    source gives D1, so Wallonia's D1 is not a count of zero, withheld, but not applicable.
-#}
with problems as (
    select
        deliveries.institution_code,
        deliveries.year,
        institutions.region_code,
        case
            when deliveries.delivery_status in ('missing', 'rejected') then 'not_available'
            else 'provisional'
        end as gap
    from {{ ref('stg_ingest__deliveries') }} as deliveries
    inner join {{ ref('ref_institutions') }} as institutions
        on deliveries.institution_code = institutions.institution_code
    where
        deliveries.delivery_status in ('missing', 'rejected')
        or (deliveries.delivery_status = 'received' and deliveries.is_provisional)
),

reach as (
    {#- the first precedence an institution's statuses decide -#}
    select
        codes.institution_code,
        min(rules.precedence) as first_precedence
    from {{ ref('ref_source_codes') }} as codes
    inner join {{ ref('ref_disability_statuses') }} as rules
        on codes.status_code = rules.status_code
    group by codes.institution_code
),

touched as (
    select
        problems.institution_code,
        problems.year,
        problems.region_code,
        problems.gap,
        statuses.disability_status
    from problems
    cross join {{ ref('ref_disability_statuses') }} as statuses
    left join reach
        on problems.institution_code = reach.institution_code
    where
        statuses.is_published
        and (
            problems.institution_code = 'rr'
            or statuses.precedence >= reach.first_precedence
        )
),

by_status as (
    select
        institution_code,
        year,
        region_code,
        gap,
        disability_status
    from touched
    union
    select
        institution_code,
        year,
        region_code,
        gap,
        '_T' as disability_status
    from touched
),

coverage as (
    {#- per region and published status: the institutions whose codes give it there -#}
    select
        regions.region_code,
        statuses.disability_status,
        count(institutions.institution_code) as sources
    from {{ ref('ref_regions') }} as regions
    cross join {{ ref('ref_disability_statuses') }} as statuses
    left join {{ ref('ref_source_codes') }} as codes
        on statuses.status_code = codes.status_code
    left join {{ ref('ref_institutions') }} as institutions
        on
            codes.institution_code = institutions.institution_code
            and (
                institutions.region_code is null
                or regions.region_code = institutions.region_code
            )
    where statuses.is_published
    group by regions.region_code, statuses.disability_status
),

quarters as (
    select distinct ref_date from {{ ref('int_figure_cells') }}
),

units as (
    {#- every unit of the figures with its region ('01000', Belgium, has none) -#}
    select distinct
        'arrondissement' as geo_level,
        arrondissement_code as geo_code,
        region_code
    from {{ ref('ref_municipalities') }}
    union
    select distinct
        'province' as geo_level,
        province_code as geo_code,
        region_code
    from {{ ref('ref_municipalities') }}
    where province_code is not null
    union
    select
        'region' as geo_level,
        region_code as geo_code,
        region_code
    from {{ ref('ref_regions') }}
    union
    select
        'country' as geo_level,
        '01000' as geo_code,
        cast(null as {{ dbt.type_string() }}) as region_code
)

select distinct
    units.geo_level,
    units.geo_code,
    quarters.ref_date,
    by_status.disability_status,
    by_status.gap,
    by_status.institution_code
from by_status
inner join quarters
    on by_status.year = extract(year from quarters.ref_date)
inner join units
    on
        by_status.region_code is null
        or units.geo_level = 'country'
        or by_status.region_code = units.region_code
union
select
    units.geo_level,
    units.geo_code,
    quarters.ref_date,
    coverage.disability_status,
    'not_applicable' as gap,
    cast(null as {{ dbt.type_string() }}) as institution_code
from coverage
cross join quarters
inner join units
    on coverage.region_code = units.region_code
where coverage.sources = 0
