{{ config(contract={'enforced': true}, tags=['public']) }}
select
    positions.position_code,
    cast(positions.category as integer) as category,
    positions.code_status,
    positions.main_group_code,
    positions.label_nl,
    positions.label_fr,
    positions.label_en,
    main_groups.label_nl as main_group_label_nl,
    main_groups.label_fr as main_group_label_fr,
    main_groups.label_en as main_group_label_en
from {{ ref('ref_socio_economic_positions') }} as positions
inner join {{ ref('ref_position_main_groups') }} as main_groups
    on positions.main_group_code = main_groups.main_group_code
