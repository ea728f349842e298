{{ config(
    contract={'enforced': true},
    tags=['public'],
) }}
{{ figure_table(
    geo_levels=[
        ['country', "'01000'"],
        ['region', 'region_code'],
        ['province', 'province_code'],
        ['arrondissement', 'arrondissement_code'],
        ['municipality', 'nis_code'],
    ],
    breakdowns=[['sex', 'ref_sexes'], ['age_class', 'ref_age_classes']],
) }}
