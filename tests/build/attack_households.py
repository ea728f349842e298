"""The household figures as the attacker sees them, and their relations with the person figures.

The unknowns of ``household_figures`` of a quarter are its potential master cells:
municipality x household type x the sizes the type can have x the reference person's sex, age
class and nationality group ('_Z' for collective households). Every published cell (every
level, type and size and their totals, the reference person's breakdowns above the
municipality) is a sum of their values, solved at once with ``attack.py``'s solver.

A household's reference person and members are residents, so the table relates to the stock
master cells of the same quarter by inequalities (``links``):

- (H) the private households of a reference person's cell (municipality x sex x age class x
  nationality group) are at most its residents (the stock masters of the cell, every
  position);
- (M) the members of a municipality's households (at least the size class's minimum each)
  are at most its residents.
"""

import attack_mobility
import numpy as np
import pandas as pd
import scipy.sparse as sp
from attack_mobility import System

import attack

PERSON = ["sex", "age_class", "nationality_group"]
SIZE_MIN = {"1": 1, "2": 2, "3": 3, "4": 4, "5+": 5}
TYPES = ["household_type", "household_size"]
LEVELS = {
    "country": None,
    "region": "region_code",
    "province": "province_code",
    "arrondissement": "arrondissement_code",
    "municipality": "nis_code",
}
# The reference person's breakdowns a cell of household_figures shows (above the municipality)
VIEWS = [(), ("sex",), ("age_class",), ("sex", "age_class"), ("nationality_group",)]
KEY = ["geo_level", "geo_code", *TYPES, *PERSON]


def potential(con, day, province: str | None = None, region: str | None = None) -> pd.DataFrame:
    """Every potential master cell of the household table on ``day`` (in ``province`` or
    ``region`` only, if given), as the attacker lists them: municipality x type x the sizes it
    can have x the reference person's breakdowns ('_Z' for collective households)."""
    munis = con.execute(
        "select nis_code, arrondissement_code, province_code, region_code from dim_municipality "
        "where (valid_from is null or valid_from <= ?) and (valid_to is null or ? < valid_to)",
        [day, day],
    ).df()
    if province:
        munis = munis[munis.province_code == province]
    if region:
        munis = munis[munis.region_code == region]
    kinds = pd.DataFrame(
        [(t, s) for t in ("H1", "H2", "H3", "H4", "H5", "H6") for s in SIZE_MIN if can(t, s)],
        columns=TYPES,
    )
    person = con.execute("select sex from dim_sex").df()
    for dim in ("age_class", "nationality_group"):
        person = person.merge(con.execute(f"select {dim} from dim_{dim}").df(), how="cross")
    private = kinds[kinds.household_type != "H6"].merge(person, how="cross")
    collective = kinds[kinds.household_type == "H6"].assign(**dict.fromkeys(PERSON, "_Z"))
    return munis.merge(pd.concat([private, collective]), how="cross").reset_index(drop=True)


def can(household_type: str, size: str) -> bool:
    """Whether a household of the type can have the size (README's definitions)."""
    return {"H1": size == "1", "H2": size == "2", "H6": True}.get(household_type, size != "1")


def cell_keys(masters: pd.DataFrame, levels=LEVELS) -> pd.DataFrame:
    """(master, cell key) for every cell of household_figures a master belongs to."""
    out = []
    for level, column in levels.items():
        geo = "01000" if column is None else masters[column]
        for mask in range(4):
            base = pd.DataFrame({"master": masters["master"], "geo_level": level, "geo_code": geo})
            base["household_type"] = masters["household_type"] if mask & 1 else "_T"
            base["household_size"] = masters["household_size"] if mask & 2 else "_T"
            for shown in [()] if level == "municipality" else VIEWS:
                frame = base.copy()
                for dim in PERSON:
                    frame[dim] = masters[dim] if dim in shown else "_T"
                out.append(frame)
    keys = pd.concat(out, ignore_index=True).drop_duplicates()
    return keys[keys.geo_code.notna()]


def day_of(con, quarter: str):
    return con.execute(
        "select max(ref_date) from household_figures where quarter = ?", [quarter]
    ).fetchone()[0]


def _known(masters: pd.DataFrame, cells: pd.DataFrame) -> np.ndarray:
    """The masters whose finest cells are all published (the others are 0 for certain): the
    municipality's type x size, the arrondissement's by sex and age class, and by nationality
    group."""
    shown = cells[cells.households.notna()]
    local = shown[(shown.geo_level == "municipality")].rename(columns={"geo_code": "nis_code"})
    arr = shown[shown.geo_level == "arrondissement"].rename(
        columns={"geo_code": "arrondissement_code"}
    )
    known = masters.reset_index(names="row").merge(local[["nis_code", *TYPES]])
    by_age = arr[arr.nationality_group == "_T"][["arrondissement_code", *TYPES, "sex", "age_class"]]
    known = known.merge(by_age)
    by_nat = arr[(arr.sex == "_T") & (arr.age_class == "_T")]
    known = known.merge(by_nat[["arrondissement_code", *TYPES, "nationality_group"]])
    return masters.index.isin(known["row"])


def view(con, quarter: str):
    """Unknowns (the masters whose finest cells are all published), the published cells that
    hold them, and which masters each holds; all Belgium."""
    day = day_of(con, quarter)
    masters = potential(con, day)
    cells = con.execute("select * from household_figures where quarter = ?", [quarter]).df()
    masters = masters[_known(masters, cells)].reset_index(drop=True)
    masters["master"] = np.arange(len(masters))
    cells, holds = _holds(masters, cells)
    return masters, cells, holds, day


def _holds(members: pd.DataFrame, cells: pd.DataFrame):
    """The cells that hold at least one of ``members`` and which each holds."""
    cells = cells.reset_index(drop=True)
    pairs = attack.pairs(cell_keys(members), cells, KEY)
    used = np.unique(pairs.cell)
    renumber = pd.Series(np.arange(len(used)), index=used)
    holds = sp.csr_matrix(
        (np.ones(len(pairs)), (renumber[pairs.cell].to_numpy(), pairs.master)),
        shape=(len(used), len(members)),
    )
    return cells.loc[used].reset_index(drop=True), holds


def households(con, quarter: str, region: str | None = None, everyone: bool = False) -> System:
    """Every potential household master of ``quarter`` (of one region's cells only, if given,
    as ``attack.read``) with what ``household_figures`` says of its value (with ``everyone``,
    every master an unknown, for ``System.suppress``)."""
    full = potential(con, day_of(con, quarter), region=region)
    cells = con.execute(
        "select * from household_figures where quarter = ? and status <> 'not_available'"
        + (" and geo_level <> 'country'" if region else ""),
        [quarter],
    ).df()
    unknown = np.ones(len(full), bool) if everyone else _known(full, cells)
    members = full[unknown].reset_index(drop=True)
    members["master"] = np.arange(len(members))
    cells, holds = _holds(members, cells)
    value = cells["households"].fillna(0).to_numpy(float)
    return attack_mobility._system(full, unknown, holds, value)


def links(stock: System, homes: System) -> sp.csr_matrix:
    """(H) and (M), one row each, over the counts of ``stock`` (of the same day) and ``homes``
    side by side: each row is at least 0 (residents less what the households need)."""
    s = stock.masters.reset_index(names="col")
    h = homes.masters.reset_index(names="col")
    h["col"] += len(s)
    h["k"] = h["household_size"].map(SIZE_MIN)
    r, c, v, start = [], [], [], 0
    private = h[h.household_type != "H6"].assign(k=1)
    for key, members in ((["nis_code", *PERSON], private), (["nis_code"], h)):
        ids = members[key].drop_duplicates().reset_index(drop=True)
        ids["row"] = np.arange(len(ids)) + start
        start += len(ids)
        residents, need = s.merge(ids, on=key), members.merge(ids, on=key)
        r += [residents["row"].to_numpy(), need["row"].to_numpy()]
        c += [residents["col"].to_numpy(), need["col"].to_numpy()]
        v += [np.ones(len(residents)), -need["k"].to_numpy(float)]
    shape = (start, len(s) + len(h))
    return sp.csr_matrix((np.concatenate(v), (np.concatenate(r), np.concatenate(c))), shape=shape)
