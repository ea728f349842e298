{{ config(contract={'enforced': true}, tags=['public']) }}
{#-
    The public face of source_registration: per institution and year, received, provisional,
    missing or rejected, without the counts of rows (exact sums of persons' records, small for
    small institutions) that only the stewards see.
-#}
select
    institution_code,
    institution_name_nl,
    institution_name_fr,
    institution_name_en,
    year,
    registration_status,
    is_provisional
from {{ ref('source_registration') }}
