"""Rounded bounds for the numeric columns, so that no released value is a real extreme.

A synthesizer that keeps the range of its training data releases the single lowest and
highest wage, the oldest person's age: real values of identifiable people. Every numeric
column is clipped instead to a low and a high percentile of the fit sample, rounded inward to
a round step (100 EUR for wages, 5 years for age). The percentile is the 1st and 99th, or
further in when the sample is small, so that at least ``threshold + 1`` real persons lie at
or beyond each bound: a bound equals a real extreme only when that many persons hold it. Age
starts at 0, a public bound (the first age class of the figures).
"""

import math

import pandas as pd

STEPS = {  # column -> the rounding step of its bounds
    "age": 5,
    "part_time_pct": 1,
    "days_paid": 1,
    "job_lines": 1,
    "gross_wage": 100,
    "total_gross_wage": 100,
}
WAGES = ("gross_wage", "total_gross_wage")  # one pair of bounds, so the main <= the total
# Public lower bounds: age starts at 0 with the first age class of the figures (and newborns).
PUBLIC_LOW = {"age": 0}
SHARE = 0.01  # the percentile of each bound, at least


def bounds(fit: pd.DataFrame, threshold: int) -> dict[str, tuple[float, float]]:
    """Each numeric column's (low, high): the percentiles at ``SHARE`` (or ``threshold + 1``
    persons, if more) rounded inward to the column's step, or a public lower bound. The wages
    share one pair: the main wage's low, the total wage's high."""

    def inward(values: pd.Series, step: int) -> tuple[float, float]:
        values = values.dropna().astype(float)
        if values.empty:
            return (0, 0)
        share = max(SHARE, (threshold + 1) / len(values))
        low, high = values.quantile([share, 1 - share], interpolation="lower").to_numpy()
        low, high = math.ceil(low / step) * step, math.floor(high / step) * step
        return (low, high) if low <= high else (high, high)

    out = {c: inward(fit[c], step) for c, step in STEPS.items() if c not in WAGES}
    out.update({c: (low, out[c][1]) for c, low in PUBLIC_LOW.items()})
    low, _ = inward(fit["gross_wage"], STEPS["gross_wage"])
    _, high = inward(fit["total_gross_wage"], STEPS["total_gross_wage"])
    out.update(dict.fromkeys(WAGES, (low, max(low, high))))
    return out


def clip(rows: pd.DataFrame, limits: dict[str, tuple[float, float]]) -> pd.DataFrame:
    """``rows`` with every bounded column that it has clipped to its bounds (missing values
    stay missing)."""
    out = rows.copy()
    for column, (low, high) in limits.items():
        if column in out:
            out[column] = out[column].clip(low, high)
    return out
