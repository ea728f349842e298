"""Drawing the synthetic table: persons of the first quarter, their later quarters, the derived
columns, then rejection of every person who breaks a domain rule or reproduces a real unique,
drawn again until the table is full."""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from synthesis import real, rules
from synthesis.model import Model
from synthesis.rules import DETAIL_COLUMNS, JOB_POSITIONS

MAX_ROUNDS = 25
CHUNK = 1_000_000


@dataclass
class Codes:
    """Code lists of the publication that derived columns come from."""

    municipalities: pd.DataFrame
    crosswalk: pd.DataFrame
    age_classes: pd.DataFrame
    main_groups: pd.Series

    @classmethod
    def read(cls, con) -> "Codes":
        return cls(
            real.municipalities(con),
            real.crosswalk(con),
            real.age_classes(con),
            real.main_groups(con),
        )

    def age_class(self, age: pd.Series) -> pd.Series:
        classes = self.age_classes.sort_values("min_age")
        bins = [*classes["min_age"], np.inf]
        return pd.cut(age, bins, right=False, labels=classes["age_class"]).astype(str)

    def on_date(self, nis: pd.Series, day: pd.Timestamp) -> pd.Series:
        """Municipality codes as they are on ``day`` (after the mergers in force then)."""
        merged = self.crosswalk[self.crosswalk["effective_date"] <= day]
        return nis.replace(dict(zip(merged["old_nis_code"], merged["new_nis_code"], strict=True)))


def ref_date(quarter: str) -> pd.Timestamp:
    return pd.Period(quarter, freq="Q").end_time.normalize()


def trajectories(
    persons: pd.DataFrame,
    quarters: tuple[str, ...],
    model: Model,
    codes: Codes,
    rng: np.random.Generator,
    seed: int,
) -> pd.DataFrame:
    """One row per person and quarter; ``persons`` are the first quarter, with a ``person``
    column. A person keeps their municipality (renumbered at the mergers) while the published
    figures of the quarter show their position there, and otherwise moves to where they do
    (None: nowhere)."""
    birthday = rng.integers(0, 4, len(persons))  # the quarter of the year a person ages in
    age0 = persons["age"].to_numpy()
    current = persons.copy()
    current["age_class"] = codes.age_class(current["age"])
    places = model.places
    out = []
    for t, quarter in enumerate(quarters):
        day = ref_date(quarter)
        if t > 0:
            current = current.copy()
            current["age"] = np.minimum(age0 + (t + birthday) // 4, model.age_cap)
            current["age_class"] = codes.age_class(current["age"])
            before = current["position_code"].to_numpy()
            current["position_code"] = model.next_positions(current, quarter, rng)
            _follow_jobs(current, before, model, rng, seed * 100 + t)
            nis = codes.on_date(current["nis_code"], day)
            away = ~places.is_shown(quarter, nis, current["position_code"])
            nis[away] = places.draw(
                quarter,
                current.loc[away, "position_code"],
                pd.Series(places.area(nis[away])),
                rng,
            )
            current["nis_code"] = nis
        out.append(current.assign(quarter=quarter, ref_date=day))
    return pd.concat(out, ignore_index=True)


def _follow_jobs(
    current: pd.DataFrame, before: np.ndarray, model: Model, rng: np.random.Generator, seed: int
):
    """Job details stay with a job, go with it, and come from the model with a new one; the
    registration as job seeker is redrawn when the position changes."""
    now = current["position_code"].to_numpy()
    had, has = np.isin(before, list(JOB_POSITIONS)), np.isin(now, list(JOB_POSITIONS))
    current.loc[~has, list(DETAIL_COLUMNS)] = None
    for i, position in enumerate(sorted(set(now[has & ~had]))):
        index = np.flatnonzero(has & ~had & (now == position))
        details = model.details(position, len(index), seed + i)
        current.iloc[index, [current.columns.get_loc(c) for c in DETAIL_COLUMNS]] = (
            details.to_numpy()
        )
    changed = before != now
    p = current["position_code"].map(model.registered).fillna(0).to_numpy()
    current.loc[changed, "is_registered_job_seeker"] = (rng.random(len(now)) < p)[changed]


def derive(rows: pd.DataFrame, codes: Codes) -> pd.DataFrame:
    """The columns that follow from others: year, geography, main group."""
    geo = codes.municipalities[["nis_code", "arrondissement_code", "province_code", "region_code"]]
    out = rows.merge(geo, on="nis_code", how="left")
    out["year"] = out["quarter"].str[:4].astype(int)
    out["main_group_code"] = out["position_code"].map(codes.main_groups)
    out["household_id"] = pd.array([pd.NA] * len(out), dtype="string")
    return out


def draw(
    model: Model,
    rows: int,
    quarters: tuple[str, ...],
    codes: Codes,
    con,
    seed: int,
    on_round: Callable[[int], None] = lambda _: None,
) -> tuple[pa.Table, Counter, Counter]:
    """``rows`` synthetic persons over ``quarters`` that keep every rule and reproduce no real
    unique, drawn again while some do not (after MAX_ROUNDS they stay, for the gate to refuse).
    Returns the table (Arrow: chunks joined without a copy), the persons rejected for each
    reason, and the rules the kept rows still break. Persons are drawn in chunks of CHUNK,
    which bounds the memory of the intermediate tables."""
    total = model.shares(rows)
    chunks = max(1, -(-rows // CHUNK))
    kept, rejected, broken = [], Counter(), Counter()
    rng = np.random.default_rng(seed)
    drawn = 0
    for chunk in range(chunks):
        wanted = {k: n * (chunk + 1) // chunks - n * chunk // chunks for k, n in total.items()}
        for round_ in range(MAX_ROUNDS):
            step = seed + chunk * 100_003 + round_ * 7_919
            persons = model.persons(wanted, step)
            persons["person"] = np.arange(drawn, drawn + len(persons))
            drawn += len(persons)
            table = derive(trajectories(persons, quarters, model, codes, rng, step), codes)
            unplaced = table["nis_code"].isna()  # no published figure shows the position
            rejected["position_not_in_the_published_figures"] += table.loc[
                unplaced, "person"
            ].nunique()
            bad = unplaced.copy()
            for reason, mask in rules.broken(table, codes.municipalities).items():
                rejected[reason] += table.loc[mask & ~unplaced, "person"].nunique()
                bad |= mask
            hits = real.matches_unique(con, table)
            rejected["reproduces_a_real_unique"] += table.loc[hits, "person"].nunique()
            bad |= hits
            out = table["person"].isin(table.loc[bad, "person"])
            if round_ == MAX_ROUNDS - 1:  # keep them: the gate names what is still broken
                out[:] = False
            broken.update(rules.count(table[~out], codes.municipalities))
            kept.append(_compact(table[~out]))
            lost = persons.loc[persons["person"].isin(table.loc[out, "person"]), "stratum"]
            wanted = lost.value_counts().to_dict()
            on_round(len(persons) - len(lost))
            if not wanted:
                break
    return pa.concat_tables(kept, promote_options="permissive"), rejected, broken


def _compact(table: pd.DataFrame) -> pa.Table:
    """The released columns (and the person number) as compact Arrow: text dictionary-encoded,
    whole numbers as 32 bits; the same types for every chunk."""
    arrays = {}
    for name in table.columns.drop(["stratum", "pseudonym"], errors="ignore"):
        column = table[name]
        kind = pd.api.types.infer_dtype(column, skipna=True)
        if kind in ("string", "empty") and name != "household_id":
            values = column.astype(object).where(column.notna(), None)
            arrays[name] = pa.array(values, type=pa.string()).dictionary_encode()
        elif kind == "boolean":
            arrays[name] = pa.array(column.astype(bool))
        elif kind == "integer" and name != "household_id":
            arrays[name] = pa.array(column, type=pa.int32(), from_pandas=True)
        else:
            arrays[name] = pa.array(column)
    return pa.table(arrays)


def pseudonym_sql(seed: int) -> str:
    """SQL giving each person a synthetic pseudonym, ``S`` + 11 digits: an affine bijection
    of the person number modulo 10^11, so the numbers follow no drawing order."""
    rng = np.random.default_rng(seed)
    factor = int(rng.integers(10**9, 10**10)) | 1
    factor += 2 if factor % 5 == 0 else 0  # odd and not a multiple of 5: coprime with 10^11
    shift = int(rng.integers(0, 10**11))
    return (
        f"'S' || lpad(cast((cast(person as hugeint) * {factor} + {shift}) % 100000000000 "
        "as varchar), 11, '0')"
    )
