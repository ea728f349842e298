-- The same cell published in two tables (a region, all nationalities) has the same value.
select
    local_cells.geo_code,
    local_cells.quarter,
    local_cells.position
from {{ ref('local_figures') }} as local_cells
inner join {{ ref('global_figures') }} as global_cells
    on
        local_cells.geo_level = global_cells.geo_level
        and local_cells.geo_code = global_cells.geo_code
        and local_cells.ref_date = global_cells.ref_date
        and local_cells.position = global_cells.position
        and local_cells.sex = global_cells.sex
        and local_cells.age_class = global_cells.age_class
        and global_cells.nationality_group = '_T'
where coalesce(local_cells.persons, -1) <> coalesce(global_cells.persons, -1)
