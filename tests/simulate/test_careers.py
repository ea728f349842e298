"""Careers with memory, long-term unemployment by region, ageing, naturalisation and job
tenure: measured on a simulated population (120,000 persons, 2019-2024, in memory), against
the published figures of the calibration file."""

import csv

import numpy as np
import pytest

from dwh.simulate import careers as cr
from dwh.simulate.calibration import FILE
from dwh.simulate.population import EMPLOYEE_POSITION, Geography, Population, S
from dwh.simulate.run import live_quarters

PERSONS = 120_000
REGIONS = ["flanders", "wallonia", "brussels"]
WORKING = np.isin(np.arange(cr.NS), cr.WORKING)
SEEKING = np.isin(np.arange(cr.NS), [S[s] for s in cr.BENEFIT_NAMES])
SEEKING[S["job_seeker_without_benefit"]] = True
EMPLOYEE = np.isin(np.arange(cr.NS), [S[s] for s in [*EMPLOYEE_POSITION, "self_employed_with_job"]])


def _holding(s, states: np.ndarray) -> np.ndarray:
    """Residents of snapshot (or population columns) ``s`` in one of ``states`` (a mask)."""
    return s["resident"] & (s["state"] >= 0) & states[np.maximum(s["state"], 0)]


def _registered(c) -> np.ndarray:
    """Residents the employment offices list, as the simulated deliveries do (half of the
    persons with social integration are registered)."""
    on_si = (c["state"] == S["social_integration"]) & (c["niss"] % 1000 < 500)
    return _holding(c, SEEKING) | (c["resident"] & on_si)


@pytest.fixture(scope="module")
def quarters():
    """Every quarter's snapshot of the population (states, durations, ages...)."""
    pop = Population(
        PERSONS, Geography.load(), np.datetime64("2019-03-31"), np.random.default_rng(5)
    )
    out, run = {}, np.zeros(0, int)
    for year, q, day in live_quarters(pop, range(2019, 2025), PERSONS):
        c = pop.cols
        run = np.r_[run, np.zeros(len(c["state"]) - len(run), int)]
        run = np.where(_registered(c), run + 1, 0)  # quarters registered in a row
        out[(year, q)] = {
            "state": c["state"].copy(),
            "dur": c["dur"].copy(),
            "prev": c["prev"].copy(),
            "resident": c["resident"].copy(),
            "age": pop.ages(day).copy(),
            "male": c["male"].copy(),
            "region": pop.geo.region[c["muni"]].copy(),
            "nat": c["nat"].copy(),
            "employer": c["employer"].copy(),
            "birth": c["birth"].copy(),
            "day": day,
            "registered": _registered(c),
            "run": run.copy(),
        }
    return out


@pytest.fixture(scope="module")
def published() -> dict[str, float]:
    with FILE.open(newline="") as f:
        return {row["indicator"]: float(row["value"]) for row in csv.DictReader(f)}


def _pad(a: np.ndarray, n: int) -> np.ndarray:
    return np.r_[a, np.zeros(n - len(a), a.dtype)]


def _exit_rates(quarters, in_state, by) -> dict:
    """Quarterly share of the residents in a state (``in_state``) who are out of it a quarter
    later, by ``by`` (a label per person of the earlier snapshot, None to leave out)."""
    left, stayed = {}, {}
    keys = sorted(quarters)
    for a, b in zip(keys, keys[1:], strict=False):
        x, y = quarters[a], quarters[b]
        n = len(y["state"])
        both = _pad(x["resident"], n) & y["resident"]
        was = _pad(in_state(x), n) & both
        out = was & ~in_state(y)
        for label, mask in by(x, n).items():
            left[label] = left.get(label, 0) + (out & mask).sum()
            stayed[label] = stayed.get(label, 0) + (was & mask).sum()
    return {label: left[label] / stayed[label] for label in left}


def _working(s) -> np.ndarray:
    return _holding(s, WORKING)


def _seeking(s) -> np.ndarray:
    return _holding(s, SEEKING)


def test_spells_get_more_stable_the_longer_they_last(quarters):
    def by_duration(x, n):
        dur, age = _pad(x["dur"], n), _pad(x["age"], n)
        prime = (age >= 25) & (age < 60)
        return {"first year": prime & (dur < 4), "four years on": prime & (dur >= 16)}

    jobs = _exit_rates(quarters, _working, by_duration)
    seekers = _exit_rates(quarters, _seeking, by_duration)
    assert jobs["first year"] > 3 * jobs["four years on"], jobs
    assert jobs["four years on"] < 0.01, jobs  # a settled job: under 1 % a quarter
    assert seekers["first year"] > 2 * seekers["four years on"], seekers


def test_leaving_a_state_depends_on_age_and_the_state_before(quarters):
    """Within the same first spell quarters: the young leave jobs far more often (temporary
    jobs, studies), job seekers of 50-59 find a way out less often than those of 30-49, and
    those who came from a job leave job seeking faster than those who did not. Without these
    effects (the duration and region alone) the three ratios were 1.72, 1.15 and 1.01 on this
    population; with them 2.62, 0.87 and 1.25."""

    def by_age(x, n):
        age, dur = _pad(x["age"], n), _pad(x["dur"], n)
        return {
            "under 25": (age < 25) & (dur < 4),
            "25-49": (age >= 25) & (age < 50) & (dur < 4),
            "30-49": (age >= 30) & (age < 50) & (dur < 8),
            "50-59": (age >= 50) & (age < 60) & (dur < 8),
        }

    def by_before(x, n):
        age, dur, prev = _pad(x["age"], n), _pad(x["dur"], n), _pad(x["prev"], n)
        prime = (age >= 25) & (age < 50) & (dur < 8)
        came_from_work = WORKING[np.maximum(prev, 0)]
        return {"after a job": prime & came_from_work, "otherwise": prime & ~came_from_work}

    jobs = _exit_rates(quarters, _working, by_age)
    seekers = _exit_rates(quarters, _seeking, by_age)
    before = _exit_rates(quarters, _seeking, by_before)
    assert jobs["under 25"] > 2.2 * jobs["25-49"], jobs
    assert seekers["50-59"] < 0.95 * seekers["30-49"], seekers
    assert before["after a job"] > 1.12 * before["otherwise"], before


def test_women_leave_jobs_more_often_at_the_ages_of_young_children(quarters):
    def by_sex(x, n):
        age, male = _pad(x["age"], n), _pad(x["male"], n)
        young = (age >= 25) & (age < 45)
        return {"women": young & ~male, "men": young & male}

    rates = _exit_rates(quarters, _working, by_sex)
    assert rates["women"] > 1.1 * rates["men"], rates


def test_long_term_job_seekers_are_more_common_where_they_are_in_reality(quarters, published):
    """Registered and not working on each of the nine quarter ends since 2021Q4 (two years or
    more), over those registered at the end of 2023, by region."""
    s = quarters[(2023, 4)]
    found = {}
    for r, name in enumerate(REGIONS):
        here = s["registered"] & (s["region"] == r)
        found[name] = 100 * (here & (s["run"] >= 9)).sum() / here.sum()
        expected = published[f"registered_jobseekers_two_years_share_{name}"]
        assert abs(found[name] / expected - 1) <= 0.15, (name, found[name], expected)
    assert found["flanders"] + 8 < min(found["wallonia"], found["brussels"]), found


def test_jobs_last_as_long_as_published(quarters, published):
    """Employees (the states with a DmfA line) at the end of 2024 with the same employer five
    years earlier."""
    a, b = quarters[(2019, 4)], quarters[(2024, 4)]
    n = len(b["state"])

    def working(s):
        state = _pad(s["state"], n)
        return _pad(s["resident"], n) & EMPLOYEE[np.maximum(state, 0)] & (state >= 0)

    now = working(b)
    same = now & working(a) & (_pad(a["employer"], n) == b["employer"])
    share = 100 * same.sum() / now.sum()
    assert abs(share / published["employees_same_employer_five_years"] - 1) <= 0.10, share


def test_the_population_ages_and_foreigners_become_belgian(quarters, published):
    shares = []
    for year in range(2019, 2025):
        s = quarters[(year, 4)]
        shares.append(100 * (s["resident"] & (s["age"] >= 65)).sum() / s["resident"].sum())
    assert all(later > earlier for earlier, later in zip(shares, shares[1:], strict=False))
    first = quarters[(2019, 1)]
    start = 100 * (first["resident"] & (first["age"] >= 65)).sum() / first["resident"].sum()
    assert abs(start / published["age_share_65_plus_2019"] - 1) <= 0.05, start
    assert abs(shares[-1] / published["age_share_65_plus"] - 1) <= 0.05, shares
    # foreigners at the end of 2021, still resident a year later: Belgian by then
    a, b = quarters[(2021, 4)], quarters[(2022, 4)]
    n = len(b["state"])
    foreign = _pad(a["resident"], n) & b["resident"] & (_pad(a["nat"], n) > 0)
    rate = 100 * (foreign & (b["nat"] == 0)).sum() / foreign.sum()
    assert abs(rate / published["naturalisations_per_100_foreigners"] - 1) <= 0.15, rate


def test_births_migration_and_rising_invalidity_and_disability(quarters, published):
    """2023's births, immigrants and residents leaving per 1000 residents against Statbel's
    (the calibration file's definitions: new residents born in their quarter or before it;
    deaths and emigration together, the register cannot tell them apart); invalidity and
    disability allowances rising from 2019 to 2024 (RIZIV's invalidity grew about 5 % a year
    2019-2023, FOD SZ's allowances about 4 %)."""
    born = immigrants = leaving = 0
    residents = []
    for q in range(1, 5):
        x, y = quarters[(2023, q - 1) if q > 1 else (2022, 4)], quarters[(2023, q)]
        n = len(y["state"])
        new = y["resident"] & (np.arange(n) >= len(x["state"]))
        in_quarter = y["birth"] > x["day"]
        born += (new & in_quarter).sum()
        immigrants += (new & ~in_quarter).sum()
        leaving += (_pad(x["resident"], n) & ~y["resident"]).sum()
        residents.append(y["resident"].sum())
    per_1000 = {
        "births_per_1000": born,
        "immigration_per_1000": immigrants,
        "residents_leaving_per_1000": leaving,
    }
    for indicator, count in per_1000.items():
        rate = 1000 * count / np.mean(residents)
        assert abs(rate / published[indicator] - 1) <= 0.10, (indicator, rate)

    def share(year: int, state: str, min_dur: int = 0) -> float:
        s = quarters[(year, 4)]
        held = s["resident"] & (s["state"] == S[state]) & (s["dur"] >= min_dur)
        return held.sum() / s["resident"].sum()

    # invalidity: incapacity of a year or more (RIZIV's INV)
    invalidity = [share(year, "incapacity", 4) for year in range(2019, 2025)]
    disability = [share(year, "disability") for year in range(2019, 2025)]
    assert invalidity[-1] / invalidity[0] > 1.15, invalidity
    assert disability[-1] / disability[0] > 1.12, disability
    assert invalidity[4] > invalidity[3] > invalidity[2], invalidity
    assert disability[4] > disability[3] > disability[2], disability
