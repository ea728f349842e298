{#-
    The master cells of cohort_figures. A cohort: the persons in the population on 31 December
    of a cohort year (int_person_cohort_year), by their region of residence, position, sex and
    age class on that day. For every later built 31 December (year), the persons of each
    cohort master by:
    - measure 'position': their position on that day (to_position_code; 'OUT' when no longer
      in the population: died or emigrated);
    - measure 'G1'..'G4', 'OUT': the class of the share of the quarters from the first quarter
      after the cohort's day to the last of the year they spent in that main group (or out of
      the population): P000 none, P001 below a quarter of them, P025 a quarter to below half,
      P050 half to below three quarters, P075 three quarters but not all, P100 all of them.
    With their true counts, record-key sums and published values (perturbed_count, as
    int_figure_cells), except that every master of a cohort row (its keys) of at most the
    threshold persons is published as 0: the measures and later years split the same persons
    in different ways, and the sums of their small masters' values would be as many draws of
    the row's noise (a row of one person the same value everywhere, of two or more varying),
    telling a single person apart and estimating a small count by their mean. Never published as such: every cell of cohort_figures is the sum of the
    published values of the master cells it holds. Region, not municipality, as
    int_mobility_cells (README, "Long-term mobility").
-#}
{%- set groups = ['G1', 'G2', 'G3', 'G4', 'OUT'] -%}
{%- set keys = [
    'cohort_year', 'cohort_date', 'year', 'ref_date', 'region_code', 'from_position_code',
    'from_main_group_code', 'sex', 'age_class',
] -%}
with person_years as (
    select * from {{ ref('int_person_cohort_year') }}
),

followed as (
    {#- each cohort member on each later 31 December: where, and quarters in each group -#}
    select
        cohort.year as cohort_year,
        cohort.ref_date as cohort_date,
        later.year,
        later.ref_date,
        cohort.region_code,
        cohort.position_code as from_position_code,
        cohort.main_group_code as from_main_group_code,
        cohort.sex,
        cohort.age_class,
        cohort.record_key,
        coalesce(later.position_code, 'OUT') as to_position_code,
        later.main_group_code as to_main_group_code,
        4 * (later.year - cohort.year) as span,
        {% for group in groups[:4] %}
            later.cumulative_g{{ loop.index }} - cohort.cumulative_g{{ loop.index }}
                as quarters_{{ group | lower }},
        {% endfor %}
        4 * (later.year - cohort.year)
        {% for group in groups[:4] %}
            - (later.cumulative_g{{ loop.index }} - cohort.cumulative_g{{ loop.index }})
        {% endfor %} as quarters_out
    from person_years as cohort
    inner join person_years as later
        on cohort.person_key = later.person_key and cohort.year < later.year
    where cohort.position_code is not null
),

classed as (
    select
        {{ keys | join(', ') }},
        record_key,
        to_position_code,
        to_main_group_code,
        {% for group in groups %}
            {%- set q = 'quarters_' ~ group | lower %}
            case
                when {{ q }} = 0 then 'P000'
                when {{ q }} = span then 'P100'
                when 4 * {{ q }} < span then 'P001'
                when 2 * {{ q }} < span then 'P025'
                when 4 * {{ q }} < 3 * span then 'P050'
                else 'P075'
            end as share_{{ group | lower }}{% if not loop.last %},{% endif %}
        {% endfor %}
    from followed
),

profiles as (
    {#- one pass over the persons: every master of every measure is a sum of these -#}
    select
        {{ keys | join(', ') }},
        to_position_code,
        to_main_group_code,
        {% for group in groups %}
            share_{{ group | lower }},
        {% endfor %}
        count(*) as persons,
        sum(record_key) as key_sum
    from classed
    group by
        {{ keys | join(', ') }},
        to_position_code,
        to_main_group_code,
        {% for group in groups %}
            share_{{ group | lower }}{% if not loop.last %},{% endif %}
        {% endfor %}
),

cells as (
    select
        {{ keys | join(', ') }},
        'position' as measure,
        to_position_code,
        to_main_group_code,
        sum(persons) as persons,
        sum(key_sum) as key_sum
    from profiles
    group by {{ keys | join(', ') }}, to_position_code, to_main_group_code
    {% for group in groups %}
        union all
        select
            {{ keys | join(', ') }},
            '{{ group }}' as measure,
            share_{{ group | lower }} as to_position_code,
            cast(null as integer) as to_main_group_code,
            sum(persons) as persons,
            sum(key_sum) as key_sum
        from profiles
        group by {{ keys | join(', ') }}, share_{{ group | lower }}
    {% endfor %}
),

sized as (
    select
        *,
        sum(persons) over (partition by {{ keys | join(', ') }}, measure) as row_persons
    from cells
)

select
    {{ keys | join(', ') }},
    measure,
    to_position_code,
    to_main_group_code,
    persons,
    key_sum,
    case
        when row_persons <= {{ var('disclosure_threshold') }} then 0
        else cast({{ perturbed_count('persons', 'key_sum') }} as integer)
    end as published_persons
from sized
