{#-
    Figures a delivery problem touches: one row per geographic unit, quarter, position (a
    category, a main group 'G1'..'G4' or the total '_T') and institution whose delivery for the
    year is missing or rejected (gap 'not_available') or provisional (gap 'provisional').
    A delivery decides the positions of its statuses and every position of lower precedence
    (the persons it misses fall to them), 'other' (n4) always, every working category when it
    delivers working statuses (the combined categories n141-n143 move between them), and every
    figure, totals included, for the National Register. A delivery whose statuses decide no
    position (the disability sources but FOD SZ's allowances: int_disability_gaps) touches none.
    A regional institution touches the units of its region and Belgium.
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

precedence as (
    select
        position_code,
        min(precedence) as precedence
    from {{ ref('ref_position_precedence') }}
    group by position_code
),

reach as (
    {#- the first precedence an institution's statuses decide -#}
    select
        codes.institution_code,
        min(rules.precedence) as first_precedence
    from {{ ref('ref_source_codes') }} as codes
    inner join {{ ref('ref_position_precedence') }} as rules
        on codes.status_code = rules.status_code
    group by codes.institution_code
),

touched as (
    select
        problems.institution_code,
        problems.year,
        problems.region_code,
        problems.gap,
        positions.position_code,
        positions.main_group_code
    from problems
    cross join {{ ref('ref_socio_economic_positions') }} as positions
    left join reach
        on problems.institution_code = reach.institution_code
    left join precedence
        on positions.position_code = precedence.position_code
    where
        problems.institution_code = 'rr'
        or (positions.position_code = 'n4' and reach.institution_code is not null)
        or reach.first_precedence <= 3
        or precedence.precedence >= reach.first_precedence
),

by_position as (
    select
        institution_code,
        year,
        region_code,
        gap,
        position_code as position
    from touched
    union
    select
        institution_code,
        year,
        region_code,
        gap,
        {{ dbt.concat(["'G'", dbt.cast('main_group_code', dbt.type_string())]) }} as position
    from touched
    union
    select
        institution_code,
        year,
        region_code,
        gap,
        '_T' as position
    from problems
    where institution_code = 'rr'
),

quarters as (
    select distinct ref_date from {{ ref('int_figure_cells') }}
),

units as (
    {#- every unit of the figures with its region ('01000', Belgium, has none) -#}
    select distinct
        'municipality' as geo_level,
        nis_code as geo_code,
        region_code
    from {{ ref('ref_municipalities') }}
    union
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
),

located as (
    select
        units.geo_level,
        units.geo_code,
        quarters.ref_date,
        by_position.position,
        by_position.gap,
        by_position.institution_code
    from by_position
    inner join quarters
        on by_position.year = extract(year from quarters.ref_date)
    inner join units
        on
            by_position.region_code is null
            or units.geo_level = 'country'
            or by_position.region_code = units.region_code
)

select distinct
    geo_level,
    geo_code,
    ref_date,
    position,
    gap,
    institution_code
from located
