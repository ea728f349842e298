"""The joint attack on the published figures: every additive relation of every table at once.

The attacker reads the public file only and knows the method and its parameters (threshold T,
maximum noise D). The unknowns of a quarter are its *potential master cells*: every
municipality valid on the day x position x sex x age class x nationality group, whether anyone
is in it or not. Every published cell of ``local_figures`` and ``global_figures`` (every
geographic level, the position, its main groups and total, every breakdown and its total) is a
set of master cells, so the two tables give one system of additive relations, solved at once
by bound propagation (each relation tightens the bounds of all its members, until nothing
moves), as a statistician's solver would.

Two attacker models:
- ``masters``: the method of this warehouse. Each master cell has a published value ``a`` (0,
  or at least T + 1) and every published figure is the sum of its masters' values (0 when
  withheld). The solver bounds each ``a``, then the true count ``n`` from what the method can
  turn into it: 0 from 0..T, T + 1 from 1..T + 1 + D, a larger ``v`` from v - D..v + D.
  Several draws of the noise (a second publication under other record keys) intersect.
- ``cells``: the method of consecutive cell-key noise per published cell (the first design):
  a published ``p`` hides a true count in [max(T + 1, p - D), p + D], a withheld one 0..T,
  and the relations hold between the true counts.

The mobility, cohort and household figures and their links with the stock tables are in
``attack_mobility.py``, ``attack_cohorts.py`` and ``attack_households.py``, on these
functions; ``attack_all.py`` attacks every table at once.

Lower bounds from elsewhere (the counts of an anonymous sample, which holds only real persons)
join the relations on the true counts. A count is *pinned* when its bounds leave one value
from 1 to T.
"""

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import scipy.sparse as sp

BIG = 1e9
GEO = {
    "country": None,
    "region": "region_code",
    "province": "province_code",
    "arrondissement": "arrondissement_code",
    "municipality": "nis_code",
}
TABLES = ("local_figures", "global_figures")
DIMS = ("sex", "age_class", "nationality_group")


@dataclass
class Quarter:
    """What the public file says of one quarter: its potential master cells, its published
    cells and which masters each cell holds (``holds``: cells x masters, 0/1)."""

    masters: pd.DataFrame
    cells: pd.DataFrame
    holds: sp.csr_matrix

    @property
    def withheld(self) -> np.ndarray:
        return self.cells["persons"].isna().to_numpy()


def quarters(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute("select distinct quarter from local_figures order by 1").fetchall()
    ]


def read(
    con: duckdb.DuckDBPyConnection,
    quarter: str,
    region: str | None = None,
    sums: bool = True,
    regions_only: bool = False,
) -> Quarter:
    """The attacker's view of ``quarter`` (of one region's cells only, if given; with
    ``regions_only``, of the cells of the country and the regions, whose finest cells are then
    the region x position x sex x age class x nationality group).

    With ``sums`` (the ``masters`` model), a master in a withheld cell has the value 0 for
    certain, so only the others (those whose finest local and global cells are both published)
    are unknowns, and only the cells that hold them are kept: the withheld cells say nothing
    more."""
    day = con.execute(
        "select max(ref_date) from local_figures where quarter = ?", [quarter]
    ).fetchone()[0]
    municipalities = con.execute(
        "select nis_code, arrondissement_code, province_code, region_code from dim_municipality "
        "where (valid_from is null or valid_from <= ?) and (valid_to is null or ? < valid_to)"
        + (" and region_code = ?" if region else ""),
        [day, day, *([region] if region else [])],
    ).df()
    if regions_only:
        municipalities = municipalities[["region_code"]].drop_duplicates()
        for column in ("nis_code", "arrondissement_code", "province_code"):
            municipalities[column] = None
    masters = municipalities.merge(
        con.execute(
            "select position_code, 'G' || cast(main_group_code as varchar) as main_group "
            "from dim_socio_economic_position"
        ).df(),
        how="cross",
    )
    for dim, table in zip(DIMS, ("dim_sex", "dim_age_class", "dim_nationality_group"), strict=True):
        masters = masters.merge(con.execute(f"select {dim} from {table}").df(), how="cross")
    parts = []
    for table in TABLES:
        cells = con.execute(
            f"select * from {table} where quarter = ?"
            + (" and geo_level <> 'country'" if region else "")
            + (" and geo_level in ('country', 'region')" if regions_only else ""),
            [quarter],
        ).df()
        if "nationality_group" not in cells:
            cells["nationality_group"] = "_T"
        cells["table"] = table
        parts.append(cells)
    cells = pd.concat(parts, ignore_index=True)
    if sums:
        masters = _unknown(masters, cells)
    # a figure not available (a delivery missing) says nothing, not even that it is small
    cells = cells[cells["status"] != "not_available"]
    masters = masters.reset_index(drop=True)
    masters["master"] = np.arange(len(masters))
    cells = cells.merge(_members(masters), on=["geo_level", "geo_code", "position", *DIMS])
    cells = cells.drop_duplicates(["table", "geo_level", "geo_code", "position", *DIMS])
    pairs = _pairs(masters, cells)
    cells = cells.reset_index(drop=True)
    holds = sp.csr_matrix(
        (np.ones(len(pairs)), (pairs["cell"], pairs["master"])), shape=(len(cells), len(masters))
    )
    return Quarter(masters, cells, holds)


def _unknown(masters: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    """The masters whose finest cells in both tables are published or not available (a
    withheld finest cell says its masters are 0; one not available says nothing)."""
    published = cells[cells["persons"].notna() | (cells["status"] == "not_available")]
    local = published[(published["table"] == "local_figures")]
    local = local[(local["geo_level"] == "municipality")].rename(
        columns={"geo_code": "nis_code", "position": "position_code"}
    )[["nis_code", "position_code", "sex", "age_class"]]
    world = published[(published["table"] == "global_figures")]
    world = world[(world["geo_level"] == "region")].rename(
        columns={"geo_code": "region_code", "position": "position_code"}
    )[["region_code", "position_code", *DIMS]]
    return masters.merge(local).merge(world)


def _members(masters: pd.DataFrame) -> pd.DataFrame:
    """The keys of the cells that hold at least one master (those the attacker can place)."""
    return _keys(masters).drop(columns="master").drop_duplicates()


def _keys(masters: pd.DataFrame) -> pd.DataFrame:
    """(master, cell key) for every published cell a master belongs to."""
    out = []
    for level, column in GEO.items():
        geo = "01000" if column is None else masters[column]
        for position in ("position_code", "main_group", "_T"):
            pos = "_T" if position == "_T" else masters[position]
            base = pd.DataFrame(
                {"master": masters["master"], "geo_level": level, "geo_code": geo, "position": pos}
            )
            for mask in range(2 ** len(DIMS)):
                frame = base.copy()
                for bit, dim in enumerate(DIMS):
                    frame[dim] = masters[dim] if mask >> bit & 1 else "_T"
                out.append(frame)
    keys = pd.concat(out, ignore_index=True)
    return keys[keys["geo_code"].notna()]


def _pairs(masters: pd.DataFrame, cells: pd.DataFrame) -> pd.DataFrame:
    return pairs(_keys(masters), cells, ["geo_level", "geo_code", "position", *DIMS])


def pairs(keys: pd.DataFrame, cells: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """(cell, master) for every row of ``keys`` (master, cell key) and every row of ``cells``
    with the same ``on`` (``cell``: its position in ``cells``): an inner join, each column
    coded once over both frames (millions of keys: a merge on the text columns is slower)."""
    k, c = np.zeros(len(keys), np.int64), np.zeros(len(cells), np.int64)
    for column in on:
        codes, uniques = pd.factorize(pd.concat([keys[column], cells[column]], ignore_index=True))
        k = k * (len(uniques) + 1) + codes[: len(keys)] + 1
        c = c * (len(uniques) + 1) + codes[len(keys) :] + 1
    order = np.argsort(c, kind="stable")
    first = np.searchsorted(c[order], k, "left")
    count = np.searchsorted(c[order], k, "right") - first
    step = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    cell = order[np.repeat(first, count) + step]
    return pd.DataFrame({"cell": cell, "master": np.repeat(keys["master"].to_numpy(), count)})


def propagate(holds, c_lo, c_hi, x_lo, x_hi, gap: float | None = None):
    """Bound propagation over ``c_lo <= holds @ x <= c_hi`` until nothing moves; with ``gap``,
    every x is 0 or at least ``gap``. Returns the bounds of x."""
    coo = holds.tocoo()
    rows, cols = coo.row, coo.col
    x_lo, x_hi = x_lo.astype(float).copy(), x_hi.astype(float).copy()
    for _ in range(1000):
        s_lo, s_hi = holds @ x_lo, holds @ x_hi
        hi = x_hi.copy()
        np.minimum.at(hi, cols, c_hi[rows] - (s_lo[rows] - x_lo[cols]))
        lo = x_lo.copy()
        np.maximum.at(lo, cols, c_lo[rows] - (s_hi[rows] - x_hi[cols]))
        lo, hi = np.maximum(lo, x_lo), np.minimum(hi, x_hi)
        if gap is not None:
            hi[hi < gap] = 0
            lo[(lo > 0) & (lo < gap)] = gap
        assert (lo <= hi).all(), "the published figures contradict the attacker's model"
        if (lo == x_lo).all() and (hi == x_hi).all():
            break
        x_lo, x_hi = lo, hi
    return x_lo, x_hi


def method(n, key_sum, threshold: int, noise: int, modulus: int = 256):
    """The published value of a master cell, as the README states the method (what the
    attacker is told, and what a second draw under other record keys would give)."""
    u = np.mod(key_sum, modulus)
    small = np.where(u * (threshold + 1) < n * modulus, threshold + 1, 0)
    large = np.maximum(threshold + 1, n + np.mod(u, 2 * noise + 1) - noise)
    return np.where(n == 0, 0, np.where(n <= threshold, small, large))


def per_cell(n, key_sum, threshold: int, noise: int, modulus: int = 256):
    """The first design: every published cell perturbed on its own, withheld up to T."""
    u = np.mod(np.mod(key_sum, modulus), 2 * noise + 1)
    return np.where(n <= threshold, np.nan, np.maximum(threshold + 1, n + u - noise))


def counts_from_values(a_lo, a_hi, threshold: int, noise: int):
    """Bounds of the true counts of master cells whose published values lie in [a_lo, a_hi]."""
    above = threshold + 1
    n_lo = np.where(a_lo == 0, 0, np.where(a_lo <= above, 1, np.maximum(above, a_lo - noise)))
    n_hi = np.where(a_hi == 0, threshold, a_hi + noise)
    return n_lo.astype(float), n_hi.astype(float)


def master_bounds(draws: list[Quarter], threshold: int, noise: int):
    """Bounds of every master's true count under the ``masters`` model, from one or more
    publications of the same persons (each a draw of the noise)."""
    n = len(draws[0].masters)
    n_lo, n_hi = np.zeros(n), np.full(n, BIG)
    for q in draws:
        value = q.cells["persons"].fillna(0).to_numpy(float)
        a_lo, a_hi = propagate(q.holds, value, value, np.zeros(n), np.full(n, BIG), threshold + 1)
        lo, hi = counts_from_values(a_lo, a_hi, threshold, noise)
        n_lo, n_hi = np.maximum(n_lo, lo), np.minimum(n_hi, hi)
    return n_lo, n_hi


def cell_bounds(q: Quarter, threshold: int, noise: int):
    """Bounds of every master's true count under the ``cells`` model."""
    value = q.cells["persons"].to_numpy(float)
    withheld = np.isnan(value)
    c_lo = np.where(withheld, 0, np.maximum(threshold + 1, value - noise))
    c_hi = np.where(withheld, threshold, value + noise)
    n = len(q.masters)
    return propagate(q.holds, c_lo, c_hi, np.zeros(n), np.full(n, BIG))


def differences(q: Quarter) -> sp.csr_matrix:
    """The ``cells`` model's noise consistency: the same persons always get the same noise, so
    a published cell and a published parent (one step coarser on the position or on one
    breakdown, same table and geography) with different values prove that the parent holds
    someone outside the cell. Returns one row of masters (parent minus cell) per such pair,
    each holding at least one person."""
    cells = q.cells.reset_index(drop=True).reset_index(names="cell")
    groups = q.masters.drop_duplicates("position_code").set_index("position_code")["main_group"]
    key = ["table", "geo_level", "geo_code", "position", *DIMS]
    pairs = []
    for dim in ("position", *DIMS):
        child = cells[cells[dim] != "_T"].copy()
        child[dim] = child[dim].map(groups).fillna("_T") if dim == "position" else "_T"
        pairs.append(
            child[["cell", "persons", *key]].merge(
                cells[[*key, "cell", "persons"]], on=key, suffixes=("", "_p")
            )
        )
    both = pd.concat(pairs, ignore_index=True)
    both = both[both["persons"].notna() & both["persons_p"].notna()]
    both = both[both["persons"] != both["persons_p"]]
    return q.holds[both["cell_p"].to_numpy()] - q.holds[both["cell"].to_numpy()]


def with_lower_bounds(n_lo, n_hi, holds, lower):
    """Tighten the masters' bounds with ``holds @ n >= lower`` (e.g. an anonymous sample's
    counts), together with nothing else the attacker does not know."""
    return propagate(holds, lower.astype(float), np.full(len(lower), BIG), n_lo, n_hi)


@dataclass
class Pins:
    masters: int  # master cells pinned to a count from 1 to T
    withheld: int  # withheld published cells pinned to a count from 1 to T
    correct: int  # of those, pinned to their true count (an attacker's bounds can be wrong
    # only if the method is not what the attacker was told)


def pins(q: Quarter, n_lo, n_hi, threshold: int, truth: np.ndarray | None = None) -> Pins:
    """Masters and withheld cells whose bounds leave one value from 1 to ``threshold``."""
    small = (n_lo == n_hi) & (n_lo >= 1) & (n_lo <= threshold)
    c_lo, c_hi = q.holds @ n_lo, q.holds @ n_hi
    cells = q.withheld & (c_lo == c_hi) & (c_lo >= 1) & (c_lo <= threshold)
    correct = 0
    if truth is not None:
        correct = int((small & (n_lo == truth)).sum())
        correct += int((cells & (c_lo == q.holds @ truth)).sum())
    return Pins(int(small.sum()), int(cells.sum()), correct)


def truth(q: Quarter, warehouse: duckdb.DuckDBPyConnection, quarter: str) -> pd.DataFrame:
    """The true counts, record-key sums and published values of the quarter's masters (for
    the tests: never the attacker's)."""
    real = warehouse.execute(
        "select nis_code, position_code, sex, age_class, nationality_group, persons, key_sum, "
        "published_persons from int_figure_cells c where strftime(ref_date, '%Y') || 'Q' || "
        "cast(quarter(ref_date) as varchar) = ?",
        [quarter],
    ).df()
    out = q.masters.merge(real, how="left", on=["nis_code", "position_code", *DIMS])
    return out.fillna({"persons": 0, "key_sum": 0, "published_persons": 0}).sort_values("master")


def two_draws(public, warehouse, quarter: str, region: str, threshold: int, noise: int):
    """One region's figures under two draws of the noise: the record keys of the warehouse and
    other ones (as if the keys had been rotated), from the same persons (for the tests: the
    attacker never has the second). Returns both attacker's views and the masters' counts."""
    first = read(public, quarter, region=region, sums=False)
    rows = warehouse.execute(
        "select p.nis_code, p.position_code, p.sex, p.age_class, p.nationality_group, "
        "count(*) as persons, sum(p.record_key) as key_sum, "
        "sum(hash(p.pseudonym || 'another draw') % 256) as other_key_sum "
        "from int_person_quarter p join ref_municipalities m using (nis_code) "
        "where m.region_code = ? and strftime(p.ref_date, '%Y') || 'Q' || "
        "cast(quarter(p.ref_date) as varchar) = ? group by all",
        [region, quarter],
    ).df()
    keys = ["nis_code", "position_code", *DIMS]
    rows = first.masters.merge(rows, how="left", on=keys)
    rows = rows.fillna({"persons": 0, "key_sum": 0, "other_key_sum": 0}).sort_values("master")
    n = rows["persons"].to_numpy()
    second = Quarter(first.masters, first.cells.copy(), first.holds)
    for q, key in ((first, "key_sum"), (second, "other_key_sum")):
        q.cells["persons"] = q.holds @ method(n, rows[key].to_numpy(), threshold, noise)
    return first, second, n
