"""Long-term mobility: a cohort (the population of 31 December 2024) followed to 31 December
2025, recomputed here from the warehouse's person-quarters; the cohort figures are sums of
their own master cells, never from 1 to the threshold, and the joint attack on them, the stock
figures of the cohort's day and the mobility figures pins nothing (the session's warehouse,
tests/conftest.py: 2024 and 2025, so one cohort followed one year; the multi-year logic is
covered by the dbt unit tests of models/intermediate/_cohorts.yml)."""

import shutil
from fractions import Fraction

import duckdb
import numpy as np
import pandas as pd

from dwh.build import output_check
from dwh.publish import disclosure_parameters
from dwh.serving.publication import current

import attack

THRESHOLD, NOISE = disclosure_parameters().values()
DIMS = ["sex", "age_class"]
KEYS = ["cohort_year", "year", "region_code", "from_position_code", *DIMS]
MEASURES = ["position", "G1", "G2", "G3", "G4", "OUT"]
GROUPS = {"G1": 1, "G2": 2, "G3": 3, "G4": 4}


def share_class(quarters: int, span: int) -> str:
    """The README's classes of a share of quarters, with exact fractions."""
    share = Fraction(quarters, span)
    if share == 0:
        return "P000"
    if share == 1:
        return "P100"
    bounds = [(Fraction(1, 4), "P001"), (Fraction(1, 2), "P025"), (Fraction(3, 4), "P050")]
    return next((name for bound, name in bounds if share < bound), "P075")


def _expected(warehouse) -> pd.DataFrame:
    """Per cohort member (31 December 2024) in pandas from fct_person_quarter: where on
    31 December 2025 and the quarters of 2025 in each main group and out of the population."""
    rows = warehouse.execute(
        "select pseudonym, ref_date, year, region_code, sex, age_class, position_code, "
        "main_group_code from fct_person_quarter"
    ).df()
    december = rows[pd.to_datetime(rows["ref_date"]).dt.month == 12]
    start = december[december["year"] == 2024]
    cohort = start[["pseudonym", "region_code", *DIMS, "position_code"]].rename(
        columns={"position_code": "from_position_code"}
    )
    cohort["cohort_year"], cohort["year"] = 2024, 2025
    later = december.loc[december["year"] == 2025, ["pseudonym", "position_code"]]
    cohort = cohort.merge(later, on="pseudonym", how="left")
    cohort["to_position_code"] = cohort.pop("position_code").fillna("OUT")
    after = rows[rows["year"] == 2025]
    span = after["ref_date"].nunique()  # the quarters of 2025
    counts = pd.crosstab(after["pseudonym"], after["main_group_code"])
    for group, code in GROUPS.items():
        quarters = counts.get(code, pd.Series(dtype=int))
        cohort[group] = cohort["pseudonym"].map(quarters).fillna(0).astype(int)
    cohort["OUT"] = span - cohort[list(GROUPS)].sum(axis=1)
    keys = warehouse.execute(
        "select pseudonym, record_key from int_person_quarter where ref_date = '2024-12-31'"
    ).df()
    return cohort.merge(keys, on="pseudonym", how="left"), span


def _masters(warehouse) -> pd.DataFrame:
    return warehouse.execute("select * from int_cohort_cells").df()


def test_master_cells_are_the_cohort_recomputed_from_the_person_quarters(files):
    """Every master cell, of every measure: its persons and record keys as pandas counts them
    from the person-quarters, and its value as the README states the method."""
    _, warehouse = files
    cohort, span = _expected(warehouse)
    assert span == 4 and len(cohort) >= 3900
    parts = []
    for measure in MEASURES:
        frame = cohort.copy()
        if measure != "position":
            frame["to_position_code"] = [share_class(q, span) for q in frame[measure]]
        frame["measure"] = measure
        parts.append(frame)
    expected = pd.concat(parts).groupby([*KEYS, "measure", "to_position_code"])
    expected = expected.agg(n=("pseudonym", "size"), keys=("record_key", "sum")).reset_index()
    masters = _masters(warehouse)
    both = masters.merge(
        expected, on=[*KEYS, "measure", "to_position_code"], how="outer", indicator=True
    )
    assert (both["_merge"] == "both").all(), both["_merge"].value_counts()
    assert (both["persons"] == both["n"]).all() and (both["key_sum"] == both["keys"]).all()
    shown = attack.method(both["persons"].to_numpy(), both["key_sum"].to_numpy(), THRESHOLD, NOISE)
    row = both.groupby([*KEYS, "measure"])["persons"].transform("sum")
    shown[(row <= THRESHOLD).to_numpy()] = 0  # a cohort row of at most T persons shows nothing
    assert (both["published_persons"].to_numpy() == shown).all()
    # every kind of path is there: staying, moving, leaving; every share class of a year
    where = expected[expected["measure"] == "position"]
    assert where.loc[where["to_position_code"] == "OUT", "n"].sum() >= 30
    moved = where["from_position_code"] != where["to_position_code"]
    assert where.loc[moved & (where["to_position_code"] != "OUT"), "n"].sum() >= 200
    shares = expected[expected["measure"] == "G1"]
    assert set(shares["to_position_code"]) == {"P000", "P025", "P050", "P075", "P100"}


def _sums(masters: pd.DataFrame) -> pd.DataFrame:
    """Every cell of cohort_figures summed from the masters in pandas: Belgium and the regions,
    both sides' categories, main groups and totals, every breakdown and its total."""
    masters = masters.assign(country="01000")
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
                for mask in range(4):
                    cut = frame.copy()
                    for bit, dim in enumerate(DIMS):
                        if not mask >> bit & 1:
                            cut[dim] = "_T"
                    keys = ["cohort_year", "year", "measure", column, "from_position",
                            "to_position", *DIMS]  # fmt: skip
                    summed = cut.groupby(keys)["published_persons"].sum().reset_index()
                    summed = summed.rename(columns={column: "geo_code"})
                    summed["geo_level"] = level
                    sums.append(summed)
    return pd.concat(sums)


def _row_totals(masters: pd.DataFrame, published: np.ndarray) -> pd.DataFrame:
    """Per cohort row (its keys): its true size and the published total of each measure and
    later year (the sum of that split's masters)."""
    rows = masters.assign(published=published).groupby([*KEYS, "measure"], dropna=False)
    return rows.agg(n=("persons", "sum"), total=("published", "sum")).reset_index()


def test_a_small_cohort_row_shows_the_same_nothing_in_every_split(files):
    """The reviewer's attack: the measures and later years split a cohort row's persons in
    different ways, so each split's total is another draw of the row's noise. Under the plain
    method a row of one person shows the same total everywhere while rows of 2 to T vary,
    which tells them apart; here every row of 1 to T persons shows 0 in every split."""
    _, warehouse = files
    masters = _masters(warehouse)
    cohort_row = [k for k in KEYS if k not in ("year", "ref_date")]
    plain = attack.method(
        masters["persons"].to_numpy(), masters["key_sum"].to_numpy(), THRESHOLD, NOISE
    )
    for method, published in (("published", masters["published_persons"]), ("plain", plain)):
        totals = _row_totals(masters, published)
        spread = totals.groupby(cohort_row, dropna=False).agg(
            n=("n", "first"), low=("total", "min"), high=("total", "max"), splits=("total", "size")
        )
        small = spread[(spread["n"] >= 1) & (spread["n"] <= THRESHOLD)]
        varies = small["high"] > small["low"]
        if method == "published":
            assert len(small) > 100 and (small["high"] == 0).all()
        else:  # the plain method: single persons never vary, some larger small rows do
            assert not varies[small["n"] == 1].any() and varies[small["n"] >= 2].sum() > 10


def test_every_cohort_figure_is_the_sum_of_its_master_cells(files):
    public, warehouse = files
    sums = _sums(_masters(warehouse))
    figures = public.execute("select * from cohort_figures").df()
    # units x (from: 19 + 4 + 1) x (to: 19 + 4 + OUT + 1, and 5 shares x 6: one year after,
    # no share below a quarter of the quarters) x sex x age class
    assert len(figures) == 4 * 24 * (25 + 5 * 6) * 3 * 10
    assert not (figures["to_position"] == "P001").any()
    keys = ["geo_level", "geo_code", "cohort_year", "year", "measure", "from_position",
            "to_position", *DIMS]  # fmt: skip
    both = figures.merge(sums, on=keys, how="left", validate="one_to_one")
    both["published_persons"] = both["published_persons"].fillna(0)
    shown = both[both["status"] != "not_available"]
    published = shown[shown["persons"].notna()]
    assert (published["persons"] == published["published_persons"]).all()
    assert (shown.loc[shown["persons"].isna(), "published_persons"] == 0).all()
    assert len(published) >= 1000 and shown["persons"].isna().sum() >= 1000
    assert not ((published["persons"] >= 1) & (published["persons"] <= THRESHOLD)).any()


def test_a_missing_or_provisional_delivery_marks_the_figures_it_touches(files):
    """FOD SZ's 2024 file is missing: the cohort's positions n39, n4, G3 and G4 on 31 December
    2024 are not available (local_figures), so are all their figures; RVA's 2025 file is
    provisional: a figure is flagged when its from-position on 31 December 2024, its
    to-position on 31 December 2025, or for a share its group in any quarter of 2025, is
    flagged in local_figures (the same unit)."""
    public, _ = files
    stock = public.execute(
        "select geo_code, quarter, position, status, is_provisional from local_figures "
        "where geo_level in ('country', 'region') and sex = '_T' and age_class = '_T'"
    ).df()
    rows = public.execute("select * from cohort_figures").df()
    start = stock[stock["quarter"] == "2024Q4"]
    gone = start.loc[start["status"] == "not_available", "position"].unique()
    assert sorted(gone) == ["G3", "G4", "n39", "n4"]
    touched = rows["from_position"].isin(gone)
    assert (rows.loc[touched, "status"] == "not_available").all()
    assert (rows.loc[touched, "unavailable_sources"] == "fodss").all()
    assert (rows.loc[~touched, "status"] != "not_available").all()
    flagged = stock[stock["is_provisional"]]
    on_day = {(g, p) for g, q, p in zip(flagged.geo_code, flagged.quarter, flagged.position,
                                         strict=True) if q == "2025Q4"}  # fmt: skip
    in_year = {(g, p) for g, q, p in zip(flagged.geo_code, flagged.quarter, flagged.position,
                                          strict=True) if q.startswith("2025")}  # fmt: skip
    started = {(g, p) for g, q, p in zip(flagged.geo_code, flagged.quarter, flagged.position,
                                          strict=True) if q == "2024Q4"}  # fmt: skip
    assert in_year and not started

    def expected(row) -> bool:
        if row.measure == "position":
            return (row.geo_code, "_T" if row.to_position == "OUT" else row.to_position) in on_day
        return (row.geo_code, "_T" if row.measure == "OUT" else row.measure) in in_year

    shown = rows[~touched]
    want = [expected(row) for row in shown.itertuples()]
    assert (shown["is_provisional"].to_numpy() == np.array(want)).all()
    assert 0 < sum(want) < len(want)


def test_rows_are_the_stocks_and_the_year_after_is_the_mobility_table(files):
    """The relations the joint attack uses hold on the true counts: a cohort row of every
    measure is the stock of its region, position, sex and age class on the cohort's day (C,
    E); the measure 'position' over Belgium by sex is the mobility table of the year after
    without the entries (D)."""
    _, warehouse = files
    masters = _masters(warehouse)
    stock = warehouse.execute(
        "select region_code, position_code as from_position_code, sex, age_class, "
        "sum(persons) as persons from int_figure_cells where ref_date = '2024-12-31' "
        "group by all"
    ).df()
    stock = stock.set_index(["region_code", "from_position_code", *DIMS])["persons"]
    for measure in MEASURES:
        rows = masters[masters["measure"] == measure]
        rows = rows.groupby(["region_code", "from_position_code", *DIMS])["persons"].sum()
        assert len(rows) == len(stock) and (rows == stock.reindex(rows.index)).all(), measure
    flows = warehouse.execute(
        "select from_position_code, to_position_code, sex, sum(persons) as persons "
        "from int_mobility_cells where year = 2025 and from_position_code <> 'OUT' group by all"
    ).df()
    flows = flows.set_index(["from_position_code", "to_position_code", "sex"])["persons"]
    where = masters[masters["measure"] == "position"]
    where = where.groupby(["from_position_code", "to_position_code", "sex"])["persons"].sum()
    assert len(where) == len(flows) and (where == flows.reindex(where.index)).all()


def test_the_output_check_recomputes_the_cohort_figures(files, tmp_path):
    """The output check sums every cell's true count and master values itself (by cohort year
    and measure, the pair of sides each a category, a main group or a total), and names what
    is tampered with."""
    _, warehouse = files
    cohort = warehouse.execute(
        "select count(*) from int_person_quarter where ref_date = '2024-12-31'"
    ).fetchone()[0]
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(current().warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        cells = output_check._cells(con, "cohort_figures")
        clean = {"threshold": 0, "zeros": 0, "additivity": 0}
        assert output_check._violations("cohort_figures", cells, THRESHOLD) == clean
        assert cells["true_count"].max() == cohort  # Belgium, _T to _T: the whole cohort
        assert cells["finest"].sum() == 3 * 19 * (20 + 5 * 5) * 2 * 9  # no P001 a year after
        con.execute(
            "update cohort_figures set persons = persons + 7 where rowid = (select min(rowid) "
            "from cohort_figures where geo_level = 'country' and measure = 'G1' and "
            "from_position = 'G1' and to_position = 'P100' and sex = '_T' and age_class = '_T')"
        )
        con.execute(
            "update cohort_figures set persons = 3 where rowid = (select min(rowid) "
            "from cohort_figures where status = 'withheld')"
        )
        cells = output_check._cells(con, "cohort_figures")
        found = output_check._violations("cohort_figures", cells, THRESHOLD)
        assert found == {"threshold": 1, "zeros": 0, "additivity": 2}
        con.execute(
            "update int_cohort_cells set published_persons = 4 where rowid = (select "
            "min(rowid) from int_cohort_cells where persons = 2)"
        )
        wrong = output_check._master_violations(con, "int_cohort_cells", THRESHOLD, NOISE)
        assert wrong == 1
