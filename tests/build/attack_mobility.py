"""The mobility figures and the stock figures of the same two days as the attacker sees them,
their links, and the solver every joint attack uses (``attack_all.py`` joins them all).

``mobility_figures`` of year Y counts persons by their position on 31 December of Y - 1 and of
Y. Beside its own additive relations (geography, both positions' hierarchies, every breakdown
and its total, as ``attack.py`` solves them for the stock tables), it is another view of the
persons the stock tables count:

- (A) the column of a position q on 31 December of Y, summed over every from-position ('OUT'
  included), in a region x sex x age class x nationality group, holds the same persons as the
  stock master cells of that day, position and breakdowns in the region's municipalities;
- (B) the row of a position p on 31 December of Y - 1, summed over every to-position ('OUT'
  included), the regions, age classes and nationality groups, holds the persons of the stock
  master cells of Y - 1 with p and the same sex (not finer: age classes and nationality groups
  are the later day's, residence too, except for those who left).

The unknowns are the true counts of every potential master cell of the three systems (the
stock masters of both days, the mobility masters); each system's published cells bound its
masters' values, the values bound the counts, (A) and (B) bound the counts across systems, the
counts bound the values again, until nothing moves (``solve``, which ``attack_cohorts`` and
``attack_all`` use too). A count is pinned when its bounds leave one value from 1 to T (a
withheld cell is pinned only if one of its masters is: its masters are each at most T).

A system can also be attacked as if published without the cell key (``plain``: every
potential master an unknown, every cell its true count, withheld from 0 to T), to show that
the same solver has teeth.
"""

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

import attack

DIMS = list(attack.DIMS)
OUT = "OUT"


@dataclass
class System:
    """One table's (or two tables') attacker's view: every potential master (``masters``), the
    published relations on the values of those it cannot set to 0 (``holds`` over ``unknown``,
    equal to ``value``) and the bounds of every master's value and count. With ``plain`` (no
    cell key), the relations are on the counts themselves, from ``value`` to ``value_hi``."""

    masters: pd.DataFrame
    unknown: np.ndarray
    holds: sp.csr_matrix
    value: np.ndarray
    a_lo: np.ndarray
    a_hi: np.ndarray
    n_lo: np.ndarray
    n_hi: np.ndarray
    plain: bool = False
    value_hi: np.ndarray | None = None

    def suppress(self, truth: np.ndarray, threshold: int) -> None:
        """Publish the system without the cell key: every cell its true count (``truth``: the
        counts of ``masters``, all of them unknowns), withheld from 0 to ``threshold``."""
        assert self.unknown.all(), "without the cell key every potential master is unknown"
        true = self.holds @ truth
        withheld = true <= threshold
        self.value = np.where(withheld, 0, true).astype(float)
        self.value_hi = np.where(withheld, threshold, true).astype(float)
        self.plain = True


def _positions(con) -> pd.DataFrame:
    return con.execute(
        "select position_code, 'G' || cast(main_group_code as varchar) as main_group "
        "from dim_socio_economic_position"
    ).df()


def _breakdowns(con) -> pd.DataFrame:
    frame = pd.DataFrame({"k": [0]})
    for dim, table in zip(DIMS, ("dim_sex", "dim_age_class", "dim_nationality_group"), strict=True):
        frame = frame.merge(con.execute(f"select {dim} from {table}").df(), how="cross")
    return frame.drop(columns="k")


def stock(con, quarter: str, region: str | None = None, everyone: bool = False) -> System:
    """Every potential stock master of ``quarter`` (municipality x position x breakdowns, of
    one region if given) with what ``local_figures`` and ``global_figures`` say of its value
    (``attack.read``: a master in a withheld finest cell is 0, the others are solved for; with
    ``everyone``, every potential master is an unknown, for ``System.suppress``)."""
    q = attack.read(con, quarter, region=region, sums=not everyone)
    day = con.execute(
        "select max(ref_date) from local_figures where quarter = ?", [quarter]
    ).fetchone()[0]
    places = con.execute(
        "select nis_code, region_code from dim_municipality where (valid_from is null or "
        "valid_from <= ?) and (valid_to is null or ? < valid_to)"
        + (" and region_code = ?" if region else ""),
        [day, day, *([region] if region else [])],
    ).df()
    full = places.merge(_positions(con), how="cross").merge(_breakdowns(con), how="cross")
    keys = ["nis_code", "position_code", *DIMS]
    full = full.merge(q.masters[[*keys, "master"]], how="left", on=keys)
    unknown = full["master"].notna().to_numpy()
    order = full.loc[unknown, "master"].astype(int).to_numpy()
    holds = q.holds[:, order]  # columns in the order of the unknowns in ``full``
    value = q.cells["persons"].fillna(0).to_numpy(float)
    return _system(full.drop(columns="master"), unknown, holds, value)


def mobility(con, year: int, region: str | None = None, everyone: bool = False) -> System:
    """Every potential mobility master of ``year`` (region x from x to x breakdowns, but OUT to
    OUT; of one region's cells only, if given, as ``attack.read``) with what
    ``mobility_figures`` says of its value (with ``everyone``, every master an unknown)."""
    regions = con.execute("select geo_code as region_code from dim_geography "
                          "where geo_level = 'region'").df()  # fmt: skip
    if region:
        regions = regions[regions["region_code"] == region]
    sides = pd.concat(
        [_positions(con), pd.DataFrame({"position_code": [OUT], "main_group": [None]})]
    )
    pairs = sides.add_prefix("from_").merge(sides.add_prefix("to_"), how="cross")
    pairs = pairs[(pairs["from_position_code"] != OUT) | (pairs["to_position_code"] != OUT)]
    full = regions.merge(pairs, how="cross").merge(_breakdowns(con), how="cross")
    full = full.reset_index(drop=True)
    cells = con.execute(
        "select * from mobility_figures where year = ? and status <> 'not_available'"
        + (" and geo_code = ?" if region else ""),
        [year, *([region] if region else [])],
    ).df()
    finest = cells[cells["geo_level"] == "region"].rename(
        columns={
            "geo_code": "region_code",
            "from_position": "from_position_code",
            "to_position": "to_position_code",
        }
    )
    finest = finest[["region_code", "from_position_code", "to_position_code", *DIMS, "persons"]]
    # a master in a withheld finest cell is 0; one in a cell not available is unknown too
    known = full.merge(finest, how="left", on=list(finest.columns[:-1]), indicator=True)
    unknown = ((known["_merge"] == "left_only") | known["persons"].notna()).to_numpy()
    unknown |= everyone
    members = full[unknown].reset_index(drop=True)
    members["master"] = np.arange(len(members))
    keys = _mobility_keys(members)
    key = ["geo_level", "geo_code", "from_position", "to_position", *DIMS]
    pairs = attack.pairs(keys, cells, key)
    used, row = np.unique(pairs["cell"], return_inverse=True)  # the cells holding a master
    holds = sp.csr_matrix(
        (np.ones(len(pairs)), (row, pairs["master"])), shape=(len(used), len(members))
    )
    value = cells["persons"].fillna(0).to_numpy(float)[used]
    return _system(full, unknown, holds, value)


def _mobility_keys(masters: pd.DataFrame) -> pd.DataFrame:
    """(master, cell key) for every published cell of mobility_figures a master belongs to."""
    out = []
    for level, geo in (("country", "01000"), ("region", masters["region_code"])):
        variants = {
            side: (masters[f"{side}_position_code"], masters[f"{side}_main_group"], "_T")
            for side in ("from", "to")
        }
        for f, t in itertools.product(variants["from"], variants["to"]):
            base = pd.DataFrame(
                {
                    "master": masters["master"],
                    "geo_level": level,
                    "geo_code": geo,
                    "from_position": f,
                    "to_position": t,
                }
            )
            for mask in range(2 ** len(DIMS)):
                frame = base.copy()
                for bit, dim in enumerate(DIMS):
                    frame[dim] = masters[dim] if mask >> bit & 1 else "_T"
                out.append(frame)
    keys = pd.concat(out, ignore_index=True)
    return keys.dropna(subset=["from_position", "to_position"])  # OUT has no main group


def _system(full, unknown, holds, value) -> System:
    n = len(full)
    a_lo, a_hi = np.zeros(n), np.zeros(n)
    a_hi[unknown] = attack.BIG
    n_lo, n_hi = np.zeros(n), np.full(n, attack.BIG)
    return System(full, unknown, holds, value, a_lo, a_hi, n_lo, n_hi)


def values_from_counts(n_lo, n_hi, threshold: int, noise: int):
    """Bounds of the published values of master cells whose counts lie in [n_lo, n_hi]."""
    above = threshold + 1
    a_lo = np.where(n_lo <= threshold, 0, np.maximum(above, n_lo - noise))
    a_hi = np.where(n_hi == 0, 0, np.where(n_hi <= threshold, above, n_hi + noise))
    return a_lo.astype(float), a_hi.astype(float)


def _solve_values(s: System, threshold: int, noise: int):
    """The system's own relations: bounds of its values, then of its counts (without the cell
    key, of its counts directly)."""
    u = s.unknown
    if s.plain:
        lo, hi = attack.propagate(s.holds, s.value, s.value_hi, s.n_lo[u], s.n_hi[u])
        s.n_lo[u], s.n_hi[u] = lo, hi
        return
    lo, hi = attack.propagate(s.holds, s.value, s.value, s.a_lo[u], s.a_hi[u], threshold + 1)
    s.a_lo[u], s.a_hi[u] = lo, hi
    lo, hi = attack.counts_from_values(s.a_lo, s.a_hi, threshold, noise)
    s.n_lo, s.n_hi = np.maximum(s.n_lo, lo), np.minimum(s.n_hi, hi)


def links(before: System | None, after: System, flows: System) -> sp.csr_matrix:
    """The relations (A) and (B) (without ``before``, (A) only) between the counts, one row
    each (each row's sum is 0), over the counts of ``before``, ``after`` and ``flows`` side by
    side."""
    f = flows.masters
    a_key = ["region_code", "to_position_code", *DIMS]
    b_key = ["from_position_code", "sex"]
    rows = []
    # (A): to-position q in the population on the later day, per region and breakdowns
    # (only in the regions whose municipalities are in ``after``)
    inside = f[(f["to_position_code"] != OUT) & f["region_code"].isin(after.masters["region_code"])]
    ids = inside[a_key].drop_duplicates().reset_index(drop=True)
    ids["row"] = np.arange(len(ids))
    stocks = after.masters.rename(columns={"position_code": "to_position_code"})
    rows.append((ids, a_key, stocks, inside, "after"))
    ids_b = pd.DataFrame(columns=[*b_key, "row"])
    if before is not None:  # (B): from-position p on the earlier day, per sex
        ids_b = f.loc[f["from_position_code"] != OUT, b_key].drop_duplicates()
        ids_b = ids_b.reset_index(drop=True)
        ids_b["row"] = np.arange(len(ids_b)) + len(ids)
        stocks_b = before.masters.rename(columns={"position_code": "from_position_code"})
        rows.append((ids_b, b_key, stocks_b, f[f["from_position_code"] != OUT], "before"))
    earlier = 0 if before is None else len(before.masters)
    shape = (len(ids) + len(ids_b), earlier + len(after.masters) + len(f))
    offset = {"before": 0, "after": earlier}
    flow_offset = earlier + len(after.masters)
    r, c, v = [], [], []
    for relation, key, stocks, members, which in rows:
        s = stocks.reset_index(names="col").merge(relation, on=key)
        r.append(s["row"].to_numpy())
        c.append(s["col"].to_numpy() + offset[which])
        v.append(-np.ones(len(s)))
        m = members.reset_index(names="col").merge(relation, on=key)
        r.append(m["row"].to_numpy())
        c.append(m["col"].to_numpy() + flow_offset)
        v.append(np.ones(len(m)))
    return sp.csr_matrix((np.concatenate(v), (np.concatenate(r), np.concatenate(c))), shape=shape)


def propagate_signed(matrix: sp.csr_matrix, x_lo, x_hi):
    """Bound propagation over ``matrix @ x == 0`` (integer coefficients, integer x) until
    nothing moves. Returns the bounds of x."""
    pos, neg = matrix.multiply(matrix > 0).tocsr(), -matrix.multiply(matrix < 0).tocsr()
    coo = matrix.tocoo()
    rows, cols, coef = coo.row, coo.col, coo.data
    up = coef > 0
    x_lo, x_hi = x_lo.copy(), x_hi.copy()
    for _ in range(1000):
        s_lo = pos @ x_lo - neg @ x_hi
        s_hi = pos @ x_hi - neg @ x_lo
        # the rest of each row without the member: its bounds
        own_lo = coef * np.where(up, x_lo[cols], x_hi[cols])
        own_hi = coef * np.where(up, x_hi[cols], x_lo[cols])
        rest_lo, rest_hi = s_lo[rows] - own_lo, s_hi[rows] - own_hi
        # coef * x = -rest, x an integer
        lo = np.ceil(np.where(up, -rest_hi, -rest_lo) / coef - 1e-9)
        hi = np.floor(np.where(up, -rest_lo, -rest_hi) / coef + 1e-9)
        new_lo, new_hi = x_lo.copy(), x_hi.copy()
        np.maximum.at(new_lo, cols, lo)
        np.minimum.at(new_hi, cols, hi)
        assert (new_lo <= new_hi).all(), "the published figures contradict the attacker's model"
        if (new_lo == x_lo).all() and (new_hi == x_hi).all():
            break
        x_lo, x_hi = new_lo, new_hi
    return x_lo, x_hi


def solve(systems, matrix: sp.csr_matrix, threshold: int, noise: int):
    """Every system's own relations and ``matrix @ counts == 0`` (the counts of ``systems``
    side by side, then as many slack unknowns from 0 up as ``matrix`` has further columns), at
    once: each system's values bound its counts, the matrix the counts across systems, the
    counts the values again, until nothing moves. Solves the systems in place."""
    size = sum(len(s.masters) for s in systems)
    slack_lo = np.zeros(matrix.shape[1] - size)
    slack_hi = np.full(len(slack_lo), attack.BIG)
    while True:
        for s in systems:
            _solve_values(s, threshold, noise)
        n_lo = np.concatenate([*(s.n_lo for s in systems), slack_lo])
        n_hi = np.concatenate([*(s.n_hi for s in systems), slack_hi])
        lo, hi = propagate_signed(matrix, n_lo, n_hi)
        if (lo == n_lo).all() and (hi == n_hi).all():
            return systems
        start = 0
        for s in systems:
            end = start + len(s.masters)
            s.n_lo, s.n_hi = lo[start:end], hi[start:end]
            if not s.plain:
                a_lo, a_hi = values_from_counts(s.n_lo, s.n_hi, threshold, noise)
                s.a_lo, s.a_hi = np.maximum(s.a_lo, a_lo), np.minimum(s.a_hi, a_hi)
            start = end
        slack_lo, slack_hi = lo[size:], hi[size:]


def pinned(s: System, threshold: int) -> np.ndarray:
    """The masters whose bounds leave one count from 1 to ``threshold``."""
    return (s.n_lo == s.n_hi) & (s.n_lo >= 1) & (s.n_lo <= threshold)
