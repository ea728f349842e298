"""Short-term mobility: the transitions are what the person-quarters of two consecutive
31 Decembers say; the mobility figures are sums of their own master cells, never from 1 to the
threshold, and the joint attack on them and the stock figures of both days pins nothing (the
session's warehouse, tests/conftest.py: 2024 and 2025, so one transition year, 2025)."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from dwh.publish import disclosure_parameters
from dwh.serving.publication import current

THRESHOLD, NOISE = disclosure_parameters().values()
DIMS = ["sex", "age_class", "nationality_group"]
DETAILS = ["time_regime", "part_time_class", "nace_section", "daily_wage_class", "worker_group"]
# The classes of the employment details, written out here (README, "Short-term mobility").
WORKER_GROUPS = {"015": "manual", "495": "white_collar", "675": "civil_servant", "840": "student"}
WAGE_BOUNDS = [0, 100, 150, 200, 250, np.inf]
WAGE_CLASSES = ["W000", "W100", "W150", "W200", "W250"]


@pytest.fixture(scope="module")
def files(built):
    pub = current()
    with (
        duckdb.connect(str(pub.public), read_only=True) as public,
        duckdb.connect(str(pub.warehouse), read_only=True) as warehouse,
    ):
        yield public, warehouse


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
