"""The model: persons of the first quarter from one engine per position (small positions share
one per main group), then quarter-to-quarter moves from an explicit transition model.

Why this shape: the position is the variable every figure is about and it rules age (children,
pensioners) and the presence of job details, so a model per position keeps these relations
exactly where a single copula smears them over ages; moves between quarters are a chain on
the position given region, sex, age class and the quarters already spent in the position
(careers depend on it: long spells last), estimated from the real transitions (rare ones
dropped), which keeps the real transition matrix, where SDV's multi-table HMA would be slow and
sequential models would need far more data and time.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from synthesis import bounds, rules
from synthesis.engines import engine
from synthesis.places import Places
from synthesis.rules import DETAIL_COLUMNS, JOB_POSITIONS

MIN_STRATUM = 50  # fit rows a position needs for a model of its own
MIN_MOVES = 50  # moves seen for a position and class of persons to learn them apart
# The classes of persons whose moves are learned apart, finest first: region, sex, age class
# and the quarters spent in the position since the period began (``DURATIONS``).
CLASSES = (
    ("region_code", "sex", "age_class", "duration"),
    ("region_code", "sex", "age_class"),
    ("sex", "age_class"),
)
AGES = 131  # the ages whose allowed positions are looked up in a table (older: computed)
OVERSAMPLE = 3  # candidates drawn from an engine per person kept (see ``Model.match``)
POOL = 2000  # rows an engine draws at a time at least (see ``Model.sample``)
CELL = ("region_code", "sex", "age_class", "position_code")  # the published global figures
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
    def __init__(
        self,
        synthesizer: str,
        main_groups: pd.Series,
        threshold: int,
        age_class: Callable[[pd.Series], pd.Series],
    ):
        """``threshold``: the figures' disclosure threshold; moves seen that many times or
        fewer are not learned, and every numeric bound is held by more real persons;
        ``age_class``: the age class of each age, as the figures class them."""
        self.synthesizer = synthesizer
        self.main_groups = main_groups
        self.age_class = age_class
        self.threshold = threshold
        self.strata: dict[str, Stratum] = {}
        self._pools: dict[str, pd.DataFrame] = {}  # rows drawn, not yet used (``sample``)

    def fit(
        self,
        fit: pd.DataFrame,
        published: pd.Series,
        moves: pd.DataFrame,
        places: Places,
        cells: pd.DataFrame,
        on_step: Callable[[int, int], None] = lambda done, total: None,
    ):
        """Learn the first quarter's persons per stratum and the moves between quarters. The
        engines learn the arrondissement from the fit sample; the municipality within it is
        drawn from the published figures (``places``), never from the real residents.
        ``published``: the published national persons per position, which share out the
        persons to draw (the real counts would come out of the data exactly); ``cells``: the
        published global figures of the run's quarters (``CELL`` and persons, shown ones only),
        which the drawn persons are matched to."""
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
        self.cells = cells.set_index(["quarter", *CELL])["persons"].astype(float)

    def _fit_moves(self, moves: pd.DataFrame):
        """Moves seen ``threshold`` times or fewer, in all or in a class of persons, are
        dropped (as the figures withhold such counts); a position's moves for a class of
        persons (``CLASSES``, finest first) are used where MIN_MOVES were seen, else those of
        the next coarser class, else its moves in all."""
        pooled = moves.groupby(["pos_from", "pos_to"])["n"].sum()
        self.moves_by_position = pooled[pooled > self.threshold]
        kept = moves.set_index(["pos_from", "pos_to"]).index.isin(self.moves_by_position.index)
        self.moves_by_class = []
        for columns in CLASSES:
            by_class = moves[kept].groupby(["pos_from", *columns, "pos_to"])["n"].sum()
            by_class = by_class[by_class > self.threshold]  # a class's small flows too
            seen = by_class.groupby(["pos_from", *columns]).transform("sum")
            self.moves_by_class.append(by_class[seen >= MIN_MOVES])
        # looked up once: the moves of each position and class of persons (``_moves``), of each
        # class in a quarter (``next_positions``) and the ages each position allows (``allows``)
        self._by_class: list[dict[tuple, pd.Series]] | None = None
        self._learned: dict[tuple, pd.Series | None] = {}
        self._allowed: dict[str, np.ndarray] = {}

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

    def persons(
        self,
        wanted: dict[str, int | pd.Series],
        seed: int,
        quarter: str | None = None,
        staying: pd.DataFrame | None = None,
    ) -> pd.DataFrame:
        """Draw persons of ``quarter`` (the first by default) per stratum: a number, or persons
        per cell (``CELL``) to replace persons rejected in those cells. Each keeps its
        ``cell``. ``staying``: the persons already placed (see ``Places.draw``)."""
        quarter = quarter or self.places.quarters[0]
        parts = []
        for i, (name, n) in enumerate(sorted(wanted.items())):
            total = int(n.sum()) if isinstance(n, pd.Series) else n
            if total <= 0:
                continue
            stratum = self.strata[name]
            rows = self.sample(name, total * OVERSAMPLE, seed * 1000 + i)
            if "position_code" not in stratum.columns:
                rows["position_code"] = name
            rows["stratum"] = name
            counts = n if isinstance(n, pd.Series) else None
            rng = np.random.default_rng(seed * 1000 + i)
            parts.append(self.match(rows, total, rng, counts, quarter))
        out = pd.concat(parts, ignore_index=True)
        out["nis_code"] = self.places.draw(
            quarter,
            out["position_code"],
            out["region_code"],
            np.random.default_rng(seed),
            staying,
        )
        out = from_model(out.drop(columns=["arrondissement_code", "region_code"]), self.limits)
        for column in TEXT_COLUMNS:
            out[column] = out[column].astype("string[pyarrow]")
        return out

    def match(
        self,
        candidates: pd.DataFrame,
        n: int,
        rng: np.random.Generator,
        counts: pd.Series | None = None,
        quarter: str | None = None,
    ) -> pd.DataFrame:
        """``n`` of an engine's ``candidates`` (one stratum), as many in each region x sex x age
        class x position as a draw from the published global figures of the quarter puts
        there (withheld figures weigh 0, as do positions no municipality figure shows). A
        copula learns each column's distribution but only a linear dependence between them, so
        the joint distribution of these four, which every figure is about, comes from the
        figures. A cell short of candidates takes some again;
        a cell without any takes candidates of the same position, sex and age class from
        another region (the municipality is then drawn in the cell's region). ``counts``: the
        persons wanted per cell instead of a draw (to replace rejected persons in their cells,
        which a new draw would leave short)."""
        rows = candidates.reset_index(drop=True)
        rows["region_code"] = (
            self.places.arrondissements["region_code"].reindex(rows["arrondissement_code"]).values
        )
        rows["age_class"] = self.age_class(rows["age"].astype(float)).to_numpy()
        quarter = quarter or self.places.quarters[0]
        figures = self.figures(quarter)
        positions = figures.index.get_level_values("position_code")
        weights = figures[  # positions no municipality figure shows would have nowhere to live
            positions.isin(rows["position_code"].unique())
            & positions.isin(self.places.positions(quarter).index)
        ]
        if counts is None and weights.sum() <= 0:
            out = rows.iloc[rng.permutation(len(rows))[:n]]
            return out.assign(cell=list(zip(*(out[c] for c in CELL), strict=True)))
        if counts is None:
            counts = pd.Series(rng.multinomial(n, weights / weights.sum()), weights.index)
        by_cell = rows.groupby(list(CELL)).indices
        by_class = rows.groupby(list(CELL[1:])).indices
        picked, regions = [], []
        for cell, k in counts.items():
            if k == 0:
                continue
            pool = by_cell.get(cell, by_class.get(cell[1:], np.arange(len(rows))))
            picked.append(rng.choice(pool, k, replace=k > len(pool)))
            regions.append(np.full(k, cell[0], dtype=object))
        out = rows.iloc[np.concatenate(picked)].reset_index(drop=True)
        out["region_code"] = np.concatenate(regions)
        out["cell"] = [cell for cell, k in counts.items() for _ in range(k)]
        return out.drop(columns="age_class")

    def sample(self, name: str, n: int, seed: int) -> pd.DataFrame:
        """``n`` rows of stratum ``name``'s engine. A draw costs about 0.1 s however few rows
        it gives (SDV's reverse transforms), and the later quarters ask an engine for a few
        rows at a time (entrants, new jobs): an engine draws at least POOL rows (seeded with
        ``seed``), and the rows not asked for serve the next calls, each row once."""
        pool = self._pools.get(name)
        if pool is None or len(pool) < n:
            drawn = self.strata[name].engine.sample(max(n, POOL), seed)
            pool = drawn if pool is None else pd.concat([pool, drawn], ignore_index=True)
        self._pools[name] = pool.iloc[n:]
        return pool.iloc[:n].reset_index(drop=True)

    def figures(self, quarter: str) -> pd.Series:
        """The published global figures of ``quarter`` that show persons, by ``CELL``."""
        return self.cells[self.cells.index.get_level_values("quarter") == quarter].droplevel(0)

    def stratum_of(self, position: str) -> str:
        return next((k for k, s in self.strata.items() if position in s.positions.index), None)

    def details(self, position: str, n: int, seed: int) -> pd.DataFrame:
        """Job details for persons who take a job with ``position`` after the first quarter."""
        name = self.stratum_of(position)
        rows = self.sample(name, n, seed)
        return from_model(rows, self.limits)[list(DETAIL_COLUMNS)]

    def next_positions(self, current: pd.DataFrame, quarter: str, rng: np.random.Generator):
        """Each person's position in ``quarter``, given the current one and the person's class
        (``CLASSES``: region, sex and age class in that quarter, quarters in the position so
        far; see ``_moves``). A position the person's age forbids (``rules.age_rules``: family
        allowances at 25, a pension below 55; the moves of a coarse class mix ages) is drawn
        again among the moves it allows, else among the positions shown."""
        shown = self.places.positions(quarter)
        out = current["position_code"].to_numpy().copy()
        ages = current["age"].to_numpy(float)
        keys = current.groupby(["position_code", *CLASSES[0]], observed=True).indices
        for key, index in keys.items():
            if (quarter, key) not in self._learned:
                person = dict(zip(CLASSES[0], key[1:], strict=True))
                self._learned[quarter, key] = self._moves(key[0], person, shown)
            probs = self._learned[quarter, key]
            if probs is None:  # the person stays
                probs = pd.Series([1.0], [key[0]])
            else:
                out[index] = rng.choice(probs.index.to_numpy(), len(index), p=probs / probs.sum())
            forbidden = index[~self.allows(out[index], ages[index])]
            for age, again in pd.Series(forbidden).groupby(ages[forbidden]):
                for options in (probs, shown):
                    allowed = options[self.allows(options.index, age)]
                    if allowed.sum() > 0:
                        out[again] = rng.choice(
                            allowed.index.to_numpy(), len(again), p=allowed / allowed.sum()
                        )
                        break
        return out

    def allows(self, positions, ages) -> np.ndarray:
        """Whether each position may be held at its age (or at one age for all). Whole ages
        are looked up in each position's table of ``rules.age_rules`` (see ``_ages_allowed``)."""
        position = np.asarray(positions, dtype=object)
        age = np.broadcast_to(np.asarray(ages, float), len(position))
        if not ((age >= 0) & (age < AGES) & (age == np.floor(age))).all():
            return self._check_ages(position, age)
        codes, uniques = pd.factorize(position, use_na_sentinel=False)
        tables = np.stack([self._ages_allowed(p) for p in uniques] or [np.ones(AGES, bool)])
        return tables[codes, age.astype(int)]

    def _ages_allowed(self, position) -> np.ndarray:
        """The ages 0 to AGES - 1 at which ``position`` may be held."""
        if position not in self._allowed:
            ages = np.arange(AGES, dtype=float)
            self._allowed[position] = self._check_ages(np.full(AGES, position, object), ages)
        return self._allowed[position]

    def _check_ages(self, position: np.ndarray, age: np.ndarray) -> np.ndarray:
        position, age = pd.Series(position, dtype=object), pd.Series(age)
        broken = rules.age_rules(position, age, position.map(self.main_groups))
        return ~np.logical_or.reduce([mask.to_numpy() for mask in broken.values()])

    def _moves(self, pos: str, person: dict, shown: pd.Series) -> pd.Series | None:
        """The next positions and their weights among those ``shown`` by the quarter's published
        municipality figures: the learned moves of the finest class of ``person``, else of the
        position over all classes; without any shown, None (the person stays) if the position
        is shown, else the shown positions in proportion to their published persons."""
        if self._by_class is None:
            self._by_class = [
                {
                    key: moves.droplevel(list(range(len(key))))
                    for key, moves in learned.groupby(level=list(range(learned.index.nlevels - 1)))
                }
                for learned in self.moves_by_class
            ]
        for columns, learned in zip(CLASSES, self._by_class, strict=True):
            probs = learned.get((pos, *(person[c] for c in columns)))
            if probs is None:
                continue
            if probs[probs.index.isin(shown.index)].sum() > 0:
                return probs[probs.index.isin(shown.index)]
        probs = self.moves_by_position.get(pos)
        if probs is not None and probs[probs.index.isin(shown.index)].sum() > 0:
            return probs[probs.index.isin(shown.index)]
        return None if pos in shown.index or shown.empty else shown
