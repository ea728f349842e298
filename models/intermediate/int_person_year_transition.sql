{#-
    Short-term mobility: per person and year Y, the position on 31 December of Y - 1 (from) and
    of Y (to), 'OUT' when the person is not in the population on that day (entering: born,
    immigrated; leaving: died, emigrated). Only the years whose two Decembers are both built.
    Residence, sex, age class and nationality group are those of 31 December of Y, or of Y - 1
    for those who left (they have none on the later day). For those with a main employee job
    (DmfA) on both days, its details on each: work regime (F/P), part-time class, NACE section,
    daily-wage class (gross wage / days paid, EUR) and worker-code group. The deliveries carry
    neither the employer's size nor whether the job is interim: those details are left out.
    The two Decembers are paired on person_key (macros/person_key.sql), an integer, not the
    pseudonym: less than half the time at national scale; int_person_cohort_year's test
    stops the build if two pseudonyms of int_person_quarter share one.
-#}
with december as (
    select
        persons.pseudonym,
        {{ person_key('persons.pseudonym') }} as person_key,
        persons.ref_date,
        cast(extract(year from persons.ref_date) as integer) as year,
        persons.nis_code,
        municipality.region_code,
        persons.sex,
        persons.age_class,
        persons.nationality_group,
        persons.position_code,
        persons.main_group_code,
        persons.record_key,
        persons.time_regime,
        case
            when persons.time_regime = 'F' then 'FT'
            when persons.part_time_pct >= 75 then 'PT75'
            when persons.part_time_pct >= 50 then 'PT50'
            else 'PT0'
        end as part_time_class,
        persons.nace_section,
        case
            when not coalesce(persons.days_paid > 0, false) then null
            when persons.gross_wage / persons.days_paid < 100 then 'W000'
            when persons.gross_wage / persons.days_paid < 150 then 'W100'
            when persons.gross_wage / persons.days_paid < 200 then 'W150'
            when persons.gross_wage / persons.days_paid < 250 then 'W200'
            else 'W250'
        end as daily_wage_class,
        case persons.worker_code
            when '015' then 'manual'
            when '495' then 'white_collar'
            when '675' then 'civil_servant'
            when '840' then 'student'
            else 'other'
        end as worker_group,
        persons.job_lines is not null and persons.days_paid > 0 as has_job
    from {{ ref('int_person_quarter') }} as persons
    inner join {{ ref('ref_municipalities') }} as municipality
        on persons.nis_code = municipality.nis_code
    where extract(month from persons.ref_date) = 12
),

built_years as (
    select distinct
        year,
        ref_date
    from december
),

transition_years as (
    select
        later.year,
        later.ref_date
    from built_years as later
    inner join built_years as earlier
        on later.year - 1 = earlier.year
),

earlier as (
    select
        december.*,
        december.year + 1 as transition_year,
        transition_years.ref_date as transition_date
    from december
    inner join transition_years
        on december.year + 1 = transition_years.year
),

later as (
    select
        december.*,
        december.year as transition_year,
        december.ref_date as transition_date
    from december
    inner join transition_years
        on december.year = transition_years.year
),

paired as (
    select
        coalesce(later.pseudonym, earlier.pseudonym) as pseudonym,
        coalesce(later.transition_year, earlier.transition_year) as year,
        coalesce(later.transition_date, earlier.transition_date) as ref_date,
        coalesce(earlier.position_code, 'OUT') as from_position_code,
        earlier.main_group_code as from_main_group_code,
        coalesce(later.position_code, 'OUT') as to_position_code,
        later.main_group_code as to_main_group_code,
        later.pseudonym is null as is_earlier_residence,
        coalesce(later.nis_code, earlier.nis_code) as nis_code,
        coalesce(later.region_code, earlier.region_code) as region_code,
        coalesce(later.sex, earlier.sex) as sex,
        coalesce(later.age_class, earlier.age_class) as age_class,
        coalesce(later.nationality_group, earlier.nationality_group) as nationality_group,
        coalesce(later.record_key, earlier.record_key) as record_key,
        coalesce(earlier.has_job and later.has_job, false) as has_job_at_both,
        earlier.time_regime as from_time_regime,
        earlier.part_time_class as from_part_time_class,
        earlier.nace_section as from_nace_section,
        earlier.daily_wage_class as from_daily_wage_class,
        earlier.worker_group as from_worker_group,
        later.time_regime as to_time_regime,
        later.part_time_class as to_part_time_class,
        later.nace_section as to_nace_section,
        later.daily_wage_class as to_daily_wage_class,
        later.worker_group as to_worker_group
    from earlier
    full outer join later
        on
            earlier.person_key = later.person_key
            and earlier.transition_year = later.transition_year
)

select
    pseudonym,
    year,
    ref_date,
    from_position_code,
    from_main_group_code,
    to_position_code,
    to_main_group_code,
    is_earlier_residence,
    nis_code,
    region_code,
    sex,
    age_class,
    nationality_group,
    record_key,
    has_job_at_both,
    case when has_job_at_both then from_time_regime end as from_time_regime,
    case when has_job_at_both then from_part_time_class end as from_part_time_class,
    case when has_job_at_both then from_nace_section end as from_nace_section,
    case when has_job_at_both then from_daily_wage_class end as from_daily_wage_class,
    case when has_job_at_both then from_worker_group end as from_worker_group,
    case when has_job_at_both then to_time_regime end as to_time_regime,
    case when has_job_at_both then to_part_time_class end as to_part_time_class,
    case when has_job_at_both then to_nace_section end as to_nace_section,
    case when has_job_at_both then to_daily_wage_class end as to_daily_wage_class,
    case when has_job_at_both then to_worker_group end as to_worker_group
from paired
