"""Numbers, percentages and dates as each language writes them in Belgium, on the pages and
in the charts: NL 1.234,5; FR 1 234,5 (a narrow no-break space between thousands); EN 1,234.5."""

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal

import altair as alt
import pandas as pd

from i18n import lang

# Streamlit has Altair check each finished chart against the whole Vega-Lite schema on every
# run (a quarter of a page run on the national publication). The charts are the pages' fixed
# code: the tests check every chart of every page against the schema (test_dashboards.py);
# the server leaves the check out (once per process: this module is imported once).
for _kind in (alt.TopLevelMixin, alt.Chart):
    _kind.to_dict = functools.partialmethod(_kind.to_dict, validate=False)

# decimal mark and thousands separator of each language
SEPARATORS = {"nl": (",", "."), "fr": (",", "\u202f"), "en": (".", ",")}
# the euro sign before and after an amount (Vega's number locale wants it)
CURRENCY = {"nl": ["€\u00a0", ""], "fr": ["", "\u00a0€"], "en": ["€", ""]}
# the percent sign as written after a number (French puts a narrow no-break space before it)
PERCENT = {"nl": "%", "fr": "\u202f%", "en": "%"}
MONTHS = {
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "en": "January February March April May June July August September October November December",
}


def rounded(value, decimals: int = 0) -> Decimal:
    """``value`` rounded to ``decimals`` as Statbel rounds (halves away from zero) the
    shortest decimal text of the value (0.285, not 0.28499...); never -0."""
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return exact if exact else abs(exact)


def number(value, decimals: int = 0) -> str:
    """``value`` rounded to ``decimals`` (see :func:`rounded`) with the decimal mark and
    thousands separator of the chosen language; "" for a missing value."""
    return numbers([value], decimals)[0]


def numbers(values, decimals: int = 0) -> list[str]:
    """:func:`number` of each value (the language read once: a column of a table)."""
    decimal, thousands = SEPARATORS[lang()]
    swap = str.maketrans({",": thousands, ".": decimal})
    return [
        ""
        if pd.isna(v)
        else (
            f"{int(v):,}"  # a count: nothing to round (the common case, and 20 times faster)
            if decimals == 0 and float(v).is_integer()
            else f"{rounded(v, decimals):,.{decimals}f}"
        ).translate(swap)
        for v in values
    ]


def percent(value, decimals: int = 1) -> str:
    """A percentage (40.4 for 40.4 %) as the chosen language writes it; "" when missing."""
    return "" if pd.isna(value) else number(value, decimals) + PERCENT[lang()]


def date(day: datetime.date | str, *, time: bool = False) -> str:
    """A day (or an ISO string) written out in the chosen language: 31 december 2025,
    31 décembre 2025, 31 December 2025; with ``time``, the hour and minute after it."""
    moment = datetime.datetime.fromisoformat(day) if isinstance(day, str) else day
    month = MONTHS[lang()].split()[moment.month - 1]
    text = f"{moment.day} {month} {moment.year}"
    if time and isinstance(moment, datetime.datetime):
        text += f" {moment.hour:02d}:{moment.minute:02d}"
    return text


def parse(text: str) -> float:
    """The number a text written by :func:`number` in the chosen language stands for."""
    decimal, thousands = SEPARATORS[lang()]
    return float(text.replace(thousands, "").replace(decimal, "."))


def vega_locale() -> dict:
    """The chosen language's number locale as Vega (d3-format) reads it."""
    decimal, thousands = SEPARATORS[lang()]
    return {
        "decimal": decimal,
        "thousands": thousands,
        "grouping": [3],
        "currency": CURRENCY[lang()],
    }


def localised(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with the chosen language's number locale, so that its axes and tooltips write
    numbers as the pages do (grouped thousands, at most the decimals the value has)."""
    return chart.configure(locale={"number": vega_locale()}, numberFormat=",~f")
