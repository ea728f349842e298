"""The published Belgian figures the simulation is calibrated on (``calibration.csv``), and the
calibration itself: the target share of every life-course state in every cell (age band x
region x sex x nationality) that makes the simulated population reproduce those figures.

Levels (thousands of persons) are read at national scale: a simulated population of ``n``
residents aims at ``value x n / 11.5 million``. The targets are found by iterative
proportional fitting of one multiplier per state, region and sex on the base shares of
:mod:`dwh.simulate.careers`, on the cells' actual populations.
"""

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from dwh.simulate import careers as cr

FILE = Path(__file__).with_name("calibration.csv")
NATIONAL = 11_500_000  # residents the levels are read against
REGIONS = ["02000", "03000", "04000"]
# Yearly growth of the stocks the issue wants rising (RIZIV invalidity grew about 5 % a year
# 2019-2023, FOD SZ's disability allowances about 4 %): a level is aimed at in year y as
# value x growth ** (y - reference year).
GROWTH = {"invalidity": 1.05, "disability_allowance_recipients": 1.04}
RIS_SHARE = 0.9  # of the social-integration state, the rest is equivalent social aid (ERIS)
REGISTERED_SI = 0.5  # of persons with social integration, registered as job seekers
# RVA's total counts kinds the three benefit codes leave out (223 + 16 + 21.1 of 277): the
# regional totals and the components are aimed halfway (geometrically) between the published
# values and their sum, so that each misses by about 3 %.
BENEFIT_PARTS = {
    "unemployed": "jobseekers_after_full_time_work",
    "unemployed_part_time": "jobseekers_after_voluntary_part_time",
    "integration_allowance": "jobseekers_integration_allowance",
}


@cache
def figures() -> dict[str, float]:
    """Indicator -> published value, as in the calibration file."""
    table = pd.read_csv(FILE, dtype=str, keep_default_na=False)
    return dict(zip(table.indicator, table.value.astype(float), strict=True))


def rate(indicator: str) -> float:
    """A per-1000 rate as a yearly probability."""
    return figures()[indicator] / 1000


def wage_median(year: int) -> float:
    """Median gross monthly full-time wage of ``year`` (October): the medians of the file
    (2019, 2021, 2022), geometrically between them; after 2022 indexed by the file's yearly
    indexations of PC 200 (the largest joint committee, applied to every wage: an assumption),
    and beyond the last of those by the 2019-2022 yearly growth."""
    f = figures()
    known = {
        2019: f["gross_monthly_wage_full_time_median_2019"],
        2021: f["gross_monthly_wage_full_time_median_2021"],
        2022: f["gross_monthly_wage_full_time_median"],
    }
    if year <= 2022:
        return float(np.exp(np.interp(year, list(known), np.log(list(known.values())))))
    trend = (known[2022] / known[2019]) ** (1 / 3)
    median = known[2022]
    for y in range(2023, year + 1):
        index = f.get(f"wage_indexation_pc200_{y}")
        median *= trend if index is None else 1 + index / 100
    return median


def wage_spread() -> tuple[float, float]:
    """Log-scale spread below and above the median (split normal) from the 2022 deciles."""
    f = figures()
    median = f["gross_monthly_wage_full_time_median"]
    z90 = 1.2816
    return (
        np.log(median / f["gross_monthly_wage_full_time_d1"]) / z90,
        np.log(f["gross_monthly_wage_full_time_d9"] / median) / z90,
    )


def part_time_shares() -> dict[bool, float]:
    """Share of employees working part time, by sex (True: men)."""
    f = figures()
    return {True: f["part_time_share_men"] / 100, False: f["part_time_share_women"] / 100}


def _bands(low: int, high: int) -> np.ndarray:
    """Mask of the age bands lying within ``low``-``high``."""
    upper = np.r_[cr.AGE_BANDS[1:] - 1, 200]
    return (low <= cr.AGE_BANDS) & (upper <= high)


def _targets(year: int, inv_fraction: float) -> list[tuple]:
    """(weights per state, states adjusted, region, sex, band mask, value, kind) per figure."""
    f, out = figures(), []
    every = _bands(0, 200)

    def w(states, weight=1.0):
        v = np.zeros(len(cr.STATES))
        v[[cr.S[s] for s in states]] = weight
        return v

    def level(name):  # the rising stocks' figures are of 2023
        return f[name] * 1000 * GROWTH.get(name, 1.0) ** (year - 2023)

    work = [s for s in cr.WORKING_NAMES if not s.startswith("pensioner")]
    emp = w(cr.WORKING_NAMES)
    for key, region, sex in [
        ("employment_rate_20_64", None, None),
        *[(f"employment_rate_20_64_{n}", r, None) for n, r in zip(_NAMES, range(3), strict=True)],
        ("employment_rate_20_64_men", None, True),
        ("employment_rate_20_64_women", None, False),
    ]:
        out.append((emp, w(work), region, sex, _bands(20, 64), f[key] / 100, "rate"))
    out.append(
        (
            w(cr.SELF_EMPLOYED_MAIN),
            w(cr.SELF_EMPLOYED_MAIN),
            None,
            None,
            every,
            level("self_employed_main_occupation"),
            "level",
        )
    )
    out.append(
        (
            w(cr.SELF_EMPLOYED_SECONDARY),
            w(cr.SELF_EMPLOYED_SECONDARY),
            None,
            None,
            every,
            level("self_employed_secondary_occupation"),
            "level",
        )
    )
    out.append(
        (
            w(["pensioner_self_employed"]),
            w(["pensioner_self_employed"]),
            None,
            None,
            every,
            level("self_employed_after_pension_age"),
            "level",
        )
    )
    benefit = w(cr.BENEFIT_NAMES)
    halfway = np.sqrt(
        sum(f[k] for k in BENEFIT_PARTS.values()) / f["unemployed_jobseekers_with_benefit"]
    )
    for n, r in zip(_NAMES, range(3), strict=True):
        value = level(f"unemployed_jobseekers_with_benefit_{n}") * halfway
        out.append((benefit, benefit, r, None, every, value, "level"))
    for state, key in BENEFIT_PARTS.items():
        out.append((w([state]), w([state]), None, None, every, level(key) / halfway, "level"))
    registered = w(cr.BENEFIT_NAMES + ["job_seeker_without_benefit"])
    registered[cr.S["social_integration"]] = REGISTERED_SI
    for office, r in [("vdab", 0), ("forem", 1), ("actiris", 2)]:
        out.append(
            (
                registered,
                w(["job_seeker_without_benefit"]),
                r,
                None,
                every,
                level(f"registered_jobseekers_{office}"),
                "level",
            )
        )
    si = w(["social_integration"])
    for n, r in zip(_NAMES, range(3), strict=True):
        value = f[f"social_integration_share_{n}"] / 100 / RIS_SHARE
        out.append((si, si, r, None, every, value, "rate"))
    out.append(
        (
            w(["incapacity"], inv_fraction),
            w(["incapacity"]),
            None,
            None,
            every,
            level("invalidity"),
            "level",
        )
    )
    out.append(
        (
            w(["disability"]),
            w(["disability"]),
            None,
            None,
            _bands(18, 64),
            level("disability_allowance_recipients"),
            "level",
        )
    )
    children = w(["child", "student_worker"])
    for n, r in zip(_NAMES, range(3), strict=True):
        out.append(
            (
                children,
                w(["child"]),
                r,
                None,
                every,
                level(f"children_family_allowance_{n}"),
                "level",
            )
        )
    return out


_NAMES = ["flanders", "wallonia", "brussels"]


def _selection(band, region, male, r, sex, bands) -> np.ndarray:
    sel = bands[band]
    if r is not None:
        sel = sel & (region == r)
    if sex is not None:
        sel = sel & (male == sex)
    return sel


def _goal(value, kind, pop_sel, total) -> float:
    return value * pop_sel if kind == "rate" else value * total / NATIONAL


def state_targets(
    cell_pop: np.ndarray, year: int, inv_fraction: float, correction: np.ndarray | None = None
) -> np.ndarray:
    """Target share of each state in each cell (rows sum to 1), fitted to the figures on the
    cells' populations ``cell_pop`` (persons per cell, :func:`careers.cell_index` order).
    ``correction`` multiplies each figure's goal (see :func:`shortfall`)."""
    band, region, male, nat = cr.cell_parts()
    total = cell_pop.sum()
    mult = np.ones((len(cr.STATES), 3, 2, 2))  # state, region, sex, working-age band or not
    targets = _targets(year, inv_fraction)
    correction = np.ones(len(targets)) if correction is None else correction
    for _ in range(40):
        for (weights, adjust, r, sex, bands, value, kind), k in zip(
            targets, correction, strict=True
        ):
            shares = cr.shares_of(mult, band, region, male, nat)
            sel = _selection(band, region, male, r, sex, bands)
            pop = cell_pop[sel]
            goal = k * _goal(value, kind, pop.sum(), total)
            held = shares[sel] * pop[:, None]
            moved = (held * (weights * adjust)[None, :]).sum()
            fixed = (held * (weights * (adjust == 0))[None, :]).sum()
            if moved <= 0:
                continue
            ratio = np.clip((goal - fixed) / moved, 0.2, 5.0)
            rs = slice(None) if r is None else slice(r, r + 1)
            ss = slice(None) if sex is None else slice(int(sex), int(sex) + 1)
            for part in np.unique(cr.WORKING_AGE[band[sel]].astype(int)):
                mult[adjust > 0, rs, ss, part] *= ratio
    return cr.shares_of(mult, band, region, male, nat)


def shortfall(counts: np.ndarray, year: int, inv_fraction: float) -> np.ndarray:
    """Goal over what the population holds, per figure, from persons per cell and state
    ``counts`` (``inv_fraction``: the share of invalidity found among persons in incapacity).
    The simulation's flows leave some stocks persistently short of (or above) their targets:
    the next year's goals are corrected by it."""
    band, region, male, _ = cr.cell_parts()
    cell_pop, total = counts.sum(axis=1), counts.sum()
    out = []
    for weights, _, r, sex, bands, value, kind in _targets(year, inv_fraction):
        sel = _selection(band, region, male, r, sex, bands)
        held = (counts[sel] * weights[None, :]).sum()
        out.append(_goal(value, kind, cell_pop[sel].sum(), total) / max(held, 1.0))
    return np.array(out)
