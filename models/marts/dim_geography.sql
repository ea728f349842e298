{{ config(contract={'enforced': true}, tags=['public']) }}
{#- Every geographic unit of the published figures, at each level, with NL/FR/EN names. -#}
select
    'country' as geo_level,
    '01000' as geo_code,
    'België' as name_nl,
    'Belgique' as name_fr,
    'Belgium' as name_en,
    cast(null as {{ dbt.type_string() }}) as parent_code,
    cast(null as date) as valid_from,
    cast(null as date) as valid_to
union all
select
    'region' as geo_level,
    region_code as geo_code,
    name_nl,
    name_fr,
    name_en,
    '01000' as parent_code,
    null as valid_from,
    null as valid_to
from {{ ref('ref_regions') }}
union all
select
    'province' as geo_level,
    province_code as geo_code,
    name_nl,
    name_fr,
    name_fr as name_en,
    region_code as parent_code,
    null as valid_from,
    null as valid_to
from {{ ref('ref_provinces') }}
union all
select
    'arrondissement' as geo_level,
    arrondissement_code as geo_code,
    name_nl,
    name_fr,
    name_fr as name_en,
    coalesce(province_code, region_code) as parent_code,
    null as valid_from,
    null as valid_to
from {{ ref('ref_arrondissements') }}
union all
select
    'municipality' as geo_level,
    nis_code as geo_code,
    name_nl,
    name_fr,
    name_fr as name_en,
    arrondissement_code as parent_code,
    valid_from,
    valid_to
from {{ ref('ref_municipalities') }}
