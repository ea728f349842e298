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
from synthesis.model import CELL, Model
from synthesis.places import balanced
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


RENEWAL = 0.01  # persons who leave (and enter) in a quarter, at most: about the real turnover
MOVING = 0.04  # persons who move house in a quarter to follow the figures, at most
RAKING = 0.02  # persons whose new position is redirected to follow the figures, at most
MOVER_WEIGHT = 4  # how much likelier a person who changed position is to be redirected


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
    (None: nowhere). Each later quarter some persons leave and as many enter (``_renew``)."""
    current = persons.copy()
    current["birthday"] = rng.integers(0, 4, len(current))  # the quarter a person ages in
    current["since"] = 0  # the quarter a person entered, and their age then
    current["age_then"] = current["age"]
    current["age_class"] = codes.age_class(current["age"])
    current["duration"] = 1  # quarters in the position since the period began
    places = model.places
    out = []
    for t, quarter in enumerate(quarters):
        day = ref_date(quarter)
        if t > 0:
            current = current.copy()
            aged = current["age_then"] + (t - current["since"] + current["birthday"]) // 4
            current["age"] = np.minimum(aged, model.age_cap)
            current["age_class"] = codes.age_class(current["age"])
            current["region_code"] = places.areas["region_code"].reindex(current["nis_code"]).values
            before = current["position_code"].to_numpy()
            current["position_code"] = model.next_positions(current, quarter, rng)
            nis = codes.on_date(current["nis_code"], day)
            current["position_code"] = _rake(current, before, quarter, nis, model, rng)
            stayed = before == current["position_code"].to_numpy()
            current["duration"] = np.where(
                stayed, np.minimum(current["duration"] + 1, real.DURATIONS), 1
            )
            _follow_jobs(current, before, model, rng, seed * 100 + t)
            away = ~places.is_shown(quarter, nis, current["position_code"])
            away |= places.crowded(
                quarter, nis, current["position_code"], int(MOVING * len(current)), rng
            )
            nis[away] = places.draw(
                quarter,
                current.loc[away, "position_code"],
                pd.Series(places.area(nis[away])),
                rng,
                staying=current.loc[~away, ["position_code"]].assign(nis_code=nis[~away]),
            )
            current["nis_code"] = nis
            current = _renew(current, quarter, t, model, codes, rng)
        out.append(current.assign(quarter=quarter, ref_date=day))
    rows = pd.concat(out, ignore_index=True)
    helpers = ["birthday", "since", "age_then", "duration", "region_code"]
    return rows.drop(columns=helpers, errors="ignore")


def _rake(
    current: pd.DataFrame,
    before: np.ndarray,
    quarter: str,
    nis: pd.Series,
    model: Model,
    rng: np.random.Generator,
) -> np.ndarray:
    """The positions after the quarter's moves, some redirected toward the quarter's published
    figures; ``nis``: the persons' municipalities as the quarter codes them. Within each
    region x sex x age class, persons of positions held by more than the global figures show
    (scaled to the synthetic total) take one held by fewer: at most RAKING of the persons in
    all, shared out among the classes as their room allows, then among the positions of a
    class as their surplus and their deficit do (whole persons, ``balanced``), so that the
    global figures are approached whatever the local ones say. The local figures choose who
    and where: within a position, persons whose municipality holds more of it than its
    figure shows are likelier chosen (and MOVER_WEIGHT times likelier if they changed position
    this quarter: a changed destination rather than a new move), and each position goes to
    the chosen whose municipality lacks it most, never to one whose age forbids it. Without
    it the learned moves, averaged over the period, carry the positions away from the figures
    quarter after quarter (two years of a 20,000-person warehouse were refused)."""
    positions = current["position_code"].to_numpy().copy()
    figures = model.figures(quarter)
    if figures.empty:
        return positions
    keys = pd.MultiIndex.from_arrays(
        [current["region_code"], current["sex"], current["age_class"], positions], names=CELL
    )
    held = pd.Series(1, keys).groupby(level=list(CELL)).sum()
    target = figures * len(current) / figures.sum()
    held, target = held.align(target, fill_value=0)
    drawable = _drawable(held.index.get_level_values("position_code"), quarter, model)
    surplus = (held - target).clip(lower=0)
    deficit = (target - held).clip(lower=0).where(drawable, 0)
    group = list(CELL[:3])
    room = np.minimum(surplus.groupby(level=group).sum(), deficit.groupby(level=group).sum())
    total = int(min(room.sum(), RAKING * len(current)))  # never more than RAKING
    shares = balanced(np.arange(len(room)), total, room.to_numpy(), rng) if total else []
    moving = pd.Series(np.bincount(shares, minlength=len(room)), room.index)
    nis = nis.to_numpy()
    local = model.places.shortfall(quarter, nis, positions)  # > 0: short, < 0: too many
    mine = local.reindex(pd.MultiIndex.from_arrays([nis, positions])).fillna(0).to_numpy()
    weight = np.where(before != positions, MOVER_WEIGHT, 1.0) * (1 + np.clip(-mine, 0, None))
    ages = current["age"].to_numpy(float)
    cells = pd.MultiIndex.from_arrays([keys.get_level_values(c) for c in group])
    for cell, index in pd.Series(np.arange(len(keys))).groupby(cells).groups.items():
        k = int(moving.get(cell, 0))
        if k == 0:
            continue
        index = np.asarray(index)
        chosen = []  # from each position held by too many, as many as its surplus's share
        for position, n in _shares(surplus.xs(cell, level=group), k, rng).items():
            pool = index[positions[index] == position]
            w = weight[pool]
            chosen.append(rng.choice(pool, min(n, len(pool)), replace=False, p=w / w.sum()))
        chosen = np.concatenate(chosen)
        free = np.ones(len(chosen), bool)
        # to each position held by too few, as many as its deficit's share: those whose
        # municipality lacks it most (where its figure does not show it, last), of an age
        # that allows it
        for position, n in _shares(deficit.xs(cell, level=group), len(chosen), rng).items():
            able = np.flatnonzero(free & model.allows(np.full(len(chosen), position), ages[chosen]))
            there = local.reindex(
                pd.MultiIndex.from_arrays([nis[chosen[able]], [position] * len(able)])
            )
            score = there.fillna(-np.inf).to_numpy() + rng.random(len(able))  # ties at random
            taken = able[np.argsort(-score, kind="stable")[:n]]
            positions[chosen[taken]] = position
            free[taken] = False
    return positions


def _drawable(positions: pd.Index, quarter: str, model: Model) -> np.ndarray:
    """Which of ``positions`` a person can be given in ``quarter``: those the model learned
    and some published municipality figure of the quarter shows (elsewhere the person would
    have nowhere to live)."""
    shown = model.places.positions(quarter).index
    return positions.isin(shown) & positions.map(model.stratum_of).notna()


def _shares(weights: pd.Series, n: int, rng: np.random.Generator) -> pd.Series:
    """``n`` shared out among the labels of ``weights`` in proportion, as whole numbers
    (``balanced``); labels of weight 0 get none."""
    weights = weights[weights > 0]
    if n == 0 or weights.empty:
        return pd.Series(dtype=int)
    drawn = balanced(np.arange(len(weights)), n, weights.to_numpy(), rng)
    counts = pd.Series(np.bincount(drawn, minlength=len(weights)), weights.index)
    return counts[counts > 0].sample(frac=1, random_state=rng)


def _renew(
    current: pd.DataFrame,
    quarter: str,
    t: int,
    model: Model,
    codes: Codes,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """Deaths, emigration, births and immigration, from the published figures only: persons
    leave where the synthetic population exceeds the quarter's published global figures
    (region x sex x age class x position, scaled to the synthetic total) and as many enter,
    drawn by the model, where it falls short; at most RENEWAL of the persons a quarter. Without
    it the synthetic persons would only age and move between positions, and the figures of
    later quarters drift away from the published ones (no births, no deaths)."""
    figures = model.figures(quarter)
    if figures.empty:
        return current
    region = model.places.areas["region_code"].reindex(current["nis_code"]).to_numpy()
    keys = pd.MultiIndex.from_arrays(
        [region, current["sex"], current["age_class"], current["position_code"]], names=CELL
    )
    held = pd.Series(1, keys).groupby(level=list(CELL)).sum()
    target = figures * len(current) / figures.sum()
    surplus = (held - target.reindex(held.index).fillna(0)).clip(lower=0)
    leaving = min(int(RENEWAL * len(current)), int(surplus.sum()))
    if leaving == 0:
        return current
    weight = (surplus / held).reindex(keys).fillna(0).to_numpy()
    gone = rng.choice(len(current), leaving, replace=False, p=weight / weight.sum())
    stay = np.ones(len(current), bool)
    stay[gone] = False
    left = held.sub(pd.Series(1, keys[gone]).groupby(level=list(CELL)).sum(), fill_value=0)
    deficit = (target - left.reindex(target.index).fillna(0)).clip(lower=0)
    deficit = deficit[_drawable(deficit.index.get_level_values("position_code"), quarter, model)]
    if deficit.sum() <= 0:  # no one the model can draw would fill the cells short
        return current
    counts = pd.Series(rng.multinomial(leaving, deficit / deficit.sum()), deficit.index)
    by_stratum: dict[str, dict] = {}
    for cell, k in counts[counts > 0].items():
        by_stratum.setdefault(model.stratum_of(cell[3]), {})[cell] = k
    wanted = {name: pd.Series(list(c.values()), list(c)) for name, c in by_stratum.items()}
    staying = current.loc[stay, ["nis_code", "position_code"]]
    new = model.persons(wanted, int(rng.integers(2**20)), quarter, staying)
    new["person"] = current["person"].max() + 1 + np.arange(len(new))
    new["birthday"] = rng.integers(0, 4, len(new))
    new["since"] = t
    new["age_then"] = new["age"]
    new["age_class"] = codes.age_class(new["age"])
    new["duration"] = 1
    return pd.concat([current[stay], new], ignore_index=True)


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
        placed = None  # the first-quarter persons kept: redrawn ones go where they fall short
        for round_ in range(MAX_ROUNDS):
            step = seed + chunk * 100_003 + round_ * 7_919
            persons = model.persons(wanted, step, staying=placed)
            persons["person"] = np.arange(drawn, drawn + len(persons))
            drawn += len(persons)
            table = derive(trajectories(persons, quarters, model, codes, rng, step), codes)
            drawn = max(drawn, int(table["person"].max()) + 1)  # persons who entered later
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
            first = table[~out & (table["quarter"] == quarters[0])]
            placed = pd.concat([placed, first[["nis_code", "position_code"]]])
            lost = persons.loc[persons["person"].isin(table.loc[out, "person"])]
            on_round(len(persons) - len(lost))
            if lost.empty:
                break
            if round_ < MAX_ROUNDS // 2:  # in their cells
                wanted = {
                    name: rows["cell"].value_counts() for name, rows in lost.groupby("stratum")
                }
            else:  # new persons of any stratum, anywhere: see ``fresh``
                wanted, placed = fresh(total, len(lost), rng), None
    return pa.concat_tables(kept, promote_options="permissive"), rejected, broken


def fresh(total: dict[str, int], n: int, rng: np.random.Generator) -> dict[str, int]:
    """``n`` persons to draw anew, shared out among the strata as ``total`` (the whole draw)
    is. Some persons keep failing in their cells: in a small population nearly every real
    person is unique, and a child drawn again in a municipality where few children live meets
    one of them in some quarter time after time; and the municipality a redrawn person is
    given is where the persons rejected before them lived (where the figures then show more
    than live there). A new person of any stratum, placed from the figures alone, fails only
    as often as any person does."""
    names = np.array(sorted(total))
    drawn = balanced(names, n, [total[name] for name in names], rng)
    return {name: int((drawn == name).sum()) for name in names}


def _compact(table: pd.DataFrame) -> pa.Table:
    """The released columns (and the person number) as compact Arrow: text dictionary-encoded,
    whole numbers as 32 bits; the same types for every chunk."""
    arrays = {}
    for name in table.columns.drop(["stratum", "cell", "pseudonym"], errors="ignore"):
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
