"""The disability sources the KSZ/BCSS warehouse added in 2024, as the institutions would send them.

- ``vsb``: the Flemish Agency for Social Protection's care budget for people with a disability
  (zorgbudget voor mensen met een handicap), residents of Flanders under 65;
- ``iriscare_apa``: Iriscare's allowance for assistance to the elderly (APA, 65 and over, Brussels),
  completed with the records still kept in FOD SZ's Handiservice application;
- ``fodss_parking``: FOD SZ / SPF SS parking cards for people with a disability, all of Belgium.

Only persons plausibly concerned get one: each source weighs the residents it may reach
(disability allowance, invalidity, age) and picks, with a uniform fixed per person and source,
``rate x residents`` of them in proportion to their weights, so a person keeps a card or a budget
from quarter to quarter while the weights stay. The rates are published counts (``RATES``,
README "Disability"). Each function gives one quarter's columns of its source
(:mod:`dwh.deliveries`).
"""

import numpy as np
import pyarrow as pa

from dwh.simulate.population import S

FLANDERS, BRUSSELS = 0, 2  # indices into population.REGIONS

# Published counts the rates come from (per resident of the area the source covers, in 2019),
# and a yearly growth.
RATES = {
    # VAPH annual report, 30 June 2019: 16,141 care budgets; Flanders 6.6 million residents
    "vsb": (16_141 / 6_630_000, 0.03),
    # Iriscare (BX1, La Capitale, 2020-2021): a little over 7,000 files; Brussels 1.22 million
    "iriscare_apa": (7_000 / 1_220_000, 0.0),
    # FOD SZ via the municipality of Oudenburg, April 2016: 391,277 valid cards, 11.27 million
    "fodss_parking": (391_277 / 11_270_000, 0.02),
}
APA_CATEGORIES = (("CAT1", 0.35), ("CAT2", 0.25), ("CAT3", 0.2), ("CAT4", 0.12), ("CAT5", 0.08))


def uniform(niss: np.ndarray, salt: int) -> np.ndarray:
    """A uniform in [0, 1) fixed per national number and ``salt`` (a 64-bit mix of both)."""
    x = niss.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(salt)
    x ^= x >> np.uint64(31)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(29)
    return (x >> np.uint64(11)).astype(np.float64) / 2.0**53


def _chosen(q, source: str, weight: np.ndarray, covered: np.ndarray, salt: int) -> np.ndarray:
    """Indices (into the population) of the residents ``source`` delivers this quarter: about
    ``rate x covered residents``, each with probability proportional to ``weight``."""
    rate, growth = RATES[source]
    expected = rate * (1 + growth) ** (q.year - 2019) * covered.sum()
    total = weight.sum()
    if total == 0:
        return q.res[:0]
    p = np.minimum(1.0, weight * expected / total)
    return q.res[uniform(q.pop.cols["niss"][q.res], salt) < p]


def _states(q, *names: str) -> np.ndarray:
    """Whether each resident (aligned with ``q.res``) is in one of the states ``names``."""
    return np.isin(q.state, [S[name] for name in names])


def _region(q) -> np.ndarray:
    return q.pop.geo.region[q.pop.cols["muni"][q.res]]


def vsb(q, source) -> dict:
    """Care budgets for people with a disability: Flemish residents under 65, mostly disability
    allowance recipients and persons in invalidity (a budget asks for a recognised disability)."""
    covered = _region(q) == FLANDERS
    weight = np.select(
        [_states(q, "disability"), _states(q, "incapacity"), q.age < 18], [40.0, 6.0, 1.0], 0.2
    )
    weight = np.where(covered & (q.age < 65), weight, 0.0)
    idx = _chosen(q, "vsb", weight, covered, 0x5B)
    n = len(idx)
    return {
        "rijksregisternummer": q.niss(idx),
        "peildatum": q.period(source, n),
        "zorgbudget": pa.repeat("ZBH", n),
        "maandbedrag": pa.repeat("300.00" if q.year < 2022 else "350.00", n),
    }


def iriscare_apa(q, source) -> dict:
    """Allowances for assistance to the elderly: Brussels residents of 65 and over, more often
    the oldest and those who had a disability allowance; Handiservice's records before Iriscare
    took the allowance over (2021) and a tenth of the files after."""
    covered = _region(q) == BRUSSELS
    weight = np.select([q.age >= 85, q.age >= 75], [6.0, 3.0], 1.0)
    weight = np.where(_states(q, "disability"), 20.0, weight)
    weight = np.where(covered & (q.age >= 65), weight, 0.0)
    idx = _chosen(q, "iriscare_apa", weight, covered, 0x1A)
    niss = q.pop.cols["niss"][idx]
    shares = np.cumsum([share for _, share in APA_CATEGORIES])
    category = np.searchsorted(shares, uniform(niss, 0x2B) * shares[-1])
    handiservice = (q.year < 2021) | (uniform(niss, 0x3C) < 0.1)
    return {
        "NISS": q.niss(idx),
        "MOIS": q.period(source, len(idx)),
        "CATEGORIE": pa.array(np.array([c for c, _ in APA_CATEGORIES])[category], pa.string()),
        "ORIGINE": pa.array(np.where(handiservice, "HANDISERVICE", "IRISCARE"), pa.string()),
    }


def fodss_parking(q, source) -> dict:
    """Parking cards: disability allowance recipients and persons in invalidity most often, then
    older people (80 % of cards end at death), a few others; permanent cards for most."""
    covered = np.ones(len(q.res), bool)
    weight = np.select(
        [_states(q, "disability"), _states(q, "incapacity"), q.age >= 85, q.age >= 75, q.age >= 65],
        [30.0, 6.0, 12.0, 6.0, 2.0],
        0.3,
    )
    idx = _chosen(q, "fodss_parking", weight, covered, 0x7D)
    niss = q.pop.cols["niss"][idx]
    temporary = uniform(niss, 0x4E) < 0.15
    until = np.where(temporary, q.year + 1 + (niss % 5), 9999)
    return {
        "ssin": q.niss(idx),
        "snapshot": q.period(source, len(idx)),
        "card_type": pa.array(np.where(temporary, "TEMP", "PERM"), pa.string()),
        "valid_until": pa.array(np.char.add(until.astype(str), "-12-31"), pa.string()),
    }


ROWS = {"vsb": vsb, "iriscare_apa": iriscare_apa, "fodss_parking": fodss_parking}
