{#-
    Households on the last day of each quarter, one row each (private or collective, counted
    once), from the register's household and position in it (int_person_quarter): its type,
    members, adults (18+), young adults (18-24), children (under 18), the age class of its
    youngest child (position child, of any age), its reference person's and partner's sex, age
    class, nationality group and position, and its municipality (the reference person's).
    The reference person is the member in position 01; when the register lists none (its row
    quarantined), the partner, else the oldest member stands in. A collective household has no
    reference person: its sex, age class and nationality group are '_Z' (not applicable).
    record_key: the sum of the members' record keys modulo 256 (the cell key's input).
    The register has no civil status: couples are married or cohabiting alike (README).
-#}
with members as (
    select
        persons.ref_date,
        persons.household_id,
        persons.pseudonym,
        persons.nis_code,
        persons.sex,
        persons.age,
        persons.age_class,
        persons.nationality_group,
        persons.position_code,
        persons.main_group_code,
        persons.record_key,
        residents.household_position,
        row_number() over (
            partition by persons.ref_date, persons.household_id
            order by
                case
                    when residents.household_position in ('01', '02')
                        then residents.household_position
                    else '99'
                end asc,
                persons.age desc,
                persons.pseudonym asc
        ) as rank_in_household
    from {{ ref('int_person_quarter') }} as persons
    inner join {{ ref('stg_rr__residents') }} as residents
        on persons.pseudonym = residents.pseudonym and persons.ref_date = residents.ref_date
),

partners as (
    select
        ref_date,
        household_id,
        sex,
        age_class,
        nationality_group,
        position_code,
        row_number() over (
            partition by ref_date, household_id order by age desc, pseudonym asc
        ) as rank_of_partner
    from members
    where household_position = '02'
),

households as (
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
        mod(sum(record_key), 256) as record_key
    from members
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

select
    typed.ref_date,
    typed.household_id,
    head.nis_code,
    typed.household_type,
    typed.members,
    sizes.household_size,
    typed.adults,
    typed.young_adults,
    typed.children,
    child_ages.age_class as youngest_child_age_class,
    case when typed.is_collective = 1 then '_Z' else head.sex end as ref_sex,
    case when typed.is_collective = 1 then '_Z' else head.age_class end as ref_age_class,
    case
        when typed.is_collective = 1 then '_Z' else head.nationality_group
    end as ref_nationality_group,
    case when typed.is_collective = 0 then head.position_code end as ref_position_code,
    case when typed.is_collective = 0 then head.main_group_code end as ref_main_group_code,
    partners.sex as partner_sex,
    partners.age_class as partner_age_class,
    partners.nationality_group as partner_nationality_group,
    partners.position_code as partner_position_code,
    typed.record_key
from typed
inner join members as head
    on
        typed.ref_date = head.ref_date
        and typed.household_id = head.household_id
        and head.rank_in_household = 1
inner join {{ ref('ref_household_sizes') }} as sizes
    on typed.members between sizes.min_members and sizes.max_members
left join {{ ref('ref_ages') }} as child_ages
    on typed.youngest_child_age = child_ages.age
left join partners
    on
        typed.ref_date = partners.ref_date
        and typed.household_id = partners.household_id
        and partners.rank_of_partner = 1
