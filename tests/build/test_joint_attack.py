"""Disclosure control across tables: every published table attacked at once (``attack_all.py``:
the stocks of both 31 Decembers of 2025's transitions, the mobility figures of 2025, the
cohort of 2024 a year after and the households of both days, every relation of each and every
link between them), against the truth of the session's warehouse (tests/conftest.py)."""

import copy

import attack_all
import attack_mobility
import numpy as np
import scipy.sparse as sp

from dwh.publish import disclosure_parameters

THRESHOLD, NOISE = disclosure_parameters().values()
YEAR = 2025
PERSON = ["sex", "age_class", "nationality_group"]
SMALL = ("before", "after", "homes_before", "homes_after")  # the tables of one region


def _counts(masters, rows, on: list[str], count: str) -> np.ndarray:
    """The true counts of the attacker's potential ``masters`` (0 where nobody is)."""
    found = masters[on].merge(rows[[*on, count]], how="left", on=on)
    assert len(found) == len(masters)
    return found[count].fillna(0).to_numpy(float)


def _truth(warehouse, s: dict) -> dict[str, np.ndarray]:
    """Every system's true counts, from the warehouse's master cells (never the attacker's)."""
    out = {}
    for name, day in (("before", f"{YEAR - 1}-12-31"), ("after", f"{YEAR}-12-31")):
        rows = warehouse.execute("select * from int_figure_cells where ref_date = ?", [day]).df()
        on = ["nis_code", "position_code", *PERSON]
        out[name] = _counts(s[name].masters, rows, on, "persons")
        rows = warehouse.execute("select * from int_household_cells where ref_date = ?", [day])
        on = ["nis_code", "household_type", "household_size", *PERSON]
        out[f"homes_{name}"] = _counts(s[f"homes_{name}"].masters, rows.df(), on, "households")
    rows = warehouse.execute("select * from int_mobility_cells where year = ?", [YEAR]).df()
    on = ["region_code", "from_position_code", "to_position_code", *PERSON]
    out["flows"] = _counts(s["flows"].masters, rows, on, "persons")
    rows = warehouse.execute(
        "select * from int_cohort_cells where cohort_year = ? and year = ?", [YEAR - 1, YEAR]
    ).df()
    on = ["region_code", "measure", "from_position_code", "to_position_code", "sex", "age_class"]
    out["cohorts"] = _counts(s["cohorts"].masters, rows, on, "persons")
    return out


def _pinned(s: dict) -> dict[str, np.ndarray]:
    return {name: attack_mobility.pinned(s[name], THRESHOLD) for name in attack_all.NAMES}


def test_every_table_at_once_pins_no_small_count(files):
    """Brussels' stocks and households of 31 December 2024 and 2025, all Belgium's mobility of
    2025 and cohort of 2024 a year after: the bounds hold the truth (the method is what the
    attacker is told), every link holds on the true counts, and no count from 1 to T is
    pinned in any table."""
    public, warehouse = files
    s, matrix = attack_all.joint(public, YEAR, THRESHOLD, NOISE)
    truth = _truth(warehouse, s)
    counts = np.concatenate([truth[name] for name in attack_all.NAMES])
    rest = matrix[:, : len(counts)] @ counts  # each link on the true counts
    slack = matrix[:, len(counts) :]
    inequality = abs(slack).sum(axis=1).A1 > 0
    assert (rest[~inequality] == 0).all() and (rest[inequality] >= 0).all()
    assert 0 < inequality.sum() < len(rest)
    for name in attack_all.NAMES:
        n, system = truth[name], s[name]
        assert ((system.n_lo <= n) & (n <= system.n_hi)).all(), name
        assert not _pinned(s)[name].any(), name
    learned = {name: int((s[name].n_lo >= 1).sum()) for name in attack_all.NAMES}
    own = sum(s[name].holds.shape[0] for name in attack_all.NAMES)
    print(
        f"\n{own} published cells and {matrix.shape[0]} links over "
        f"{len(counts)} potential masters ({sum(s[n].unknown.sum() for n in attack_all.NAMES)} "
        f"values unknown) and {slack.shape[1]} slacks; pinned 0; proved non-empty {learned}"
    )


def test_without_the_cell_key_the_same_attack_pins_and_joining_adds(files):
    """The attacker is not toothless: the same tables published without the cell key (every
    cell its true count, withheld from 0 to T) let the same solver pin small counts, each to
    its true count; and joining the tables adds to what each says alone: the links tighten the
    bounds of stock and household masters beyond their own table's relations (the cell key
    leaves the links nothing to add: none of these bounds moved in the first test's case, as
    the README reports)."""
    public, warehouse = files
    s = attack_all.systems(public, YEAR, everyone=True)
    truth = _truth(warehouse, s)
    for name in attack_all.NAMES:
        s[name].suppress(truth[name], THRESHOLD)
    alone = {name: copy.deepcopy(s[name]) for name in SMALL}
    for system in alone.values():
        attack_mobility.solve([system], sp.csr_matrix((0, len(system.masters))), THRESHOLD, NOISE)
    attack_all.solve(s, attack_all.relations(s), THRESHOLD, NOISE)
    pinned = _pinned(s)
    for name in attack_all.NAMES:
        n, system = truth[name], s[name]
        assert ((system.n_lo <= n) & (n <= system.n_hi)).all(), name
        assert (system.n_lo[pinned[name]] == n[pinned[name]]).all(), name
    found = {name: int(pinned[name].sum()) for name in attack_all.NAMES}
    assert found["flows"] > 0 and found["cohorts"] > 0, found  # each large table gives way
    tighter = {}
    for name, own in alone.items():
        joint = s[name]
        assert (joint.n_lo >= own.n_lo).all() and (joint.n_hi <= own.n_hi).all(), name
        assert (pinned[name] >= attack_mobility.pinned(own, THRESHOLD)).all(), name
        tighter[name] = int(((joint.n_lo > own.n_lo) | (joint.n_hi < own.n_hi)).sum())
    assert all(tighter.values()), tighter  # the links reach every one-region table
    print(f"\nwithout the cell key: pinned {found}; bounds tightened by the links {tighter}")
