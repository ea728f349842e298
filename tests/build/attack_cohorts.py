"""The cohort figures as the attacker sees them and their links with the stock figures of the
cohort's day and the short-term mobility figures of the year after (attacked at once with every
other table in ``attack_all.py``).

``cohort_figures`` of cohort year Y and year Y + 1 counts the persons of 31 December of Y by
their region, position, sex and age class that day and, for each measure, by where they are
on 31 December of Y + 1 (measure 'position') or by the class of their share of the quarters of
Y + 1 in a main group or out of the population (measures G1-G4, OUT). Beside its own additive
relations (geography, both sides' hierarchies, the breakdowns and their totals), it is another
view of persons that other tables count:

- (C) a cohort row (region x from-position x sex x age class, summed over the to-side of any
  measure) holds the persons of the stock master cells of 31 December of Y with that position,
  sex and age class in the region's municipalities (every nationality group);
- (E) every measure partitions the same cohort row: summed over its to-side, each share
  measure holds the same persons as the measure 'position';
- (D) the measure 'position', summed over the regions and age classes, is the short-term
  mobility table of Y + 1 without the entries (from-position p other than OUT, to-position q,
  sex), summed over its regions, age classes and nationality groups (the cohort's breakdowns
  are those of the earlier day, the mobility's of the later: only Belgium by sex agrees).

The unknowns are the true counts of every potential master cell of the three systems (stock,
cohort, mobility); each table bounds its masters' values, the values the counts, (C), (D) and
(E) the counts across systems, the counts the values again, until nothing moves
(``attack_mobility``'s solver).
"""

import itertools

import attack_mobility
import numpy as np
import pandas as pd
import scipy.sparse as sp
from attack_mobility import OUT, System

import attack

DIMS = ["sex", "age_class"]
MEASURES = ["position", "G1", "G2", "G3", "G4", "OUT"]
SHARES = ["P000", "P001", "P025", "P050", "P075", "P100"]


def potential(con) -> pd.DataFrame:
    """Every potential master of a cohort year and year: region x measure x from x to x sex x
    age class (to: a category or OUT for 'position', a share class for the others)."""
    regions = con.execute(
        "select geo_code as region_code from dim_geography where geo_level = 'region'"
    ).df()
    positions = attack_mobility._positions(con)
    sides = [positions, pd.DataFrame({"position_code": [OUT], "main_group": [None]})]
    to = pd.concat(sides).assign(measure="position")
    for measure in MEASURES[1:]:
        shares = pd.DataFrame({"position_code": SHARES, "main_group": None, "measure": measure})
        to = pd.concat([to, shares])
    full = regions.merge(positions.add_prefix("from_"), how="cross")
    full = full.merge(to.add_prefix("to_").rename(columns={"to_measure": "measure"}), how="cross")
    for dim, table in zip(DIMS, ("dim_sex", "dim_age_class"), strict=True):
        full = full.merge(con.execute(f"select {dim} from {table}").df(), how="cross")
    return full.reset_index(drop=True)


def _keys(masters: pd.DataFrame) -> pd.DataFrame:
    """(master, cell key) for every published cell of cohort_figures a master belongs to."""
    out = []
    for level, geo in (("country", "01000"), ("region", masters["region_code"])):
        sides = {
            side: (masters[f"{side}_position_code"], masters[f"{side}_main_group"], "_T")
            for side in ("from", "to")
        }
        for f, t in itertools.product(sides["from"], sides["to"]):
            base = pd.DataFrame(
                {
                    "master": masters.index,
                    "geo_level": level,
                    "geo_code": geo,
                    "measure": masters["measure"],
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
    return keys.dropna(subset=["from_position", "to_position"])  # shares have no main group


KEY = ["geo_level", "geo_code", "measure", "from_position", "to_position", *DIMS]


def holds(masters: pd.DataFrame, cells: pd.DataFrame) -> sp.csr_matrix:
    """Which masters each cell of ``cells`` (rows of cohort_figures) holds: cells x masters."""
    pairs = attack.pairs(_keys(masters), cells, KEY)
    return sp.csr_matrix(
        (np.ones(len(pairs)), (pairs["cell"], pairs["master"])),
        shape=(len(cells), len(masters)),
    )


def figures(con, cohort_year: int, year: int) -> pd.DataFrame:
    return con.execute(
        "select * from cohort_figures where cohort_year = ? and year = ?", [cohort_year, year]
    ).df()


def cohort(con, cohort_year: int, year: int, everyone: bool = False) -> System:
    """Every potential cohort master of ``cohort_year`` followed to ``year`` (all Belgium) with
    what ``cohort_figures`` says of its value: a master in a withheld finest cell is 0, one in
    a published finest cell or one not available is unknown (with ``everyone``, every one)."""
    full = potential(con)
    cells = figures(con, cohort_year, year)
    finest = cells[cells["geo_level"] == "region"].rename(
        columns={
            "geo_code": "region_code",
            "from_position": "from_position_code",
            "to_position": "to_position_code",
        }
    )
    on = ["region_code", "measure", "from_position_code", "to_position_code", *DIMS]
    known = full.merge(finest[[*on, "persons", "status"]], how="left", on=on)
    unknown = (known["status"] != "withheld").to_numpy() | everyone
    cells = cells[cells["status"] != "not_available"]
    matrix = holds(full, cells)
    used = np.asarray(matrix[:, unknown].sum(axis=1)).ravel() > 0  # cells holding an unknown
    value = cells["persons"].fillna(0).to_numpy(float)[used]
    return attack_mobility._system(full, unknown, matrix[used][:, unknown], value)


def links(stock: System, flows: System, cohorts: System) -> sp.csr_matrix:
    """The relations (C), (E) and (D), one row each (each row's sum is 0), over the counts of
    ``stock``, ``cohorts`` and ``flows`` side by side."""
    c = cohorts.masters.reset_index(names="col")
    s = stock.masters.reset_index(names="col")
    f = flows.masters.reset_index(names="col")
    offset = {"stock": 0, "cohorts": len(s), "flows": len(s) + len(c)}
    row_key = ["region_code", "from_position_code", *DIMS]
    r, col, v, start = [], [], [], 0

    def relation(ids: pd.DataFrame, key: list[str], parts: list[tuple]):
        nonlocal start
        ids = ids[key].drop_duplicates().reset_index(drop=True)
        ids["row"] = np.arange(len(ids)) + start
        start += len(ids)
        for members, which, sign in parts:
            m = members.merge(ids, on=key)
            r.append(m["row"].to_numpy())
            col.append(m["col"].to_numpy() + offset[which])
            v.append(np.full(len(m), float(sign)))

    where = c[c["measure"] == "position"]
    # (C): a cohort row against the stock of the cohort's day (regions of ``stock`` only)
    stocks = s.rename(columns={"position_code": "from_position_code"})
    inside = c[c["region_code"].isin(stocks["region_code"])]
    for measure in MEASURES:
        members = inside[inside["measure"] == measure]
        relation(members, row_key, [(stocks, "stock", -1), (members, "cohorts", 1)])
    # (E): each share measure against the measure 'position', row by row
    for measure in MEASURES[1:]:
        members = c[c["measure"] == measure]
        relation(members, row_key, [(where, "cohorts", -1), (members, "cohorts", 1)])
    # (D): Belgium by from, to and sex, against the mobility table without the entries
    left = f[f["from_position_code"] != OUT]
    key = ["from_position_code", "to_position_code", "sex"]
    relation(where, key, [(left, "flows", -1), (where, "cohorts", 1)])
    shape = (start, offset["flows"] + len(f))
    return sp.csr_matrix((np.concatenate(v), (np.concatenate(r), np.concatenate(col))), shape=shape)
