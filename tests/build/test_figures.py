"""The published figures' meaning: gaps shown as gaps, provisional figures flagged, and the
standard indicators equal to what the published counts say (the session's deliveries lack
FOD SZ's 2024 file and carry ONEM's 2025 file as provisional, tests/conftest.py)."""

import duckdb
import pytest


@pytest.fixture(scope="module")
def public(built):
    with duckdb.connect(
        str(built / "serving" / "current" / "public.duckdb"), read_only=True
    ) as con:
        yield con


def _statuses(con, table: str, year: str) -> dict[str, set[str]]:
    rows = con.execute(
        f"select position, list(distinct status) from {table} where quarter like ? group by 1",
        [f"{year}%"],
    ).fetchall()
    return {position: set(statuses) for position, statuses in rows}


@pytest.mark.parametrize("table", ["local_figures", "global_figures"])
def test_a_missing_delivery_makes_its_positions_not_available(public, table):
    # FOD SZ delivers the disability allowance (n39), the lowest precedence: missing, its
    # persons fall to "other" (n4); the groups holding them (G3, G4) change with them
    gone = {"n39", "n4", "G3", "G4"}
    in_2024 = _statuses(public, table, "2024")
    assert {p for p, s in in_2024.items() if s == {"not_available"}} == gone
    assert all("not_available" not in s for p, s in in_2024.items() if p not in gone)
    assert all("not_available" not in s for s in _statuses(public, table, "2025").values())
    persons, reasons = public.execute(
        f"select count(persons), list(distinct unavailable_sources) from {table} "
        "where status = 'not_available'"
    ).fetchone()
    assert persons == 0 and reasons == ["fodss"]
    assert public.execute(
        f"select count(*) from {table} where status = 'not_available' and is_suppressed"
    ).fetchone() == (0,)


def test_a_provisional_delivery_flags_every_figure_it_feeds(public):
    # ONEM's statuses start at precedence 7 (n21): every position from there on, and 'other'
    flagged = {
        p
        for (p,) in public.execute(
            "select distinct position from local_figures where is_provisional"
        ).fetchall()
    }
    assert flagged == {
        *("n21", "n22", "n23", *(f"n3{i}" for i in range(1, 10)), "n4"),
        *("G2", "G3", "G4"),
    }
    quarters, sources = public.execute(
        "select list(distinct quarter order by quarter), list(distinct provisional_sources) "
        "from local_figures where is_provisional"
    ).fetchone()
    assert quarters == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"] and sources == ["onem"]


def test_indicators_are_the_published_counts_of_their_terms(public):
    # numerator and denominator against local_figures summed over the age classes of the band
    # (a withheld cell's master cells are all 0, so it counts 0 in the sum)
    rows = public.execute(
        """
        with band as (
            select f.geo_level, f.geo_code, f.quarter, f.sex, f.position,
                a.min_age, a.max_age, coalesce(f.persons, 0) as persons
            from local_figures as f join dim_age_class as a using (age_class)
            where f.status <> 'not_available'
        ),
        expected as (
            select i.indicator, b.geo_level, b.geo_code, b.quarter, b.sex,
                sum(case when b.position = 'G1' and i.indicator like 'employment%'
                    or b.position = 'G2' and i.indicator = 'job_seeker_rate'
                    or b.position = 'G3' and i.indicator = 'inactivity_rate'
                    or 'share_' || b.position = i.indicator then b.persons end) as numerator,
                sum(case when b.position = '_T' and i.indicator <> 'job_seeker_rate'
                    or b.position in ('G1', 'G2') and i.indicator = 'job_seeker_rate'
                    then b.persons end) as denominator
            from band as b join dim_indicator as i
                on b.min_age >= i.age_from and b.max_age <= i.age_to
            group by all
        )
        select e.*, x.numerator as published_numerator, x.denominator as published_denominator,
            x.rate, x.status
        from expected as e join indicators as x
            using (indicator, geo_level, geo_code, quarter, sex)
        where x.nationality_group = '_T' and x.status <> 'not_available'
        """
    ).df()
    assert len(rows) > 100_000
    assert set(rows.indicator) == {
        "employment_rate_20_64",
        "employment_rate_15_64",
        "job_seeker_rate",
        "inactivity_rate",
        *(f"share_n3{i}" for i in range(1, 10)),
    }
    assert (rows.numerator.fillna(0) == rows.published_numerator.fillna(0)).all()
    assert (rows.denominator.fillna(0) == rows.published_denominator.fillna(0)).all()
    shown = rows[rows.status == "published"]
    assert len(shown) > 1000
    assert ((100 * shown.numerator / shown.denominator - shown.rate).abs() < 1e-9).all()
    withheld = rows[rows.status == "withheld"]
    assert withheld.rate.isna().all()
    assert (withheld.published_numerator.isna() | withheld.published_denominator.isna()).all()


def test_indicators_of_a_missing_delivery_are_not_available(public):
    gone = public.execute(
        "select distinct indicator from indicators where status = 'not_available'"
    ).fetchall()
    # n39 and G3 are not available in 2024: the indicators counting them, nothing else
    assert sorted(i for (i,) in gone) == ["inactivity_rate", "share_n39"]
    assert public.execute(
        "select count(*) from indicators where status = 'not_available' and "
        "(quarter not like '2024%' or rate is not null or numerator is not null)"
    ).fetchone() == (0,)


def test_employment_rate_20_64_counts_the_ages_it_names(public, built):
    """Against the microdata: the master cells of the band hold exactly the persons aged
    20-64, and the published denominator is the sum of their published values (not that of
    15-64 or 25-64)."""
    with duckdb.connect(str(built / "build" / "warehouse.duckdb"), read_only=True) as wh:
        ages = {
            low: wh.execute(
                "select count(*) from fct_person_quarter where quarter = '2025Q4' "
                "and age between ? and 64",
                [low],
            ).fetchone()[0]
            for low in (15, 20, 25)
        }
        masters = {
            low: wh.execute(
                "select sum(m.persons), sum(m.published_persons) from int_figure_cells m "
                "join ref_age_classes a using (age_class) where m.ref_date = '2025-12-31' "
                "and a.min_age >= ? and a.max_age <= 64",
                [low],
            ).fetchone()
            for low in (15, 20, 25)
        }
    (denominator,) = public.execute(
        "select denominator from indicators where indicator = 'employment_rate_20_64' "
        "and geo_level = 'country' and quarter = '2025Q4' and sex = '_T' "
        "and nationality_group = '_T'"
    ).fetchone()
    assert {low: int(persons) for low, (persons, _) in masters.items()} == ages
    assert ages[15] > ages[20] > ages[25]
    assert denominator == masters[20][1] != masters[15][1]
    assert denominator != masters[25][1]
