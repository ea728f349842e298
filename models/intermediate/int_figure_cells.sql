{#-
    The finest cells of the published figures, with their true counts and the sums of their
    record keys. Never published: local_figures and global_figures perturb them.
-#}
select
    ref_date,
    quarter,
    nis_code,
    arrondissement_code,
    province_code,
    region_code,
    position_code,
    main_group_code,
    sex,
    age_class,
    nationality_group,
    count(*) as persons,
    sum(record_key) as key_sum
from {{ ref('int_person_quarter') }}
group by
    ref_date,
    quarter,
    nis_code,
    arrondissement_code,
    province_code,
    region_code,
    position_code,
    main_group_code,
    sex,
    age_class,
    nationality_group
