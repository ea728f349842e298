"""Life-course states and careers with memory.

Each quarter every resident holds one state (employee, job seeker, pensioner...), which says
which institutions know the person. A person leaves a state with a probability that depends
on how long they have been in it (job spells get more stable, unemployment exits slow down
with duration: more long-term job seekers where exits are slower, in Wallonia and
Brussels), on age, region and the state held before; and when the state holds more people
in the person's cell (age band x region x sex x nationality, so also on sex) than its target
(:mod:`dwh.simulate.calibration`). Those who leave, and newcomers, go to the states short of
their target in their cell, weighted by where people from their previous state usually go.
"""

import numpy as np

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
    "pensioner_self_employed",
]
S = {name: i for i, name in enumerate(STATES)}
NS = len(STATES)
WORKING_NAMES = STATES[1:9] + ["pensioner_working", "pensioner_self_employed"]
WORKING = [S[n] for n in WORKING_NAMES]
BENEFIT_NAMES = ["unemployed", "unemployed_part_time", "integration_allowance"]
JOB_SEEKING = [S[n] for n in BENEFIT_NAMES + ["job_seeker_without_benefit"]]
SELF_EMPLOYED_MAIN = ["self_employed", "self_employed_with_job", "helper"]
SELF_EMPLOYED_SECONDARY = ["employee_self_employed_secondary", "helper_with_job"]
PENSION = [S[n] for n in ("pensioner", "pensioner_working", "pensioner_self_employed")]
IS_PENSION = np.isin(np.arange(len(STATES)), PENSION)

AGE_BANDS = np.array([0, 15, 18, 20, 25, 30, 40, 50, 55, 60, 62, 65, 70, 80])  # lower bounds
BAND_OF_AGE = np.searchsorted(AGE_BANDS, np.arange(131), side="right") - 1
N_CELLS = len(AGE_BANDS) * 3 * 2 * 3
CHUNK = 500_000  # movers drawn at a time

# Base shares (percent of the cell) before calibration: the shape over ages; the levels by
# region and sex come from the calibration. "other" (adults) and "child" (under 18) take
# what the others leave.
_BASE = {
    0: {"child": 100},
    15: {"student_worker": 4, "child": 96},
    18: {
        "child": 75,
        "student_worker": 8,
        "employee": 8,
        "integration_allowance": 1,
        "job_seeker_without_benefit": 2,
        "social_integration": 1.5,
        "other": 3,
    },
    20: {
        "child": 40,
        "student_worker": 6,
        "employee": 34,
        "employee_self_employed_secondary": 0.5,
        "self_employed": 1.5,
        "employee_with_benefit": 0.5,
        "integration_allowance": 2.5,
        "unemployed": 1.5,
        "job_seeker_without_benefit": 3,
        "social_integration": 2,
        "incapacity": 1.5,
        "disability": 0.8,
    },
    25: {
        "employee": 62,
        "employee_self_employed_secondary": 3,
        "self_employed": 7,
        "self_employed_with_job": 0.8,
        "helper": 0.3,
        "helper_with_job": 0.1,
        "employee_with_benefit": 1,
        "unemployed": 4,
        "unemployed_part_time": 0.2,
        "integration_allowance": 1,
        "job_seeker_without_benefit": 3,
        "social_integration": 2,
        "career_break": 0.3,
        "incapacity": 4,
        "disability": 1.5,
    },
    30: {
        "employee": 62,
        "employee_self_employed_secondary": 5,
        "self_employed": 10,
        "self_employed_with_job": 1,
        "helper": 0.6,
        "helper_with_job": 0.2,
        "employee_with_benefit": 1.2,
        "unemployed": 3.5,
        "unemployed_part_time": 0.3,
        "integration_allowance": 0.1,
        "job_seeker_without_benefit": 2.5,
        "social_integration": 1.5,
        "career_break": 0.8,
        "incapacity": 6,
        "disability": 2,
    },
    40: {
        "employee": 61,
        "employee_self_employed_secondary": 5,
        "self_employed": 11.5,
        "self_employed_with_job": 1.2,
        "helper": 0.8,
        "helper_with_job": 0.2,
        "employee_with_benefit": 1.2,
        "unemployed": 3.2,
        "unemployed_part_time": 0.3,
        "job_seeker_without_benefit": 2,
        "social_integration": 1.2,
        "career_break": 0.8,
        "incapacity": 9,
        "disability": 2.2,
    },
    50: {
        "employee": 58,
        "employee_self_employed_secondary": 4.5,
        "self_employed": 11,
        "self_employed_with_job": 1,
        "helper": 0.8,
        "helper_with_job": 0.2,
        "employee_with_benefit": 1,
        "unemployed": 3.5,
        "unemployed_part_time": 0.3,
        "job_seeker_without_benefit": 1.8,
        "social_integration": 1,
        "career_break": 0.7,
        "exempted_job_seeker": 0.3,
        "incapacity": 13,
        "disability": 2.5,
    },
    55: {
        "employee": 50,
        "employee_self_employed_secondary": 3.5,
        "self_employed": 10,
        "self_employed_with_job": 0.8,
        "helper": 0.8,
        "employee_with_benefit": 0.8,
        "unemployed": 4,
        "unemployed_part_time": 0.3,
        "job_seeker_without_benefit": 1.5,
        "social_integration": 0.8,
        "career_break": 0.5,
        "exempted_job_seeker": 0.8,
        "swt": 1.5,
        "leave_prior_to_retirement": 0.5,
        "incapacity": 16,
        "disability": 2.7,
    },
    60: {
        "employee": 32,
        "employee_self_employed_secondary": 2.5,
        "self_employed": 8,
        "self_employed_with_job": 0.5,
        "helper": 0.8,
        "unemployed": 3.5,
        "job_seeker_without_benefit": 1,
        "social_integration": 0.7,
        "exempted_job_seeker": 1.5,
        "swt": 6,
        "leave_prior_to_retirement": 2,
        "pensioner": 6,
        "incapacity": 18,
        "disability": 2.7,
    },
    62: {
        "employee": 15,
        "employee_self_employed_secondary": 1,
        "self_employed": 6,
        "helper": 0.8,
        "unemployed": 2,
        "job_seeker_without_benefit": 0.5,
        "social_integration": 0.6,
        "exempted_job_seeker": 1.5,
        "swt": 5,
        "leave_prior_to_retirement": 2,
        "pensioner": 38,
        "pensioner_working": 1.5,
        "pensioner_self_employed": 1,
        "incapacity": 16,
        "disability": 2.5,
    },
    65: {"pensioner": 85, "pensioner_working": 3, "pensioner_self_employed": 7, "disability": 2},
    70: {"pensioner": 89, "pensioner_working": 1, "pensioner_self_employed": 4, "disability": 3},
    80: {"pensioner": 93, "pensioner_self_employed": 1, "disability": 4},
}
BASE = np.zeros((len(AGE_BANDS), NS))
for _band, _row in _BASE.items():
    for _state, _share in _row.items():
        BASE[list(AGE_BANDS).index(_band), S[_state]] = _share / 100
WORKING_AGE = (AGE_BANDS >= 18) & (AGE_BANDS < 65)  # bands with their own multipliers
RESIDUAL = np.where(AGE_BANDS < 18, S["child"], S["other"])
ALLOWED = BASE > 0
ALLOWED[np.arange(len(AGE_BANDS)), RESIDUAL] = True

# Nationality (BE, EU, non-EU) multipliers of working, job-seeking and social-integration shares.
_NAT = {"work": (1.0, 0.95, 0.72), "seek": (1.0, 1.3, 2.0), "si": (1.0, 1.3, 3.0)}
NAT_FACTOR = np.ones((3, NS))
NAT_FACTOR[:, WORKING] = np.array(_NAT["work"])[:, None]
NAT_FACTOR[:, JOB_SEEKING] = np.array(_NAT["seek"])[:, None]
NAT_FACTOR[:, S["social_integration"]] = _NAT["si"]

# Quarterly exit probabilities by time in the state: 0-3, 4-7, 8-15 and 16+ quarters.
DURATION_EDGES = np.array([4, 8, 16])
_HAZARD = {
    "work": (0.016, 0.006, 0.0035, 0.0022),
    "seek": (0.26, 0.16, 0.09, 0.05),
    "integration_allowance": (0.20, 0.13, 0.10, 1.0),  # the allowance ends after 3 years
    "social_integration": (0.15, 0.10, 0.07, 0.05),
    "incapacity": (0.30, 0.03, 0.02, 0.012),  # invalidity after a year: few come back
    "disability": (0.02, 0.02, 0.015, 0.01),
    "child": (0.0, 0.0, 0.0, 0.0),
    "pension": (0.0, 0.0, 0.0, 0.0),
    "working_pensioner": (0.10, 0.07, 0.05, 0.05),
    "other": (0.10, 0.06, 0.04, 0.03),
    "career_break": (0.25, 0.25, 0.5, 1.0),
    "slow": (0.03, 0.03, 0.03, 0.03),  # SWT, leave before retirement, exempted
    "student_worker": (0.30, 0.30, 0.30, 0.30),
}
_KIND = {
    **dict.fromkeys(STATES[2:9], "work"),
    **dict.fromkeys(["unemployed", "unemployed_part_time", "job_seeker_without_benefit"], "seek"),
    **dict.fromkeys(["swt", "leave_prior_to_retirement", "exempted_job_seeker"], "slow"),
    "pensioner": "pension",
    **dict.fromkeys(["pensioner_working", "pensioner_self_employed"], "working_pensioner"),
}
HAZARD = np.array([_HAZARD[_KIND.get(s, s)] for s in STATES])
SEEK_REGION = np.array([1.25, 0.75, 0.65])  # job seekers leave more slowly in Wallonia, Brussels
LONG_SEEK_REGION = np.array([1.6, 0.7, 0.55])  # after two years: faster in Flanders (activation)

# Where people leaving a state go (relative weights, times the destination's shortfall).
AFFINITY = np.ones((NS + 1, NS))  # the last row: newcomers (no previous state)
AFFINITY[:, S["child"]] = 0.0
AFFINITY[NS, S["child"]] = 1.0
for _s in WORKING:
    AFFINITY[_s, JOB_SEEKING] = 1.5
    AFFINITY[_s, S["incapacity"]] = 1.0
    AFFINITY[_s, S["other"]] = 0.3
    AFFINITY[_s, S["integration_allowance"]] = 0.1
for _s in JOB_SEEKING + [S["social_integration"]]:
    AFFINITY[_s, WORKING] = 6.0
AFFINITY[S["child"], WORKING] = 3.0
AFFINITY[S["child"], S["integration_allowance"]] = 4.0
AFFINITY[S["incapacity"], S["disability"]] = 3.0
AFFINITY[np.arange(NS), np.arange(NS)] = 0.0


def cell_index(band, region, male, nat) -> np.ndarray:
    """The cell of each person: age band x region x sex x nationality group."""
    return ((band * 3 + region) * 2 + male) * 3 + nat


def cell_parts() -> tuple[np.ndarray, ...]:
    """Band, region, sex (True: men) and nationality of every cell, in cell order."""
    cells = np.arange(N_CELLS)
    return cells // 18, cells // 6 % 3, (cells // 3 % 2).astype(bool), cells % 3


def shares_of(mult, band, region, male, nat) -> np.ndarray:
    """State shares per cell: base shares times nationality and calibration multipliers, the
    residual state taking what is left. Where they exceed 1 the others are scaled down, not
    the pensions (no figure calibrates them: rising invalidity would otherwise crowd the
    pensioners of 60-64 out year after year)."""
    part = WORKING_AGE[band].astype(int)
    shares = BASE[band] * NAT_FACTOR[nat] * mult[:, region, male.astype(int), part].T
    rows = np.arange(len(band))
    shares[rows, RESIDUAL[band]] = 0.0
    pension = np.minimum(shares[:, IS_PENSION].sum(axis=1), 1.0)
    others = shares.sum(axis=1) - pension
    over = others > 1 - pension
    scale = (1 - pension[over]) / others[over]
    shares[np.ix_(over, ~IS_PENSION)] *= scale[:, None]
    shares[rows, RESIDUAL[band]] = np.maximum(1 - shares.sum(axis=1), 0)
    return shares


# Long spells also end at retirement (65), which the hazards above leave out: the spells'
# steady state (first durations, share of invalidity) counts it as a further exit after a year.
RETIREMENT_CUT = 0.03


def _survival() -> np.ndarray:
    """Chance, per state, that a spell lasts at least d quarters (d = 0..159)."""
    d = np.arange(160)
    h = HAZARD[:, np.searchsorted(DURATION_EDGES, d, side="right")]
    h = np.minimum(h + np.where(d >= 4, RETIREMENT_CUT, 0.0), 1.0)
    return np.cumprod(np.c_[np.ones(NS), 1 - h[:, :-1]], axis=1)


def stationary_durations(state: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Time already spent in ``state`` by people found in it, drawn from the spells' survival."""
    survival = _survival()
    cdf = np.cumsum(survival, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(state))
    out = np.empty(len(state), dtype=np.int16)
    for s in np.unique(state):
        here = state == s
        out[here] = np.searchsorted(cdf[s], u[here])
    return out


def long_spell_share(state: str, quarters: int = 4) -> float:
    """Share of the people in ``state`` who have been in it ``quarters`` or more, when entries
    are steady (the spells' survival under the hazards above)."""
    survival = _survival()[S[state]]
    return float(survival[quarters:].sum() / survival.sum())


IS_SEEKING = np.isin(np.arange(NS), JOB_SEEKING)
IS_WORKING = np.isin(np.arange(NS), WORKING)


def hazards(state, dur, age, region, prev) -> np.ndarray:
    """Each person's own probability of leaving their state this quarter (before the cell's
    stocks are held to their targets, in :func:`update`)."""
    h = HAZARD[state, np.searchsorted(DURATION_EDGES, dur, side="right")]
    seeking = IS_SEEKING[state]
    regional = np.where(dur >= 8, LONG_SEEK_REGION[region], SEEK_REGION[region])
    factor = np.where(seeking, regional * np.where(age >= 50, 0.6, 1.0), 1.0)
    factor *= np.where(seeking & IS_WORKING[prev], 1.25, 1.0)
    factor *= np.where(IS_WORKING[state] & (age < 25), 1.8, 1.0)
    return np.minimum(h * factor, 1.0)


def draw(weights: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One column index per row of ``weights`` (non-negative, rows with a positive sum)."""
    cdf = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cdf[:, -1]
    return np.minimum((cdf < u[:, None]).sum(axis=1), weights.shape[1] - 1)


def update(state, dur, prev, cell, band, age, region, resident, targets, rng) -> np.ndarray:
    """Move residents between states for one quarter, in place; returns who changed state
    (entered one, newcomers included)."""
    res = np.flatnonzero(resident)
    s, c = state[res], cell[res]
    new = s < 0
    counts = np.bincount(c[~new] * NS + s[~new], minlength=N_CELLS * NS).reshape(N_CELLS, NS)
    cell_pop = np.bincount(c, minlength=N_CELLS)
    goal = targets * cell_pop[:, None]
    known = np.flatnonzero(~new)
    sk, ck, ki = s[known], c[known], res[known]
    p = hazards(sk, dur[ki], age[ki], region[ki], prev[ki])
    # a state above its target loses the excess too, in proportion to each one's own chance
    # of leaving (so long spells stay long), evenly where nobody would leave otherwise
    expected = np.bincount(ck * NS + sk, p, minlength=N_CELLS * NS).reshape(N_CELLS, NS)
    excess = np.maximum(counts - goal - expected, 0)
    scale = np.where(expected > 1e-9, 1 + excess / np.maximum(expected, 1e-9), 1.0)
    even = np.where(expected > 1e-9, 0.0, excess / np.maximum(counts, 1))
    p = np.minimum(np.maximum(p * scale[ck, sk], even[ck, sk]), 1.0)
    leave = np.zeros(len(res), bool)
    leave[known] = ~ALLOWED[band[ki], sk] | (rng.random(len(known)) < p)
    stay = ~leave & ~new
    kept = np.bincount(c[stay] * NS + s[stay], minlength=N_CELLS * NS).reshape(N_CELLS, NS)
    short = np.maximum(goal - kept, 0)
    movers = np.flatnonzero(leave | new)
    ms = s[movers]
    dest = np.empty(len(movers), dtype=np.int8)
    for lo in range(0, len(movers), CHUNK):  # a chunk at a time: rows x states of floats
        part = slice(lo, lo + CHUNK)
        mc = c[movers[part]]
        allowed = ALLOWED[band[res[movers[part]]]]
        weights = short[mc] * AFFINITY[np.where(ms[part] < 0, NS, ms[part])] * allowed
        empty = weights.sum(axis=1) <= 0
        weights[empty] = (targets[mc[empty]] + 1e-9) * allowed[empty]
        dest[part] = draw(weights, rng)
    who = res[movers]
    prev[who] = np.where(ms < 0, dest, ms)
    state[who] = dest
    dur[res[stay]] += 1
    dur[who] = 0
    return who
