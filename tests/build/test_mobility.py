"""Short-term mobility: the transitions are what the person-quarters of two consecutive
31 Decembers say; the mobility figures are sums of their own master cells, never from 1 to the
threshold, and the joint attack on them and the stock figures of both days pins nothing (the
session's warehouse, tests/conftest.py: 2024 and 2025, so one transition year, 2025)."""

import shutil

import attack_mobility
import duckdb
import numpy as np
import pandas as pd
import scipy.sparse as sp

from dwh.build import output_check
from dwh.publish import disclosure_parameters
from dwh.serving.publication import current

import attack

THRESHOLD, NOISE = disclosure_parameters().values()
DIMS = ["sex", "age_class", "nationality_group"]
DETAILS = ["time_regime", "part_time_class", "nace_section", "daily_wage_class", "worker_group"]
# The classes of the employment details, written out here (README, "Short-term mobility").
WORKER_GROUPS = {"015": "manual", "495": "white_collar", "675": "civil_servant", "840": "student"}
WAGE_BOUNDS = [0, 100, 150, 200, 250, np.inf]
WAGE_CLASSES = ["W000", "W100", "W150", "W200", "W250"]


def _expected(warehouse) -> pd.DataFrame:
    """Per person and year, from fct_person_quarter's rows of 31 December, in pandas."""
    rows = warehouse.execute(
        "select * from fct_person_quarter where month(ref_date) = 12 and quarter like '%Q4'"
    ).df()
    rows["year"] = pd.to_datetime(rows["ref_date"]).dt.year
    job = rows["job_lines"].notna() & (rows["days_paid"] > 0)
    pct = rows["part_time_pct"].astype(float)
    rows["part_time_class"] = np.select(
        [rows["time_regime"] == "F", pct >= 75, pct >= 50], ["FT", "PT75", "PT50"], "PT0"
    )
    daily = rows["gross_wage"].astype(float) / rows["days_paid"]
    rows["daily_wage_class"] = pd.cut(daily, WAGE_BOUNDS, right=False, labels=WAGE_CLASSES)
    rows["daily_wage_class"] = rows["daily_wage_class"].astype(object)
    rows["worker_group"] = rows["worker_code"].map(WORKER_GROUPS)
    rows["job"] = job
    years = sorted(y for y in rows["year"].unique() if y - 1 in set(rows["year"]))
    keep = ["pseudonym", "region_code", "nis_code", "position_code", *DIMS, "job", *DETAILS]
    out = []
    for year in years:
        before = rows.loc[rows["year"] == year - 1, keep]
        after = rows.loc[rows["year"] == year, keep]
        both = before.merge(after, on="pseudonym", how="outer", suffixes=("_from", "_to"))
        left = both["position_code_to"].isna()
        frame = pd.DataFrame({"pseudonym": both["pseudonym"], "year": year})
        frame["from_position_code"] = both["position_code_from"].fillna("OUT")
        frame["to_position_code"] = both["position_code_to"].fillna("OUT")
        frame["is_earlier_residence"] = left
        for column in ["region_code", "nis_code", *DIMS]:
            frame[column] = both[f"{column}_to"].where(~left, both[f"{column}_from"])
        working = both["job_from"].fillna(False).astype(bool)
        working &= both["job_to"].fillna(False).astype(bool)
        frame["has_job_at_both"] = working
        for side in ("from", "to"):
            for detail in DETAILS:
                frame[f"{side}_{detail}"] = both[f"{detail}_{side}"].where(working, None)
        out.append(frame)
    return pd.concat(out, ignore_index=True)


def test_transitions_are_the_two_decembers_of_each_person(files):
    """Every person of either 31 December, with from and to positions (OUT when absent),
    the later day's residence and breakdowns (the earlier for those who left) and, for those
    with an employee job on both days, its details on each."""
    _, warehouse = files
    expected = _expected(warehouse)
    actual = warehouse.execute("select * from int_person_year_transition").df()
    assert sorted(actual["year"].unique()) == [2025]
    columns = [c for c in expected.columns if c not in ("pseudonym", "year")]
    both = expected.merge(
        actual, on=["pseudonym", "year"], how="outer", suffixes=("", "_got"), indicator=True
    )
    assert (both["_merge"] == "both").all(), both["_merge"].value_counts()
    for column in columns:
        want, got = both[column].astype(object), both[f"{column}_got"].astype(object)
        differ = ~((want == got) | (want.isna() & got.isna()))
        assert not differ.any(), (column, both.loc[differ, [column, f"{column}_got"]].head())
    # every kind of transition is there: entering, leaving, staying, changing
    assert (expected["from_position_code"] == "OUT").sum() >= 50
    assert (expected["to_position_code"] == "OUT").sum() >= 50
    moved = expected[
        (expected["from_position_code"] != expected["to_position_code"])
        & (expected["from_position_code"] != "OUT")
        & (expected["to_position_code"] != "OUT")
    ]
    assert len(moved) >= 200
    working = expected[expected["has_job_at_both"]]
    assert len(working) >= 500
    assert (working["from_nace_section"] != working["to_nace_section"]).sum() >= 10
    assert set(working["to_part_time_class"]) == {"FT", "PT75", "PT50", "PT0"}
    assert set(working["to_daily_wage_class"]) == set(WAGE_CLASSES)


def _masters(warehouse) -> pd.DataFrame:
    return warehouse.execute("select * from int_mobility_cells").df()


def test_master_cells_count_the_transitions_with_the_stated_method(files):
    _, warehouse = files
    rows = warehouse.execute("select * from int_person_year_transition").df()
    keys = ["year", "region_code", "from_position_code", "to_position_code", *DIMS]
    expected = rows.groupby(keys).agg(n=("pseudonym", "size"), keys=("record_key", "sum"))
    masters = _masters(warehouse).set_index(keys).sort_index()
    expected = expected.reindex(masters.index)
    assert len(masters) == len(rows.groupby(keys)) and masters["persons"].sum() == len(rows)
    assert (masters["persons"] == expected["n"]).all()
    assert (masters["key_sum"] == expected["keys"]).all()
    shown = attack.method(
        masters["persons"].to_numpy(), masters["key_sum"].to_numpy(), THRESHOLD, NOISE
    )
    assert (masters["published_persons"].to_numpy() == shown).all()


def test_every_mobility_figure_is_the_sum_of_its_master_cells(files):
    """Belgium and the regions, both positions' categories, main groups and totals, every
    breakdown and its total, recomputed here from the masters; every combination is there."""
    public, warehouse = files
    masters = _masters(warehouse)
    masters["country"] = "01000"
    sums = []
    for level, column in (("country", "country"), ("region", "region_code")):
        for side_from in ("from_position_code", "from_main_group_code", None):
            for side_to in ("to_position_code", "to_main_group_code", None):
                frame = masters.copy()
                for side, name in ((side_from, "from_position"), (side_to, "to_position")):
                    if side is None:
                        frame[name] = "_T"
                    elif "main_group" in side:
                        frame = frame[frame[side].notna()]
                        frame[name] = "G" + frame[side].astype(int).astype(str)
                    else:
                        frame[name] = frame[side]
                for mask in range(8):
                    cut = frame.copy()
                    for bit, dim in enumerate(DIMS):
                        if not mask >> bit & 1:
                            cut[dim] = "_T"
                    keys = ["year", column, "from_position", "to_position", *DIMS]
                    summed = cut.groupby(keys)["published_persons"].sum().reset_index()
                    summed = summed.rename(columns={column: "geo_code"})
                    summed["geo_level"] = level
                    sums.append(summed)
    sums = pd.concat(sums)
    figures = public.execute("select * from mobility_figures").df()
    assert len(figures) == 4 * (25 * 25 - 1) * 3 * 10 * 4  # units, pairs, sex, age, nationality
    keys = ["geo_level", "geo_code", "year", "from_position", "to_position", *DIMS]
    both = figures.merge(sums, on=keys, how="left", validate="one_to_one")
    both["published_persons"] = both["published_persons"].fillna(0)
    shown = both[both["status"] != "not_available"]
    published = shown[shown["persons"].notna()]
    assert (published["persons"] == published["published_persons"]).all()
    assert (shown.loc[shown["persons"].isna(), "published_persons"] == 0).all()
    assert len(published) >= 1000 and shown["persons"].isna().sum() >= 1000
    assert not ((published["persons"] >= 1) & (published["persons"] <= THRESHOLD)).any()


def test_a_missing_delivery_makes_the_transitions_it_touches_unavailable(files):
    """FOD SZ's 2024 allowances are missing: on 31 December 2024 n39, n4, G3 and G4 are not
    available (local_figures), so every transition from them is not available; to them, from
    the other positions, it is published."""
    public, _ = files
    touched = public.execute(
        "select list(distinct position order by position) from local_figures "
        "where quarter = '2024Q4' and status = 'not_available'"
    ).fetchone()[0]
    rows = public.execute(
        "select from_position, to_position, status, unavailable_sources from mobility_figures"
    ).df()
    gone = rows["from_position"].isin(touched)
    assert (rows.loc[gone, "status"] == "not_available").all()
    assert (rows.loc[gone, "unavailable_sources"] == "fodss").all()
    assert (rows.loc[~gone, "status"] != "not_available").all()
    assert sorted(touched) == ["G3", "G4", "n39", "n4"]


def test_columns_and_rows_are_the_stocks_of_both_days(files):
    """The relations the joint attack uses hold on the true counts: a to-position's column is
    the 31 December stock of the region and breakdowns (A); a from-position's row, over Belgium,
    the stock of the year before by sex (B)."""
    _, warehouse = files
    masters = _masters(warehouse)
    stock = warehouse.execute(
        "select year(ref_date) as year, region_code, position_code, sex, age_class, "
        "nationality_group, sum(persons) as persons from int_figure_cells "
        "where month(ref_date) = 12 group by all"
    ).df()
    column = masters[masters["to_position_code"] != "OUT"]
    column = column.groupby(["year", "region_code", "to_position_code", *DIMS])["persons"].sum()
    later = stock.rename(columns={"position_code": "to_position_code"})
    later = later.set_index(["year", "region_code", "to_position_code", *DIMS])["persons"]
    assert len(column) == len(later.loc[2025])
    assert (column.to_numpy() == later.reindex(column.index).to_numpy()).all()
    assert column.sum() == later.loc[2025].sum()
    row = masters[masters["from_position_code"] != "OUT"]
    row = row.groupby(["year", "from_position_code", "sex"])["persons"].sum()
    earlier = stock.assign(year=stock["year"] + 1)
    earlier = earlier.groupby(["year", "position_code", "sex"])["persons"].sum()
    assert (row.to_numpy() == earlier.reindex(row.index).to_numpy()).all()
    assert row.sum() == earlier.loc[2025].sum()


def test_a_tight_second_view_of_a_stock_would_pin():
    """The attacker is not toothless: were a stock master (value 0: 0 to T persons) the sum of
    T mobility masters each published at T + 1 (one person each, from T different positions),
    as municipal mobility masters could be, relation (A) pins every one of them to 1."""
    stock_lo, stock_hi = attack.counts_from_values(np.array([0]), np.array([0]), THRESHOLD, NOISE)
    shown = np.full(THRESHOLD, THRESHOLD + 1)
    flow_lo, flow_hi = attack.counts_from_values(shown, shown, THRESHOLD, NOISE)
    matrix = sp.csr_matrix(np.array([[-1] + [1] * THRESHOLD]))
    lo, hi = attack_mobility.propagate_signed(
        matrix, np.concatenate([stock_lo, flow_lo]), np.concatenate([stock_hi, flow_hi])
    )
    assert (lo[1:] == 1).all() and (hi[1:] == 1).all() and lo[0] == hi[0] == THRESHOLD


def test_the_output_check_recomputes_the_mobility_figures(files, tmp_path):
    """The output check sums every cell's true count and master values itself (the pair of
    positions, each a category, a main group or a total), and names what is tampered with."""
    _, warehouse = files
    everyone = warehouse.execute("select count(*) from int_person_year_transition").fetchone()[0]
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(current().warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        cells = output_check._cells(con, "mobility_figures")
        clean = {"threshold": 0, "zeros": 0, "additivity": 0}
        assert output_check._violations("mobility_figures", cells, THRESHOLD) == clean
        assert cells["true_count"].max() == everyone  # Belgium, _T to _T: every transition
        assert cells["finest"].sum() == 3 * (20 * 20 - 1) * 2 * 9 * 3
        con.execute(
            "update mobility_figures set persons = persons + 7 where rowid = (select min(rowid) "
            "from mobility_figures where geo_level = 'country' and from_position = 'G1' and "
            "to_position = 'G1' and sex = '_T' and age_class = '_T' "
            "and nationality_group = '_T')"
        )
        con.execute(
            "update mobility_figures set persons = 3 where rowid = (select min(rowid) "
            "from mobility_figures where status = 'withheld')"
        )
        cells = output_check._cells(con, "mobility_figures")
        found = output_check._violations("mobility_figures", cells, THRESHOLD)
        assert found == {"threshold": 1, "zeros": 0, "additivity": 2}
        con.execute(
            "update int_mobility_cells set published_persons = 4 where rowid = (select "
            "min(rowid) from int_mobility_cells where persons = 2)"
        )
        wrong = output_check._master_violations(con, "int_mobility_cells", THRESHOLD, NOISE)
        assert wrong == 1
