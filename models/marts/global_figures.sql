{{ config(
    contract={'enforced': true},
    tags=['public'],
) }}
{{ figure_table(
    geo_levels=[['country', "'01000'"], ['region', 'region_code']],
    breakdowns=['sex', 'age_class', 'nationality_group'],
) }}
