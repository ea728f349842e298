"""A synthetic Belgian population and its life courses, quarter by quarter (vectorised numpy).

People live in the real municipalities in proportion to their inhabitants, follow a
believable age pyramid, are born, die, immigrate, emigrate and move house with their
household. Each quarter every resident holds one life-course state (employee, job seeker,
pensioner...), kept from quarter to quarter with high probability and redrawn from
age-, region- and nationality-dependent shares otherwise. States say which institutions
know the person; :mod:`dwh.simulate` turns them into deliveries.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dwh.core import niss, paths

# Life-course states and the probability of each by age band (Flemish baseline shares).
STATES = [
    "child",
    "student_worker",
    "employee",
    "employee_self_employed_secondary",
    "self_employed",
    "self_employed_with_job",
    "helper",
    "helper_with_job",
    "employee_with_benefit",
    "unemployed",
    "unemployed_part_time",
    "integration_allowance",
    "career_break",
    "exempted_job_seeker",
    "social_integration",
    "pensioner",
    "pensioner_working",
    "swt",
    "leave_prior_to_retirement",
    "incapacity",
    "disability",
    "job_seeker_without_benefit",
    "other",
]
S = {name: i for i, name in enumerate(STATES)}
WORKING = [S[n] for n in STATES[1:9]] + [S["pensioner_working"]]
JOB_SEEKING = [S[n] for n in ("unemployed", "unemployed_part_time", "integration_allowance")]
JOB_SEEKING += [S["job_seeker_without_benefit"]]

AGE_BANDS = np.array([0, 15, 18, 25, 50, 58, 60, 65, 75])  # lower bounds
_SHARES = {  # age band lower bound -> {state: share}; rows are normalised
    0: {"child": 97, "other": 3},
    15: {"child": 92, "student_worker": 5, "other": 3},
    18: {
        "child": 42,
        "student_worker": 8,
        "employee": 30,
        "integration_allowance": 5,
        "unemployed": 2,
        "job_seeker_without_benefit": 3,
        "social_integration": 2,
        "other": 8,
    },
    25: {
        "employee": 64,
        "employee_self_employed_secondary": 4,
        "self_employed": 7,
        "self_employed_with_job": 1,
        "helper": 0.5,
        "helper_with_job": 0.3,
        "employee_with_benefit": 2,
        "unemployed": 4.5,
        "unemployed_part_time": 0.5,
        "integration_allowance": 1,
        "career_break": 1,
        "exempted_job_seeker": 0.5,
        "social_integration": 1.5,
        "incapacity": 4,
        "disability": 1,
        "job_seeker_without_benefit": 2,
        "other": 8,
    },
    50: {
        "employee": 57,
        "employee_self_employed_secondary": 3,
        "self_employed": 8,
        "self_employed_with_job": 1,
        "helper": 1,
        "employee_with_benefit": 1.5,
        "unemployed": 5,
        "career_break": 1,
        "exempted_job_seeker": 1,
        "social_integration": 1,
        "incapacity": 9,
        "disability": 2,
        "job_seeker_without_benefit": 1,
        "other": 9,
    },
    58: {
        "employee": 50,
        "self_employed": 8,
        "helper": 1,
        "unemployed": 4,
        "swt": 6,
        "leave_prior_to_retirement": 2,
        "exempted_job_seeker": 2,
        "incapacity": 11,
        "disability": 2,
        "pensioner": 3,
        "other": 9,
    },
    60: {
        "employee": 28,
        "self_employed": 5,
        "pensioner": 32,
        "pensioner_working": 2,
        "swt": 7,
        "leave_prior_to_retirement": 3,
        "incapacity": 10,
        "disability": 2,
        "unemployed": 2,
        "exempted_job_seeker": 2,
        "other": 7,
    },
    65: {"pensioner": 88, "pensioner_working": 5, "self_employed": 2, "disability": 2, "other": 3},
    75: {"pensioner": 95, "disability": 2, "other": 3},
}
SHARES = np.zeros((len(AGE_BANDS), len(STATES)))
for _band, _row in _SHARES.items():
    for _state, _share in _row.items():
        SHARES[list(AGE_BANDS).index(_band), S[_state]] = _share

REGIONS = ["02000", "03000", "04000"]  # Flanders, Wallonia, Brussels
NATIONALITIES = ["BE", "EU", "NEU"]
# Multipliers of the shares of working, job-seeking and social-integration states.
REGION_FACTORS = {"02000": (1.0, 1.0, 1.0), "03000": (0.88, 2.0, 2.2), "04000": (0.78, 2.6, 3.5)}
NATIONALITY_FACTORS = {"BE": (1.0, 1.0, 1.0), "EU": (0.95, 1.2, 1.2), "NEU": (0.75, 1.8, 2.8)}
NATIONALITY_SHARES = {"02000": (90, 5, 5), "03000": (89, 8, 3), "04000": (64, 21, 15)}
STAY = 0.9  # probability of keeping one's state from one quarter to the next

# Relative number of people per year of age, by ten-year band (Belgium, roughly 2019).
_PYRAMID = [1.13, 1.15, 1.18, 1.24, 1.26, 1.36, 1.18, 0.80, 0.45, 0.08]
NACE_SHARES = {
    "A": 1,
    "B": 0.1,
    "C": 12,
    "D": 0.5,
    "E": 0.8,
    "F": 6,
    "G": 14,
    "H": 6,
    "I": 4,
    "J": 3,
    "K": 3,
    "L": 0.7,
    "M": 6,
    "N": 8,
    "O": 10,
    "P": 9,
    "Q": 15,
    "R": 1.2,
    "S": 2,
    "T": 0.1,
    "U": 0.1,
}


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


class Population:
    """Everyone the institutions may know: residents and, apart, cross-border workers."""

    def __init__(self, n: int, geo: Geography, start: np.datetime64, rng: np.random.Generator):
        self.geo, self.rng, self.numbers = geo, rng, NumberRegistry()
        self.n_households = 0
        self.cols = self._new_people(self._born(start, self._pyramid_ages(n)))
        self.cols["household"] = self._households(self.cols["muni"])
        cross_border = max(1, round(0.008 * n))
        ages = rng.integers(22, 60, cross_border)
        self.cross_border = self._new_people(self._born(start, ages), bis=True)
        self.cross_border["state"][:] = S["employee"]

    # --- creation -------------------------------------------------------------------------
    def _pyramid_ages(self, n: int) -> np.ndarray:
        weights = np.repeat(_PYRAMID, 10)
        return self.rng.choice(100, size=n, p=weights / weights.sum())

    def _born(self, on: np.datetime64, ages: np.ndarray) -> np.ndarray:
        """Birth dates of people aged ``ages`` on ``on``."""
        days_old = ages * 365 + self.rng.integers(0, 365, len(ages))
        return on - days_old.astype("timedelta64[D]")

    def _new_people(self, birth, muni=None, nat=None, bis=False) -> dict[str, np.ndarray]:
        rng, n = self.rng, len(birth)
        age_2020 = (np.datetime64("2020-01-01") - birth).astype(int) // 365
        p_male = np.clip(0.5 - np.maximum(age_2020 - 60, 0) * 0.005, 0.3, 0.5)
        male = rng.random(n) < p_male
        if muni is None:
            muni = rng.choice(len(self.geo.codes), size=n, p=self.geo.weights)
        if nat is None:
            region = self.geo.region[muni]
            nat = np.zeros(n, dtype=np.int8)
            for r, code in enumerate(REGIONS):
                here = region == r
                shares = np.array(NATIONALITY_SHARES[code], dtype=float)
                nat[here] = rng.choice(3, size=here.sum(), p=shares / shares.sum())
        return {
            "niss": self.numbers.issue(birth, male, bis),
            "birth": birth,
            "male": male,
            "nat": nat.astype(np.int8),
            "muni": muni.astype(np.int32),
            "household": np.full(n, -1, dtype=np.int64),
            "state": np.full(n, -1, dtype=np.int8),
            "public_sector": rng.random(n) < 0.2,
            "employer": rng.integers(0, 1 << 30, n),
            "second_job": rng.random(n) < 0.08,
            "resident": np.ones(n, dtype=bool),
        }

    def _households(self, muni: np.ndarray) -> np.ndarray:
        """Group people of one municipality into households of 1 to 5."""
        order = np.lexsort((self.rng.random(len(muni)), muni))
        sizes = self.rng.choice([1, 2, 3, 4, 5], size=len(muni), p=[0.35, 0.3, 0.15, 0.13, 0.07])
        starts = np.cumsum(sizes)
        hh_of_sorted = np.searchsorted(starts, np.arange(len(muni)), side="right")
        # a household never spans two municipalities: cut where the municipality changes
        breaks = np.r_[False, muni[order][1:] != muni[order][:-1]]
        hh_of_sorted = hh_of_sorted + np.cumsum(breaks)
        household = np.empty(len(muni), dtype=np.int64)
        household[order] = hh_of_sorted + self.n_households
        self.n_households = int(household.max()) + 1
        return household

    def _append(self, new: dict[str, np.ndarray]):
        for k in self.cols:
            self.cols[k] = np.concatenate([self.cols[k], new[k]])

    # --- one quarter ----------------------------------------------------------------------
    def advance(self, day: np.datetime64, base_n: int):
        """Births, deaths, migration and moves during the quarter ending on ``day``."""
        rng, c = self.rng, self.cols
        res = c["resident"]
        age = self.ages(day)
        p_death = np.minimum(0.000015 * np.exp(0.1 * age), 0.5) / 4
        p_emigrate = np.where(c["nat"] == 0, 0.002, 0.006) / 4
        res &= ~(rng.random(len(res)) < p_death + p_emigrate)
        movers = rng.random(self.n_households) < 0.015
        move_to = rng.choice(len(self.geo.codes), size=self.n_households, p=self.geo.weights)
        moving = res & movers[c["household"]]
        c["muni"][moving] = move_to[c["household"][moving]]
        births = rng.poisson(base_n * 0.0025)
        parents = rng.choice(np.flatnonzero(res & (age >= 22) & (age <= 42)), births)
        born = day - rng.integers(0, 90, births).astype("timedelta64[D]")
        babies = self._new_people(born, c["muni"][parents], c["nat"][parents])
        babies["household"] = c["household"][parents]
        self._append(babies)
        arrivals = rng.poisson(base_n * 0.0025)
        capital_heavy = self.geo.weights * np.where(self.geo.region == 2, 3.0, 1.0)
        muni = rng.choice(len(self.geo.codes), arrivals, p=capital_heavy / capital_heavy.sum())
        nat = rng.choice(3, arrivals, p=[0.1, 0.45, 0.45]).astype(np.int8)
        ages = np.clip(rng.normal(30, 11, arrivals), 0, 85).astype(int)
        newcomers = self._new_people(self._born(day, ages), muni, nat)
        newcomers["household"] = self.n_households + np.arange(arrivals)
        self.n_households += arrivals
        self._append(newcomers)

    def ages(self, day: np.datetime64, cols=None) -> np.ndarray:
        """Age in completed years on ``day``."""
        birth = (cols or self.cols)["birth"]

        def month_day(d):
            months = d.astype("datetime64[M]")
            return (months - d.astype("datetime64[Y]")).astype(int) * 100 + (d - months).astype(int)

        years = day.astype("datetime64[Y]").astype(int) - birth.astype("datetime64[Y]").astype(int)
        return years - (month_day(day) < month_day(birth))

    def update_states(self, day: np.datetime64):
        """Keep or redraw every resident's state for the quarter ending on ``day``."""
        c, rng = self.cols, self.rng
        age = self.ages(day)
        band = np.searchsorted(AGE_BANDS, age, side="right") - 1
        prev = c["state"]
        allowed = SHARES[band, np.maximum(prev, 0)] > 0
        redraw = c["resident"] & ((prev < 0) | ~allowed | (rng.random(len(prev)) > STAY))
        region = self.geo.region[c["muni"]]
        for b in range(len(AGE_BANDS)):
            for r, rcode in enumerate(REGIONS):
                for k, ncode in enumerate(NATIONALITIES):
                    who = np.flatnonzero(redraw & (band == b) & (region == r) & (c["nat"] == k))
                    if len(who):
                        p = self._shares(b, rcode, ncode)
                        c["state"][who] = rng.choice(len(STATES), size=len(who), p=p)
        changed_job = redraw & (rng.random(len(prev)) < 0.3)
        c["employer"][changed_job] = rng.integers(0, 1 << 30, changed_job.sum())

    @staticmethod
    def _shares(band: int, region: str, nationality: str) -> np.ndarray:
        p = SHARES[band].copy()
        for factors in (REGION_FACTORS[region], NATIONALITY_FACTORS[nationality]):
            work, seek, integration = factors
            p[WORKING] *= work
            p[JOB_SEEKING] *= seek
            p[S["social_integration"]] *= integration
        return p / p.sum()
