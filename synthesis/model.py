"""The model: persons of the first quarter from one engine per position (small positions share
one per main group), then quarter-to-quarter moves from an explicit transition model.

Why this shape: the position is the variable every figure is about and it rules age (children,
pensioners) and the presence of job details, so a model per position keeps these relations
exactly where a single copula smears them over ages; moves between quarters are a Markov chain
on the position given sex and age class, estimated from the real transitions (rare ones
dropped), which keeps the real transition matrix, where SDV's multi-table HMA would be slow and
sequential models would need far more data and time.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthesis import bounds
from synthesis.engines import engine
from synthesis.places import Places
from synthesis.rules import DETAIL_COLUMNS, JOB_POSITIONS

MIN_STRATUM = 50  # fit rows a position needs for a model of its own
MIN_MOVES = 50  # moves seen for a position, sex and age class to learn them apart
PERSON_COLUMNS = (
    "arrondissement_code",
    "sex",
    "age",
    "nationality_group",
    "is_registered_job_seeker",
)
JOB_COLUMNS = (
    "nace_section",
    "worker_code",
    "part_time_pct",
    "days_paid",
    "gross_wage",
    "job_lines",
    "total_gross_wage",
)
TEXT_COLUMNS = (
    "nis_code",
    "sex",
    "nationality_group",
    "position_code",
    "nace_section",
    "worker_code",
    "time_regime",
    "stratum",
)
SDTYPES = {
    "arrondissement_code": {"sdtype": "categorical"},
    "sex": {"sdtype": "categorical"},
    "age": {"sdtype": "categorical"},  # keeps the age pyramid of each position exactly
    "nationality_group": {"sdtype": "categorical"},
    "is_registered_job_seeker": {"sdtype": "boolean"},
    "position_code": {"sdtype": "categorical"},
    "nace_section": {"sdtype": "categorical"},
    "worker_code": {"sdtype": "categorical"},
    "part_time_pct": {"sdtype": "categorical"},
    "days_paid": {"sdtype": "numerical", "decimal_places": 0},
    "gross_wage": {"sdtype": "numerical", "decimal_places": 2},
    "job_lines": {"sdtype": "numerical", "decimal_places": 0},
    "total_gross_wage": {"sdtype": "numerical", "decimal_places": 2},
}


def strata(fit: pd.DataFrame, main_groups: pd.Series) -> pd.Series:
    """Each fit row's stratum: its position, or ``G<main group>[J]`` for small positions."""
    size = fit["position_code"].map(fit["position_code"].value_counts())
    merged = (
        "G"
        + fit["position_code"].map(main_groups).astype(str)
        + np.where(fit["position_code"].isin(JOB_POSITIONS), "J", "")
    )
    return fit["position_code"].where(size >= MIN_STRATUM, merged)


def model_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The columns as an engine learns them (decimals as floats)."""
    out = rows.copy()
    for column in ("gross_wage", "total_gross_wage", "part_time_pct"):
        out[column] = out[column].astype("float64")
    return out


def from_model(rows: pd.DataFrame, limits: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """Back to the real columns: numbers within their rounded bounds, the main wage never above
    the total, the time regime from the part-time percentage (full-time is 100%)."""
    out = rows.reindex(columns=[*rows.columns.difference(JOB_COLUMNS), *JOB_COLUMNS])
    out = bounds.clip(out, limits)
    job = out["gross_wage"].notna()
    out["total_gross_wage"] = out["total_gross_wage"].round(2)
    out["gross_wage"] = np.fmin(out["gross_wage"], out["total_gross_wage"]).round(2)
    out["time_regime"] = np.where(out["part_time_pct"] == 100, "F", "P")
    out.loc[~job, "time_regime"] = None
    return out


@dataclass
class Stratum:
    positions: pd.Series  # published persons per position in the first quarter
    columns: tuple[str, ...]
    engine: object


class Model:
    def __init__(self, synthesizer: str, main_groups: pd.Series, threshold: int):
        """``threshold``: the figures' disclosure threshold; moves seen that many times or
        fewer are not learned, and every numeric bound is held by more real persons."""
        self.synthesizer = synthesizer
        self.main_groups = main_groups
        self.threshold = threshold
        self.strata: dict[str, Stratum] = {}

    def fit(
        self,
        fit: pd.DataFrame,
        published: pd.Series,
        moves: pd.DataFrame,
        places: Places,
        on_step: Callable[[int, int], None] = lambda done, total: None,
    ):
        """Learn the first quarter's persons per stratum and the moves between quarters. The
        engines learn the arrondissement from the fit sample; the municipality within it is
        drawn from the published figures (``places``), never from the real residents.
        ``published``: the published national persons per position, which share out the
        persons to draw (the real counts would come out of the data exactly)."""
        fit = model_table(fit)
        fit["stratum"] = strata(fit, self.main_groups)
        share = fit.groupby("stratum")["position_code"].value_counts()
        groups = fit.groupby("stratum")
        for done, (name, rows) in enumerate(groups, start=1):
            job = rows["position_code"].iloc[0] in JOB_POSITIONS
            columns = PERSON_COLUMNS + (JOB_COLUMNS if job else ())
            if rows["position_code"].nunique() > 1 or name.startswith("G"):
                columns += ("position_code",)
            positions = published.reindex(share[name].index).fillna(0)
            stratum = Stratum(positions, columns, engine(self.synthesizer))
            stratum.engine.fit(
                rows[list(columns)].reset_index(drop=True), {c: SDTYPES[c] for c in columns}
            )
            self.strata[name] = stratum
            on_step(done, groups.ngroups)
        self.limits = bounds.bounds(fit, self.threshold)
        self.age_cap = self.limits["age"][1]
        self.registered = fit.groupby("position_code")["is_registered_job_seeker"].mean()
        self._fit_moves(moves)
        self.places = places

    def _fit_moves(self, moves: pd.DataFrame):
        """Moves seen ``threshold`` times or fewer, in all or for one sex and age class, are
        dropped (as the figures withhold such counts); a position's moves for one sex and age
        class are used where MIN_MOVES were seen, else its moves in all."""
        pooled = moves.groupby(["pos_from", "pos_to"])["n"].sum()
        self.moves_by_position = pooled[pooled > self.threshold]
        kept = moves.set_index(["pos_from", "pos_to"]).index.isin(self.moves_by_position.index)
        by_class = moves[kept].groupby(["pos_from", "sex", "age_class", "pos_to"])["n"].sum()
        by_class = by_class[by_class > self.threshold]  # a class's small flows too
        seen = by_class.groupby(["pos_from", "sex", "age_class"]).transform("sum")
        self.moves_by_class = by_class[seen >= MIN_MOVES]

    def shares(self, rows: int) -> dict[str, int]:
        """Persons to draw per stratum for ``rows`` persons, as the published national figures
        share them out, leaving
        out the positions no published municipality figure shows in the first quarter."""
        shown = self.places.positions(self.places.quarters[0]).index
        per = {
            name: s.positions[s.positions.index.isin(shown)].sum()
            for name, s in self.strata.items()
        }
        total = sum(per.values())
        return {name: int(round(rows * n / total)) for name, n in per.items()}

    def persons(self, wanted: dict[str, int], seed: int) -> pd.DataFrame:
        """Draw first-quarter persons per stratum."""
        parts = []
        for i, (name, n) in enumerate(sorted(wanted.items())):
            if n <= 0:
                continue
            stratum = self.strata[name]
            rows = stratum.engine.sample(n, seed * 1000 + i)
            if "position_code" not in stratum.columns:
                rows["position_code"] = name
            rows["stratum"] = name
            parts.append(rows)
        out = pd.concat(parts, ignore_index=True)
        out["nis_code"] = self.places.draw(
            self.places.quarters[0],
            out["position_code"],
            out["arrondissement_code"],
            np.random.default_rng(seed),
        )
        out = from_model(out.drop(columns="arrondissement_code"), self.limits)
        for column in TEXT_COLUMNS:
            out[column] = out[column].astype("string[pyarrow]")
        return out

    def details(self, position: str, n: int, seed: int) -> pd.DataFrame:
        """Job details for persons who take a job with ``position`` after the first quarter."""
        name = next(k for k, s in self.strata.items() if position in s.positions.index)
        rows = self.strata[name].engine.sample(n, seed)
        return from_model(rows, self.limits)[list(DETAIL_COLUMNS)]

    def next_positions(self, current: pd.DataFrame, quarter: str, rng: np.random.Generator):
        """Each person's position in ``quarter``, given the current one, sex and the age class
        in that quarter (see ``_moves``)."""
        shown = self.places.positions(quarter)
        out = current["position_code"].to_numpy().copy()
        keys = current.groupby(["position_code", "sex", "age_class"], observed=True).indices
        for (pos, sex, age_class), index in keys.items():
            probs = self._moves(pos, sex, age_class, shown)
            if probs is not None:
                out[index] = rng.choice(probs.index.to_numpy(), len(index), p=probs / probs.sum())
        return out

    def _moves(self, pos: str, sex: str, age_class: str, shown: pd.Series) -> pd.Series | None:
        """The next positions and their weights among those ``shown`` by the quarter's published
        municipality figures: the learned moves of the class, else of the position over all
        classes; without any shown, None (the person stays) if the position is shown, else the
        shown positions in proportion to their published persons."""
        try:
            by_class = self.moves_by_class.loc[(pos, sex, age_class)]
        except KeyError:
            by_class = None
        for probs in (by_class, self.moves_by_position.get(pos)):
            if probs is not None and probs[probs.index.isin(shown.index)].sum() > 0:
                return probs[probs.index.isin(shown.index)]
        return None if pos in shown.index or shown.empty else shown
