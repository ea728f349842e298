{#-
    Households on the last day of each quarter, one row each (private or collective, counted
    once), from the register's household and position in it (int_person_quarter): its type,
    members, adults (18+), young adults (18-24), children (under 18), the age class of its
    youngest child (position child, of any age), its reference person's and partner's sex, age
    class, nationality group and position, and its municipality (the reference person's).
    The reference person is the member in position 01; when the register lists none (its row
    quarantined), the partner, else the oldest member stands in (the first pseudonym among
    equals). Each household's reference person and partner are picked by one min() over text:
    a key that sorts as (rank, oldest first, pseudonym), fixed-width (pseudonyms are
    fixed-width hexadecimal; ages 0-999), then '|' and the person's fields; the fields are
    read back with split_part. Not by ranking the members, nor by an arg_min of records; and
    members are counted with count(), whose state is half a sum's: at national scale (21
    million households a year) the model takes about half the time (112 s, against 207 s).
    A private household of minors only (its adults' rows quarantined) is typed other (H5),
    never one-parent. A collective household has no
    reference person: its sex, age class and nationality group are '_Z' (not applicable).
    record_key: the sum of the members' record keys modulo 256 (the cell key's input).
    The register has no civil status: couples are married or cohabiting alike (README).
    Incremental by quarter, as int_person_quarter (macros/rebuilt_quarters.sql), and built one
    quarter at a time (macros/quarter_at_a_time.sql: the first quarter here, the others by the
    post-hook).
    Built after int_person_cohort_year, not beside it (the depends_on below): at national scale
    both group tens of millions of rows and, run at once, share DuckDB's memory and spill.
-#}
{{ config(
    materialized=quarterly_materialization(),
    pre_hook="{{ delete_rebuilt_quarters() }}",
    post_hook="{{ insert_other_quarters('ref_date', ref('int_person_quarter')) }}",
) }}
{#- the key's age, oldest first and fixed-width; the fields after the key are read back by
    their position (split_part 2, 3, ...), so the two lists below keep one order -#}
{%- set oldest_first = "lpad(cast(999 - age as " ~ dbt.type_string() ~ "), 3, '0')" -%}
-- depends_on: {{ ref('int_person_cohort_year') }}
with households as (
    select
        ref_date,
        household_id,
        count(*) as members,
        count(case when age >= 18 then 1 end) as adults,
        count(case when age between 18 and 24 then 1 end) as young_adults,
        count(case when age < 18 then 1 end) as children,
        min(case when household_position = '03' then age end) as youngest_child_age,
        max(case when household_position = '05' then 1 else 0 end) as is_collective,
        count(case when household_position = '02' then 1 end) as partners,
        count(case when household_position = '03' then 1 end) as sons_and_daughters,
        count(case when household_position = '04' then 1 end) as other_members,
        mod(sum(record_key), 256) as record_key,
        min(concat(
            case when household_position in ('01', '02') then household_position else '99' end,
            {{ oldest_first }},
            pseudonym,
            '|', coalesce(nis_code, ''), '|', coalesce(sex, ''), '|', coalesce(age_class, ''),
            '|', coalesce(nationality_group, ''), '|', coalesce(position_code, ''),
            '|', coalesce(cast(main_group_code as {{ dbt.type_string() }}), '')
        )) as head,
        min(case when household_position = '02' then concat(
            {{ oldest_first }},
            pseudonym,
            '|', coalesce(sex, ''), '|', coalesce(age_class, ''),
            '|', coalesce(nationality_group, ''), '|', coalesce(position_code, '')
        ) end) as partner
    from {{ ref('int_person_quarter') }}
    where {{ quarter_at_a_time('ref_date', ref('int_person_quarter')) }}
    group by ref_date, household_id
),

typed as (
    select
        ref_date,
        household_id,
        members,
        adults,
        young_adults,
        children,
        youngest_child_age,
        is_collective,
        record_key,
        nullif(split_part(head, '|', 2), '') as nis_code,
        nullif(split_part(head, '|', 3), '') as head_sex,
        nullif(split_part(head, '|', 4), '') as head_age_class,
        nullif(split_part(head, '|', 5), '') as head_nationality_group,
        nullif(split_part(head, '|', 6), '') as head_position_code,
        cast(nullif(split_part(head, '|', 7), '') as integer) as head_main_group_code,
        nullif(split_part(partner, '|', 2), '') as partner_sex,
        nullif(split_part(partner, '|', 3), '') as partner_age_class,
        nullif(split_part(partner, '|', 4), '') as partner_nationality_group,
        nullif(split_part(partner, '|', 5), '') as partner_position_code,
        case
            when is_collective = 1 then 'H6'
            when members = 1 then 'H1'
            when other_members > 0 then 'H5'
            when partners = 1 and sons_and_daughters = 0 and members = 2 then 'H2'
            when partners = 1 and sons_and_daughters > 0 then 'H3'
            when partners = 0 and sons_and_daughters > 0 and adults > 0 then 'H4'
            else 'H5'
        end as household_type
    from households
)

select
    typed.ref_date,
    typed.household_id,
    typed.nis_code,
    typed.household_type,
    typed.members,
    sizes.household_size,
    typed.adults,
    typed.young_adults,
    typed.children,
    child_ages.age_class as youngest_child_age_class,
    case when typed.is_collective = 1 then '_Z' else typed.head_sex end as ref_sex,
    case when typed.is_collective = 1 then '_Z' else typed.head_age_class end as ref_age_class,
    case
        when typed.is_collective = 1 then '_Z' else typed.head_nationality_group
    end as ref_nationality_group,
    case when typed.is_collective = 0 then typed.head_position_code end as ref_position_code,
    case when typed.is_collective = 0 then typed.head_main_group_code end as ref_main_group_code,
    typed.partner_sex,
    typed.partner_age_class,
    typed.partner_nationality_group,
    typed.partner_position_code,
    typed.record_key
from typed
inner join {{ ref('ref_household_sizes') }} as sizes
    on typed.members between sizes.min_members and sizes.max_members
left join {{ ref('ref_ages') }} as child_ages
    on typed.youngest_child_age = child_ages.age
