{{ config(contract={'enforced': false}, tags=['public']) }}
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
    'region', region_code, name_nl, name_fr, name_en, '01000', null, null
from {{ ref('ref_regions') }}
union all
select
    'province', province_code, name_nl, name_fr, name_fr, region_code, null, null
from {{ ref('ref_provinces') }}
union all
select
    'arrondissement', arrondissement_code, name_nl, name_fr, name_fr,
    coalesce(province_code, region_code), null, null
from {{ ref('ref_arrondissements') }}
union all
select
    'municipality', nis_code, name_nl, name_fr, name_fr, arrondissement_code, valid_from, valid_to
from {{ ref('ref_municipalities') }}
