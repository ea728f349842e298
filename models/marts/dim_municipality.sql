{{ config(contract={'enforced': true}, tags=['public']) }}
{#- Year-aware: 581 municipalities valid until the 2025 mergers, 565 after (valid_to excluded). -#}
select
    municipality.nis_code,
    municipality.name_nl,
    municipality.name_fr,
    municipality.valid_from,
    municipality.valid_to,
    successor.new_nis_code as merged_into_nis_code,
    municipality.arrondissement_code,
    arrondissement.name_nl as arrondissement_name_nl,
    arrondissement.name_fr as arrondissement_name_fr,
    municipality.province_code,
    province.name_nl as province_name_nl,
    province.name_fr as province_name_fr,
    municipality.region_code,
    region.name_nl as region_name_nl,
    region.name_fr as region_name_fr,
    region.name_en as region_name_en,
    cast(municipality.inhabitants_2020 as integer) as inhabitants_2020
from {{ ref('ref_municipalities') }} as municipality
inner join {{ ref('ref_arrondissements') }} as arrondissement
    on municipality.arrondissement_code = arrondissement.arrondissement_code
left join {{ ref('ref_provinces') }} as province
    on municipality.province_code = province.province_code
inner join {{ ref('ref_regions') }} as region
    on municipality.region_code = region.region_code
left join {{ ref('ref_municipality_crosswalk') }} as successor
    on
        municipality.nis_code = successor.old_nis_code
        and municipality.valid_to is not null
