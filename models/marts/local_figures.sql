{{ config(
    materialized=quarterly_materialization(),
    pre_hook="{{ delete_rebuilt_quarters() }}",
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
