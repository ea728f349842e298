"""A synthetic Belgian population, its families and its life courses, quarter by quarter
(vectorised numpy).

People live in households built as families (one-person households, couples with and
without children, one-parent families, other households, and collective households such as
care homes) in the real municipalities in proportion to their inhabitants. Each person keeps
a position in the household (reference person, partner, child, other, collective). Babies
are born to mothers living in the household, people die, households immigrate, emigrate
and move house together, children leave home, couples form and separate, the very old move
to care homes, foreigners become Belgian. Birth, death and migration rates come from the
calibration file; careers from :mod:`dwh.simulate.careers`.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dwh.core import niss, paths
from dwh.simulate import calibration as cal
from dwh.simulate import careers as cr
from dwh.simulate.careers import NS, STATES, WORKING, S  # noqa: F401 (re-exported)

REGIONS = ["02000", "03000", "04000"]  # Flanders, Wallonia, Brussels
NATIONALITIES = ["BE", "EU", "NEU"]
NATIONALITY_SHARES = {"02000": (90, 5, 5), "03000": (89, 8, 3), "04000": (64, 21, 15)}
REF, PARTNER, CHILD, OTHER, COLLECTIVE = 1, 2, 3, 4, 5  # household positions
POSITION_CODES = ["", "01", "02", "03", "04", "05"]

# Household types: one person, couple, couple with children, one parent, other.
_TYPES = {"resident": (0.365, 0.215, 0.30, 0.09, 0.03), "immigrant": (0.5, 0.2, 0.2, 0.07, 0.03)}
# Age of the reference person by type: (from, to, weight) brackets.
_REF_AGES = {
    "resident": [
        [
            (18, 25, 6),
            (25, 35, 14),
            (35, 45, 11),
            (45, 55, 13),
            (55, 65, 16),
            (65, 75, 16),
            (75, 85, 15),
            (85, 100, 9),
        ],
        [
            (20, 30, 10),
            (30, 45, 8),
            (45, 55, 10),
            (55, 65, 22),
            (65, 75, 27),
            (75, 85, 18),
            (85, 95, 5),
        ],
        [(22, 30, 10), (30, 40, 38), (40, 50, 35), (50, 60, 15), (60, 70, 2)],
        [(20, 30, 8), (30, 40, 28), (40, 50, 38), (50, 60, 22), (60, 75, 4)],
        [(18, 30, 40), (30, 65, 40), (65, 90, 20)],
    ],
    "immigrant": [
        [(18, 25, 25), (25, 35, 45), (35, 50, 20), (50, 80, 10)],
        [(20, 30, 40), (30, 45, 40), (45, 75, 20)],
        [(25, 35, 40), (35, 45, 45), (45, 55, 15)],
        [(22, 35, 40), (35, 50, 60)],
        [(18, 30, 60), (30, 60, 40)],
    ],
}
_CHILDREN = {2: ([1, 2, 3, 4], [0.34, 0.42, 0.17, 0.07]), 3: ([1, 2, 3], [0.5, 0.35, 0.15])}
# Residents by five-year age group (0-4, ..., 90+), percent, Belgium 1 January 2019 (Statbel,
# rounded): the initial population is drawn to follow it.
PYRAMID = [
    5.6,
    5.8,
    5.7,
    5.6,
    5.9,
    6.3,
    6.5,
    6.5,
    6.5,
    6.9,
    7.2,
    7.1,
    6.3,
    5.5,
    4.6,
    3.3,
    2.8,
    1.8,
    0.9,
]
COLLECTIVE_SHARE = 0.009  # of residents, living in a collective household
COLLECTIVE_OLD = 0.8  # of them aged 75-99 (care homes), the others 20-74
NATURALISATION = 0.008  # quarterly, foreign households becoming Belgian (3.2 % a year)
MOVE = 0.015  # quarterly, private households moving house
JOB_CHANGE = 0.012  # quarterly, workers changing employer without a spell out of work
PART_TIME_PCT = ([80, 50, 60, 75, 90], [0.42, 0.30, 0.10, 0.12, 0.06])

NACE_SHARES = {
    "A": 1, "B": 0.1, "C": 12, "D": 0.5, "E": 0.8, "F": 6, "G": 14, "H": 6, "I": 4, "J": 3,
    "K": 3, "L": 0.7, "M": 6, "N": 8, "O": 10, "P": 9, "Q": 15, "R": 1.2, "S": 2, "T": 0.1,
    "U": 0.1,
}  # fmt: skip


@dataclass
class Geography:
    """Municipalities valid on 1 January 2019, with what the simulation needs of them."""

    codes: np.ndarray
    weights: np.ndarray
    region: np.ndarray  # index into REGIONS
    arrondissement: np.ndarray
    office: np.ndarray
    fund: np.ndarray
    merged_into: pd.DataFrame  # old_nis_code, new_nis_code, effective_date

    @classmethod
    def load(cls) -> "Geography":
        m = pd.read_csv(paths.SEEDS_DIR / "ref_municipalities.csv", dtype=str)
        m = m[m.valid_from == "2019-01-01"].reset_index(drop=True)
        walk = pd.read_csv(paths.SEEDS_DIR / "ref_municipality_crosswalk.csv", dtype=str)
        inhabitants = m.inhabitants_2020.astype(float).to_numpy()
        return cls(
            codes=m.nis_code.to_numpy(),
            weights=inhabitants / inhabitants.sum(),
            region=m.region_code.map(REGIONS.index).to_numpy(),
            arrondissement=m.arrondissement_code.to_numpy(),
            office=m.employment_office.to_numpy(),
            fund=m.family_allowance_fund.to_numpy(),
            merged_into=walk,
        )

    def codes_on(self, day: np.datetime64) -> np.ndarray:
        """The code of each municipality on ``day``: merged ones take their new code."""
        codes = self.codes.copy()
        due = self.merged_into[
            self.merged_into.effective_date.to_numpy().astype("datetime64[D]") <= day
        ]
        lookup = dict(zip(due.old_nis_code, due.new_nis_code, strict=True))
        if lookup:
            codes = np.array([lookup.get(c, c) for c in codes])
        return codes


class NumberRegistry:
    """Hands out unique national (or BIS) numbers: serials are counted per birth date and sex."""

    def __init__(self):
        self.used = np.zeros((2, 2, 60_000), dtype=np.int32)  # bis, male, days since 1900

    def issue(self, birth: np.ndarray, male: np.ndarray, bis: bool) -> np.ndarray:
        day = (birth - np.datetime64("1900-01-01")).astype(int)
        key = day * 2 + male
        order = np.argsort(key, kind="stable")
        sorted_key = key[order]
        first = np.searchsorted(sorted_key, sorted_key, side="left")
        rank = np.empty_like(key)
        rank[order] = np.arange(len(key)) - first
        rank += self.used[int(bis), male.astype(int), day]
        np.add.at(self.used[int(bis)], (male.astype(int), day), 1)
        return niss.generate(birth, male, rank, bis=bis)


def _bracket_ages(brackets, n, rng) -> np.ndarray:
    lows, highs, weights = (np.array(x, dtype=float) for x in zip(*brackets, strict=True))
    pick = rng.choice(len(lows), n, p=weights / weights.sum())
    return (lows[pick] + rng.random(n) * (highs[pick] - lows[pick])).astype(np.int64)


def families(n: int, kind: str, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """About ``n`` persons in private households: age, sex, household (0..) and position."""
    p_type = np.array(_TYPES[kind])
    n_house = max(1, int(n / (2.2 / 2 if kind == "resident" else 1.2)) + 2)
    htype = rng.choice(5, n_house, p=p_type)
    ref_age = np.zeros(n_house, dtype=np.int64)
    for t in range(5):
        here = htype == t
        ref_age[here] = _bracket_ages(_REF_AGES[kind][t], here.sum(), rng)
    ref_male = np.where(
        htype == 0,
        rng.random(n_house) < np.where(ref_age >= 65, 0.35, 0.55),
        np.where(htype == 3, rng.random(n_house) < 0.2, rng.random(n_house) < 0.9),
    )
    couple = (htype == 1) | (htype == 2)
    partner_age = np.clip(ref_age - 2 + np.round(rng.normal(0, 4, n_house)).astype(int), 18, 99)
    mother_age = np.where(couple & ref_male, partner_age, ref_age)
    kids = np.zeros(n_house, dtype=np.int64)
    for t, (counts, probs) in _CHILDREN.items():
        here = htype == t
        kids[here] = rng.choice(counts, here.sum(), p=probs)
    others = np.where(htype == 4, rng.choice([1, 2], n_house, p=[0.8, 0.2]), 0)
    # persons: reference, partner, children, other members
    hh_ref = np.arange(n_house)
    hh_par = np.flatnonzero(couple)
    hh_kid = np.repeat(np.arange(n_house), kids)
    order = np.arange(len(hh_kid)) - np.repeat(np.cumsum(kids) - kids, kids)
    gap = np.clip(27 + rng.normal(0, 4, len(hh_kid)), 18, 45) + 2.5 * order
    kid_age = np.round(mother_age[hh_kid] - gap).astype(np.int64)
    home = (kid_age >= 0) & (kid_age < 25 + rng.integers(0, 6, len(kid_age)))  # the others left
    hh_kid, kid_age = hh_kid[home], kid_age[home]
    hh_oth = np.repeat(np.arange(n_house), others)
    oth_age = rng.integers(18, 85, len(hh_oth))
    hh = np.concatenate([hh_ref, hh_par, hh_kid, hh_oth])
    age = np.concatenate([ref_age, partner_age[hh_par], kid_age, oth_age])
    male = np.concatenate(
        [
            ref_male,
            np.where(rng.random(len(hh_par)) < 0.97, ~ref_male[hh_par], ref_male[hh_par]),
            rng.random(len(hh_kid)) < 0.51,
            rng.random(len(hh_oth)) < 0.5,
        ]
    )
    pos = np.concatenate(
        [
            np.full(n_house, REF),
            np.full(len(hh_par), PARTNER),
            np.full(len(hh_kid), CHILD),
            np.full(len(hh_oth), OTHER),
        ]
    ).astype(np.int8)
    order = np.argsort(hh, kind="stable")
    hh, age, male, pos = hh[order], age[order], male[order], pos[order]
    # keep households, at random, so that the persons kept follow the age pyramid
    sizes = np.bincount(hh, minlength=n_house)
    u = rng.random(n_house)
    if kind == "resident":
        chosen = _pyramid_sample(hh, age, sizes, u, n)
    else:
        chosen = np.flatnonzero(_smallest(u, sizes, n))
    keep = np.zeros(n_house, bool)
    keep[chosen] = True
    keep = keep[hh]
    renumber = np.cumsum(np.bincount(hh[keep], minlength=n_house) > 0) - 1
    return {
        "age": age[keep],
        "male": male[keep],
        "household": renumber[hh[keep]],
        "pos": pos[keep],
    }


def _private_pyramid() -> np.ndarray:
    """Share of each five-year age group among residents of private households: PYRAMID less
    the collective households' residents (COLLECTIVE_OLD aged 75-99, the others 20-74, as
    drawn in :class:`Population`)."""
    ages = np.arange(100)
    collective = np.where(ages >= 75, COLLECTIVE_OLD / 25, 0.0) + np.where(
        (ages >= 20) & (ages < 75), (1 - COLLECTIVE_OLD) / 55, 0
    )
    groups = np.bincount(np.minimum(ages // 5, len(PYRAMID) - 1), collective, len(PYRAMID))
    target = np.array(PYRAMID) / sum(PYRAMID) - COLLECTIVE_SHARE * groups
    return np.maximum(target, 1e-4) / np.maximum(target, 1e-4).sum()


def _pyramid_sample(hh, age, sizes, u, n: int) -> np.ndarray:
    """Households (about ``n`` persons) drawn without replacement with weights raked so that
    the persons drawn follow the private households' age pyramid: the weights first bring
    all the households' members to it, then the draw (``u`` uniform per household) is
    repeated with the same ``u``, the age groups' remaining gaps raising the weights of the
    households holding them (a large draw saturates: the heaviest households are all
    drawn). ``hh`` is sorted and every household has a member."""
    group = np.minimum(age // 5, len(PYRAMID) - 1)
    target = _private_pyramid()
    starts = np.r_[0, np.cumsum(sizes)[:-1]]

    def rake(log_w, found):
        ratio = np.log(target / np.maximum(found / found.sum(), 1e-9))
        return log_w + np.add.reduceat(ratio[group], starts) / sizes

    log_w = np.zeros(len(sizes))
    for _ in range(6):
        found = np.bincount(group, np.repeat(np.exp(log_w), sizes), minlength=len(target))
        log_w = rake(log_w, found)
    key = -np.log(np.maximum(u, 1e-300))  # exponential: the smallest key / weight first
    for _ in range(3):
        kept = _smallest(key * np.exp(-log_w), sizes, n)
        log_w = rake(log_w, np.bincount(group[np.repeat(kept, sizes)], minlength=len(target)))
    return np.flatnonzero(_smallest(key * np.exp(-log_w), sizes, n))


def _smallest(key, sizes, n: int) -> np.ndarray:
    """Mask of the households of smallest ``key`` holding ``n`` persons (or one household
    more): a partition around the count the sizes so far suggest, until it holds."""
    k = max(1, min(len(key) - 1, int(n / sizes.mean())))
    while True:
        part = np.argpartition(key, k)
        total = sizes[part[:k]].sum()
        if total >= n or k == len(key) - 1:
            break
        k = min(len(key) - 1, k + int((n - total) / sizes[part[:k]].mean()) + 1)
    first, excess = part[:k], total - n
    m = min(k, excess)  # at most this many households to drop: the largest keys
    last = first[np.argpartition(key[first], k - m)[k - m :]] if m else first[:0]
    last = last[np.argsort(key[last])[::-1]]
    drop = np.searchsorted(np.cumsum(sizes[last]), excess, side="right")
    mask = np.zeros(len(key), bool)
    mask[first] = True
    mask[last[:drop]] = False
    return mask


class Population:
    """Everyone the institutions may know: residents and, apart, cross-border workers and
    pensioners living abroad."""

    def __init__(self, n: int, geo: Geography, start: np.datetime64, rng: np.random.Generator):
        self.geo, self.rng, self.numbers = geo, rng, NumberRegistry()
        self.n_households = len(geo.codes)  # the first ids: one collective household each
        self.targets, self.calibrated_year = None, None
        self.correction = np.ones(len(cal.shortfall(np.ones((cr.N_CELLS, cr.NS)), 2019, 0.5)))
        fam = families(round(n * (1 - COLLECTIVE_SHARE)), "resident", rng)
        self.cols = self._households(fam, start, self._draw_nationality)
        n_coll = round(n * COLLECTIVE_SHARE)
        ages = np.where(
            rng.random(n_coll) < COLLECTIVE_OLD,
            rng.integers(75, 100, n_coll),
            rng.integers(20, 75, n_coll),
        )
        coll = self._new_people(self._born(start, ages), male=rng.random(n_coll) < 0.32)
        coll["muni"] = rng.choice(len(geo.codes), n_coll, p=geo.weights).astype(np.int32)
        coll["nat"] = self._draw_nationality(coll["muni"])
        coll["household"] = coll["muni"].astype(np.int64)
        coll["pos"][:] = COLLECTIVE
        self._append(coll)
        cross_border = max(1, round(0.008 * n))
        ages = rng.integers(22, 60, cross_border)
        self.cross_border = self._new_people(
            self._born(start, ages), rng.random(cross_border) < 0.6, bis=True
        )
        self.cross_border["state"][:] = S["employee"]
        self.update_states(start)  # everyone's first state, spells already under way
        self.cols["dur"][:] = cr.stationary_durations(self.cols["state"], rng)
        self.abroad = self._pensioners_abroad(start)

    # --- creation -------------------------------------------------------------------------
    def _born(self, on: np.datetime64, ages: np.ndarray) -> np.ndarray:
        """Birth dates of people aged ``ages`` on ``on``."""
        days_old = ages * 365 + self.rng.integers(0, 365, len(ages))
        return on - days_old.astype("timedelta64[D]")

    def _draw_nationality(self, muni: np.ndarray) -> np.ndarray:
        region = self.geo.region[muni]
        nat = np.zeros(len(muni), dtype=np.int8)
        for r, code in enumerate(REGIONS):
            here = region == r
            shares = np.array(NATIONALITY_SHARES[code], dtype=float)
            nat[here] = self.rng.choice(3, size=here.sum(), p=shares / shares.sum())
        return nat

    def _new_people(self, birth, male, bis=False) -> dict[str, np.ndarray]:
        rng, n = self.rng, len(birth)
        return {
            "niss": self.numbers.issue(birth, male, bis),
            "birth": birth,
            "male": male,
            "nat": np.zeros(n, dtype=np.int8),
            "muni": np.zeros(n, dtype=np.int32),
            "household": np.full(n, -1, dtype=np.int64),
            "pos": np.full(n, OTHER, dtype=np.int8),
            "state": np.full(n, -1, dtype=np.int8),
            "dur": np.zeros(n, dtype=np.int16),
            "prev": np.full(n, S["other"], dtype=np.int8),
            "public_sector": rng.random(n) < 0.2,
            "employer": rng.integers(0, 1 << 30, n),
            "second_job": rng.random(n) < 0.08,
            "pct": np.full(n, 100, dtype=np.uint8),
            "wage_z": rng.standard_normal(n).astype(np.float32),
            "resident": np.ones(n, dtype=bool),
        }

    def _households(self, fam, on, nationality, muni_weights=None) -> dict[str, np.ndarray]:
        """People of ``families()`` given birth dates, a municipality and a nationality per
        household, and household numbers of their own."""
        rng = self.rng
        people = self._new_people(self._born(on, fam["age"]), fam["male"])
        n_house = int(fam["household"].max()) + 1
        w = self.geo.weights if muni_weights is None else muni_weights
        house_muni = rng.choice(len(self.geo.codes), n_house, p=w).astype(np.int32)
        house_nat = nationality(house_muni)
        people["muni"] = house_muni[fam["household"]]
        people["nat"] = house_nat[fam["household"]]
        people["household"] = fam["household"] + self.n_households
        people["pos"] = fam["pos"]
        self.n_households += n_house
        return people

    def _pensioners_abroad(self, on: np.datetime64) -> dict[str, np.ndarray]:
        """Pensioners living abroad (in SFP's and PDOS's files, not in the register), as
        many as the statutory pensioners' figure leaves beyond the residents."""
        c = self.cols
        residents = int(np.isin(c["state"], cr.PENSION).sum())
        wanted = cal.figures()["statutory_pensioners"] * 1000 * len(c["state"]) / cal.NATIONAL
        k = max(1, round(wanted - residents))
        ages = self.rng.integers(65, 95, k)
        abroad = self._new_people(self._born(on, ages), self.rng.random(k) < 0.5)
        abroad["state"][:] = S["pensioner"]
        return abroad

    def _append(self, new: dict[str, np.ndarray]):
        for k in self.cols:
            self.cols[k] = np.concatenate([self.cols[k], new[k]])

    # --- one quarter ----------------------------------------------------------------------
    def advance(self, day: np.datetime64, base_n: int):
        """Deaths, emigration, moves, household changes, births and immigration during the
        quarter ending on ``day``."""
        rng, c = self.rng, self.cols
        res = c["resident"]
        n_res = int(res.sum())
        age = self.ages(day)
        private = c["pos"] != COLLECTIVE
        # deaths: Gompertz by age, scaled to the crude death rate
        frailty = np.exp(0.095 * np.minimum(age, 105)) * np.where(private, 1.0, 2.0)
        scale = cal.rate("deaths_per_1000") / 4 * n_res / frailty[res].sum()
        dead = res & (rng.random(len(res)) < np.minimum(scale * frailty, 0.5))
        # emigration: whole private households, foreigners three times as often, households
        # of older people seldom (a household takes its most mobile member's weight)
        hh = c["household"]
        weight = np.zeros(self.n_households)
        mobile = np.where(c["nat"] == 0, 1.0, 3.0) * np.select(
            [age < 50, age < 65], [1.0, 0.5], 0.15
        )
        np.maximum.at(weight, hh[res], mobile[res])
        per_person = weight[hh] * (res & private)
        p_house = cal.rate("emigration_per_1000") / 4 * n_res / max(per_person.sum(), 1)
        leaving = rng.random(self.n_households) < np.minimum(p_house * weight, 0.5)
        res &= ~dead & ~(leaving[hh] & private)
        # moves and naturalisation, whole households
        movers = rng.random(self.n_households) < MOVE
        move_to = rng.choice(len(self.geo.codes), size=self.n_households, p=self.geo.weights)
        moving = res & private & movers[hh]
        c["muni"][moving] = move_to[hh[moving]]
        naturalised = rng.random(self.n_households) < NATURALISATION
        c["nat"][res & naturalised[hh]] = 0
        self._household_changes(age)
        self._fix_heads(day)
        # births to mothers living in the household
        births = rng.poisson(cal.rate("births_per_1000") / 4 * n_res)
        women = np.flatnonzero(
            res & ~c["male"] & (age >= 18) & (age <= 45) & np.isin(c["pos"], [REF, PARTNER])
        )
        fertility = np.exp(-(((age[women] - 31) / 5.5) ** 2))
        mothers = rng.choice(women, births, p=fertility / fertility.sum())
        born = day - rng.integers(0, 90, births).astype("timedelta64[D]")
        babies = self._new_people(born, rng.random(births) < 0.51)
        for k in ("muni", "nat", "household"):
            babies[k] = c[k][mothers]
        babies["pos"][:] = CHILD
        self._append(babies)
        # immigration: households arriving, more of them in Brussels
        arrivals = rng.poisson(cal.rate("immigration_per_1000") / 4 * n_res)
        if arrivals:
            fam = families(arrivals, "immigrant", rng)
            w = self.geo.weights * np.where(self.geo.region == 2, 2.0, 1.0)
            self._append(
                self._households(
                    fam,
                    day,
                    lambda m: rng.choice(3, len(m), p=[0.12, 0.44, 0.44]).astype(np.int8),
                    w / w.sum(),
                )
            )

    def _household_changes(self, age: np.ndarray):
        """Children leave home, couples form and separate, the very old go to care homes."""
        rng, c = self.rng, self.cols
        res, pos, hh = c["resident"], c["pos"], c["household"]
        # children leaving home found a household of their own
        p_leave = np.select([age < 18, age < 21, age < 25, age < 30], [0, 0.006, 0.025, 0.06], 0.08)
        leavers = np.flatnonzero(res & (pos == CHILD) & (rng.random(len(res)) < p_leave))
        self._new_household(leavers)
        size = np.bincount(hh[res], minlength=self.n_households)
        # couples form: one-person households of 22-50, within a region
        single = res & (pos == REF) & (size[hh] == 1) & (age >= 20) & (age <= 55)
        single &= rng.random(len(res)) < 0.10
        region = self.geo.region[c["muni"]]
        for r in range(3):
            men = np.flatnonzero(single & c["male"] & (region == r))
            women = np.flatnonzero(single & ~c["male"] & (region == r))
            k = min(len(men), len(women))
            men, women = men[np.argsort(age[men])[:k]], women[np.argsort(age[women])[:k]]
            hh[women], pos[women], c["muni"][women] = hh[men], PARTNER, c["muni"][men]
        # separations: the man of a couple leaves (the partner keeps the household)
        couples = np.flatnonzero(res & (pos == PARTNER) & (rng.random(len(res)) < 0.003))
        heads = np.full(self.n_households, -1)
        is_ref = np.flatnonzero(res & (pos == REF))
        heads[hh[is_ref]] = is_ref
        ref_of = heads[hh[couples]]
        ok = ref_of >= 0
        couples, ref_of = couples[ok], ref_of[ok]
        man_is_ref = c["male"][ref_of]
        pos[couples[man_is_ref]] = REF
        self._new_household(np.where(man_is_ref, ref_of, couples))
        # the very old move into their municipality's collective household
        old = res & (pos != COLLECTIVE) & (age >= 80) & (rng.random(len(res)) < 0.012)
        old = np.flatnonzero(old)
        hh[old], pos[old] = c["muni"][old], COLLECTIVE

    def _new_household(self, people: np.ndarray):
        """Each of ``people`` alone in a new household, half of them in another municipality."""
        c, n = self.cols, len(people)
        away = self.rng.random(n) < 0.5
        elsewhere = self.rng.choice(len(self.geo.codes), n, p=self.geo.weights)
        c["muni"][people] = np.where(away, elsewhere, c["muni"][people])
        c["household"][people] = self.n_households + np.arange(n)
        c["pos"][people] = REF
        self.n_households += n

    def _fix_heads(self, day: np.datetime64):
        """A household whose reference person is gone takes the partner, else its oldest member;
        the children not 15 years younger than the new reference person (all of them when it
        was a child) become other members. A household left with no adult goes, all of it, to
        its municipality's collective household (an institution or foster care stands in)."""
        c = self.cols
        res, pos, hh = c["resident"], c["pos"], c["household"]
        private = res & (pos != COLLECTIVE)
        has_ref = np.zeros(self.n_households, bool)
        has_ref[hh[private & (pos == REF)]] = True
        orphan = private & ~has_ref[hh]
        if not orphan.any():
            return
        partners = np.flatnonzero(orphan & (pos == PARTNER))
        has_ref[hh[partners]] = True
        rest = np.flatnonzero(private & ~has_ref[hh])
        order = rest[np.lexsort((c["birth"][rest], hh[rest]))]
        first = np.diff(hh[order], prepend=-1) != 0  # each household's oldest
        heads = np.r_[partners, order[first]]
        was_child = np.zeros(self.n_households, bool)
        was_child[hh[heads]] = pos[heads] == CHILD
        head_birth = np.zeros(self.n_households, dtype=c["birth"].dtype)
        head_birth[hh[heads]] = c["birth"][heads]
        pos[heads] = REF
        members = np.flatnonzero(orphan)
        close = c["birth"][members] < head_birth[hh[members]] + np.timedelta64(15 * 365, "D")
        demote = members[(was_child[hh[members]] | close) & (pos[members] == CHILD)]
        pos[demote] = OTHER
        no_adult = np.zeros(self.n_households, bool)
        no_adult[hh[heads]] = self.ages(day)[heads] < 18
        minors = np.flatnonzero(private & no_adult[hh])
        hh[minors], pos[minors] = c["muni"][minors], COLLECTIVE

    def ages(self, day: np.datetime64, cols=None) -> np.ndarray:
        """Age in completed years on ``day`` (kept for the population as it is on that day)."""
        birth = (cols or self.cols)["birth"]
        mine = cols is None and isinstance(self, Population)
        if mine and getattr(self, "_ages", (None, None))[0] == (day, len(birth)):
            return self._ages[1]

        def month_day(d):
            months = d.astype("datetime64[M]")
            return (months - d.astype("datetime64[Y]")).astype(int) * 100 + (d - months).astype(int)

        years = day.astype("datetime64[Y]").astype(int) - birth.astype("datetime64[Y]").astype(int)
        age = years - (month_day(day) < month_day(birth))
        if mine:
            self._ages = ((day, len(birth)), age)
        return age

    def update_states(self, day: np.datetime64):
        """Every resident's life-course state for the quarter ending on ``day``; new jobs
        bring a new employer, wage rank and working time."""
        c, rng = self.cols, self.rng
        age = self.ages(day)
        band = cr.BAND_OF_AGE[np.clip(age, 0, 130)]
        region = self.geo.region[c["muni"]]
        cell = cr.cell_index(band, region, c["male"].astype(int), c["nat"].astype(int))
        year = int(day.astype("datetime64[Y]").astype(int)) + 1970
        if year != self.calibrated_year:
            res = c["resident"]
            cell_pop = np.bincount(cell[res], minlength=cr.N_CELLS)
            steady = cr.long_spell_share("incapacity")
            if self.targets is not None:  # correct last year's shortfalls, gently
                known = res & (c["state"] >= 0)
                counts = np.bincount(
                    cell[known] * cr.NS + c["state"][known], minlength=cr.N_CELLS * cr.NS
                ).reshape(cr.N_CELLS, cr.NS)
                ratio = cal.shortfall(counts, year - 1, steady)
                self.correction *= np.clip(ratio**0.7, 0.85, 1.18)
            self.targets = cal.state_targets(cell_pop, year, steady, self.correction)
            self.calibrated_year = year
        changed = cr.update(
            c["state"],
            c["dur"],
            c["prev"],
            cell,
            band,
            age,
            region,
            c["resident"],
            self.targets,
            rng,
        )
        self.p_part = self._part_time_rates()
        hired = changed[np.isin(c["state"][changed], WORKING)]
        moved = np.flatnonzero(c["resident"] & (rng.random(len(age)) < JOB_CHANGE))
        moved = moved[np.isin(c["state"][moved], WORKING)]
        self._new_job(np.concatenate([hired, moved]))

    def _part_time_rates(self) -> dict[bool, float]:
        """Chance that a new employee job is part time, by sex, so that employees' part-time
        shares match the calibration file (some states are part time whatever the draw)."""
        c, out = self.cols, {}
        res, state = c["resident"], c["state"]
        employee = np.isin(state, [S[s] for s in EMPLOYEE_POSITION])
        forced = np.isin(state, [S[s] for s in FORCED_PCT])
        for male, share in cal.part_time_shares().items():
            sex = res & (c["male"] == male)
            n_emp, n_forced = (employee & sex).sum(), (forced & employee & sex).sum()
            free = max(n_emp - n_forced, 1)
            out[male] = float(np.clip((share * n_emp - n_forced) / free, 0, 1))
        return out

    def _new_job(self, who: np.ndarray):
        c, rng, n = self.cols, self.rng, len(who)
        c["employer"][who] = rng.integers(0, 1 << 30, n)
        c["wage_z"][who] = (0.7 * c["wage_z"][who] + 0.71 * rng.standard_normal(n)).astype(
            np.float32
        )
        p = np.where(c["male"][who], self.p_part[True], self.p_part[False])
        part = rng.random(n) < p
        pct = rng.choice(PART_TIME_PCT[0], n, p=PART_TIME_PCT[1])
        c["pct"][who] = np.where(part, pct, 100)


# States whose main job counts as an employee's (positions n11x and n141), and the working
# time those states impose on it.
EMPLOYEE_POSITION = [
    "student_worker",
    "employee",
    "employee_self_employed_secondary",
    "helper_with_job",
    "employee_with_benefit",
    "pensioner_working",
]
FORCED_PCT = {
    "student_worker": 20,
    "employee_with_benefit": 50,
    "pensioner_working": 40,
    "self_employed_with_job": 50,
}
