"""The rules of the domain that every synthetic row must keep (and real rows keep).

They are written from the law and the code lists, not learned from the data, so a model that
smooths over them is caught: working children, pensions at implausible ages, employment
details on positions without a salaried job, municipality codes outside their validity.
"""

import pandas as pd

# Positions with a salaried main or side job (DmfA lines): these, and only these, carry details.
JOB_POSITIONS = frozenset({"n11x", "n141", "n142", "n143"})
DETAIL_COLUMNS = (
    "nace_section",
    "worker_code",
    "time_regime",
    "part_time_pct",
    "days_paid",
    "gross_wage",
    "job_lines",
    "total_gross_wage",
)
MIN_WORKING_AGE = 15  # child labour is forbidden below 15 (law of 16 March 1971)
# Pension-like positions: retirement (early retirement from 60; survivors below 55 get a
# transition allowance, not a pension), unemployment with company supplement, pre-retirement.
MIN_AGE = {"n34": 55, "n35": 50, "n36": 50}
MAX_AGE = {"n37": 24}  # family allowances end at 25


def age_rules(position: pd.Series, age: pd.Series, main_group: pd.Series) -> dict[str, pd.Series]:
    """For each rule on age, which persons (position, age, main group) break it."""
    return {
        "working_under_15": (main_group == 1) & (age < MIN_WORKING_AGE),
        "position_below_its_minimum_age": age < position.map(MIN_AGE).fillna(0),
        "position_above_its_maximum_age": age > position.map(MAX_AGE).fillna(999),
    }


def broken(rows: pd.DataFrame, municipalities: pd.DataFrame) -> dict[str, pd.Series]:
    """For each rule, which rows break it. ``rows`` has the columns of the synthetic table;
    ``municipalities`` has nis_code, valid_from, valid_to (NULL: still valid)."""
    position = rows["position_code"]
    job = position.isin(JOB_POSITIONS)
    details = rows[list(DETAIL_COLUMNS)].notna()
    valid = rows[["nis_code", "ref_date"]].reset_index().merge(municipalities, on="nis_code")
    valid = valid[
        (valid["valid_from"] <= valid["ref_date"])
        & (valid["valid_to"].isna() | (valid["ref_date"] <= valid["valid_to"]))
    ]
    return {
        **age_rules(position, rows["age"], rows["main_group_code"]),
        "employment_details_without_a_job": ~job & details.any(axis=1),
        "job_without_employment_details": job & ~details.all(axis=1),
        "total_wage_below_main_wage": rows["total_gross_wage"] < rows["gross_wage"],
        "municipality_not_valid_on_the_date": ~rows.index.isin(valid["index"]),
    }


def count(rows: pd.DataFrame, municipalities: pd.DataFrame) -> dict[str, int]:
    return {rule: int(mask.sum()) for rule, mask in broken(rows, municipalities).items()}
