{#-
    Households on the last day of each quarter, one row each (private or collective, counted
    once), from the register's household and position in it (int_person_quarter): its type,
    members, adults (18+), young adults (18-24), children (under 18), the age class of its
    youngest child (position child, of any age), its reference person's and partner's sex, age
    class, nationality group and position, and its municipality (the reference person's).
    The reference person is the member in position 01; when the register lists none (its row
    quarantined), the partner, else the oldest member stands in (the first pseudonym among
    equals); each household's reference person and partner are picked by one aggregate
    (first_by), not by ranking its members. A collective household has no
    reference person: its sex, age class and nationality group are '_Z' (not applicable).
    record_key: the sum of the members' record keys modulo 256 (the cell key's input).
    The register has no civil status: couples are married or cohabiting alike (README).
    Incremental by quarter, as int_person_quarter (macros/rebuilt_quarters.sql).
    Built after int_person_cohort_year, not beside it (the depends_on below): at national scale
    both group tens of millions of rows and, run at once, share DuckDB's memory and spill.
-#}
{{ config(
    materialized=quarterly_materialization(),
    pre_hook="{{ delete_rebuilt_quarters() }}",
) }}
{%- set head_key = record([
    ['rank', "case when household_position in ('01', '02') then household_position else '99' end"],
    ['older', '-age'],
    ['pseudonym', 'pseudonym'],
]) -%}
{%- set partner_key = record([['older', '-age'], ['pseudonym', 'pseudonym']]) -%}
-- depends_on: {{ ref('int_person_cohort_year') }}
with households as (
    select
        ref_date,
        household_id,
        count(*) as members,
        sum(case when age >= 18 then 1 else 0 end) as adults,
        sum(case when age between 18 and 24 then 1 else 0 end) as young_adults,
        sum(case when age < 18 then 1 else 0 end) as children,
        min(case when household_position = '03' then age end) as youngest_child_age,
        max(case when household_position = '05' then 1 else 0 end) as is_collective,
        sum(case when household_position = '02' then 1 else 0 end) as partners,
        sum(case when household_position = '03' then 1 else 0 end) as sons_and_daughters,
        sum(case when household_position = '04' then 1 else 0 end) as other_members,
        mod(sum(record_key), 256) as record_key,
        {{ first_by(record([
            ['nis_code', 'nis_code'],
            ['sex', 'sex'],
            ['age_class', 'age_class'],
            ['nationality_group', 'nationality_group'],
            ['position_code', 'position_code'],
            ['main_group_code', 'main_group_code'],
        ]), head_key) }} as head,
        {{ first_by(record([
            ['sex', 'sex'],
            ['age_class', 'age_class'],
            ['nationality_group', 'nationality_group'],
            ['position_code', 'position_code'],
        ]), "case when household_position = '02' then " ~ partner_key ~ " end") }} as partner
    from {{ ref('int_person_quarter') }}
    where {{ rebuilt_quarters('ref_date') }}
    group by ref_date, household_id
),

typed as (
    select
        *,
        case
            when is_collective = 1 then 'H6'
            when members = 1 then 'H1'
            when other_members > 0 then 'H5'
            when partners = 1 and sons_and_daughters = 0 and members = 2 then 'H2'
            when partners = 1 and sons_and_daughters > 0 then 'H3'
            when partners = 0 and sons_and_daughters > 0 then 'H4'
            else 'H5'
        end as household_type
    from households
)

-- the records' fields read as typed.head.sex, which sqlfluff takes for a table's name
-- noqa: disable=RF01
select
    typed.ref_date,
    typed.household_id,
    typed.head.nis_code,
    typed.household_type,
    typed.members,
    sizes.household_size,
    typed.adults,
    typed.young_adults,
    typed.children,
    child_ages.age_class as youngest_child_age_class,
    case when typed.is_collective = 1 then '_Z' else typed.head.sex end as ref_sex,
    case when typed.is_collective = 1 then '_Z' else typed.head.age_class end as ref_age_class,
    case
        when typed.is_collective = 1 then '_Z' else typed.head.nationality_group
    end as ref_nationality_group,
    case when typed.is_collective = 0 then typed.head.position_code end as ref_position_code,
    case when typed.is_collective = 0 then typed.head.main_group_code end as ref_main_group_code,
    typed.partner.sex as partner_sex,
    typed.partner.age_class as partner_age_class,
    typed.partner.nationality_group as partner_nationality_group,
    typed.partner.position_code as partner_position_code,
    typed.record_key
from typed
inner join {{ ref('ref_household_sizes') }} as sizes
    on typed.members between sizes.min_members and sizes.max_members
left join {{ ref('ref_ages') }} as child_ages
    on typed.youngest_child_age = child_ages.age
