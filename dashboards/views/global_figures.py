"""Global figures: Belgium and the regions, by quarter or year: the composition of the
population by position and the standard indicators, by sex, age class and nationality."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

import charts
import colours
import links
from figures import breakdown, position_labels, table
from i18n import lang, t
from marks import flag_labels, gap_marks, tips
from queries import (
    cached,
    codes,
    geography,
    global_series,
    indicator_series,
    indicators,
    linked,
    place_names,
    positions,
    publication,
    query,
    sources,
)

st.title(t("global"))
pub = publication()

geo = geography(pub)
units = geo[geo.geo_level.isin(["country", "region"])].geo_code.tolist()
names = place_names(geo)
pos = positions(pub)
labels = position_labels(pos)
dims = indicators(pub).set_index("indicator")
indicator_names = dict(zip(dims.index, dims[f"label_{lang()}"], strict=True))
institutions = sources(pub)

for key, column in (("g_sex", "sex"), ("g_age", "age_class"), ("g_nat", "nationality_group")):
    linked(key, codes(pub, column), "_T")
c1, c2, c3, c4, c5 = st.columns(5)
chosen = c1.multiselect(
    t("geography"),
    units,
    default=links.param("g_units", units, ["01000"]),
    format_func=names.get,
    key="g_units",
    placeholder=t("choose"),
    select_all=False,  # Streamlit writes it in English only, and Enter would add every match
)
grouping = ["main_groups", "categories"]
level = c2.radio(
    t("position_level"),
    grouping,
    index=grouping.index(links.param("g_level", grouping, "main_groups")),
    format_func={k: t(k) for k in grouping}.get,
    key="g_level",
)
sex = breakdown(c3, pub, "sex", "g_sex")
age = breakdown(c4, pub, "age_class", "g_age")
nat = breakdown(c5, pub, "nationality_group", "g_nat")
by_year = st.toggle(t("year"), value=links.param("g_year", [True, False], False), key="g_year")
links.share("g_units", "g_level", "g_sex", "g_age", "g_nat", "g_year")
if not chosen:
    st.stop()

period_column = t("year") if by_year else t("quarter")
SEVERITY = ["published", "withheld", "not_available"]


def order(column: pd.Series) -> pd.Series:
    """Sort key: indicators in their order, anything else as it is."""
    return column.map(list(dims.index).index) if column.name == "indicator" else column


def by_period(data: pd.DataFrame, keys: list[str], counts: list[str]) -> pd.DataFrame:
    """The figures by quarter, or by year: each count the average of the year's quarters
    (halves up, as Statbel), withheld when one of its quarters is (averaging the published
    ones only would show a year of small counts as 6 or more), not available when one is,
    provisional when one is."""
    data = data.assign(**{period_column: data.quarter.str[:4] if by_year else data.quarter})
    if not by_year:
        return data
    data["severity"] = data.status.map(SEVERITY.index)
    for column in ("unavailable_sources", "provisional_sources"):
        data[column] = data[column].fillna("")
    grouped = data.groupby([*keys, period_column], as_index=False)
    out = grouped.agg(
        **{c: (c, "mean") for c in counts},
        severity=("severity", "max"),
        is_provisional=("is_provisional", "any"),
        unavailable_sources=("unavailable_sources", lambda s: ",".join(sorted(set(s) - {""}))),
        provisional_sources=("provisional_sources", lambda s: ",".join(sorted(set(s) - {""}))),
    )
    out["status"] = out.severity.map(dict(enumerate(SEVERITY)))
    for c in counts:
        out[c] = np.floor(out[c].where(out.status == "published") + 0.5)
    return out.drop(columns="severity").replace({"unavailable_sources": {"": None}})


shown_positions = (
    [f"G{g}" for g in range(1, 5)] if level == "main_groups" else pos.position_code.tolist()
)
data = query(pub, *global_series(chosen, shown_positions, sex, age, nat))
parts = by_period(data, ["geo_code", "position"], ["persons"])
parts[t("geography")] = parts.geo_code.map(names)
parts[t("position")] = parts.position.map(labels)
parts = parts.rename(columns={"persons": t("persons")})
period = f"{parts[period_column].min()} – {parts[period_column].max()}"

st.subheader(t("composition"))
parts["order"] = parts.position.map(shown_positions.index)
parts["flag"] = flag_labels(parts)
parts = parts.sort_values(["geo_code", period_column, "order"])


@cached(100)
def composition_chart(shown: list[str], labels: dict, period_column: str, language: str) -> dict:
    """The template of the composition chart (charts.py): stacked areas of the positions, the
    flagged figures marked, a row per unit."""
    area = (
        alt.Chart()
        .mark_area()
        .encode(
            x=alt.X(f"{period_column}:O"),
            y=alt.Y(f"{t('persons')}:Q", stack=True),
            color=alt.Color(f"{t('position')}:N", scale=colours.scale(shown, labels)),
            order=alt.Order("order:Q"),
            tooltip=tips(
                f"{t('geography')}:N",
                f"{period_column}:O",
                f"{t('position')}:N",
                f"{t('persons')}:Q",
                "flag:N",
            ),
        )
    )
    marks = gap_marks(period_column, t("persons"), on_axis=True)
    return charts.per_unit(area, marks)


charts.show(
    composition_chart(shown_positions, labels, period_column, lang()), parts, width="stretch"
)
flags = ["status", "is_provisional", "unavailable_sources", "provisional_sources"]
table(
    parts[[t("geography"), period_column, t("position"), t("persons"), *flags]],
    "composition",
    pub,
    period,
    sources=institutions,
    annual=by_year,
)

st.subheader(t("indicators"))
default_indicators = ["employment_rate_20_64", "job_seeker_rate", "inactivity_rate"]
picked = st.multiselect(
    t("indicators"),
    list(dims.index),
    default=links.param("g_indicators", list(dims.index), default_indicators),
    format_func=indicator_names.get,
    key="g_indicators",
    placeholder=t("choose"),
    select_all=False,
)
links.share("g_indicators")
st.caption(t("indicators_ages"))
for code in picked:
    with st.expander(t("definition_of", name=indicator_names[code])):
        st.write(dims.loc[code, f"definition_{lang()}"])
        numerator = dims.loc[code, f"numerator_label_{lang()}"]
        denominator = dims.loc[code, f"denominator_label_{lang()}"]
        st.write(f"**{t('numerator')}**: {numerator}  \n**{t('denominator')}**: {denominator}")
rates = by_period(
    query(pub, *indicator_series(chosen, picked, sex, nat)),
    ["geo_code", "indicator"],
    ["numerator", "denominator"],
)
if by_year:
    rates["rate"] = 100 * rates.numerator / rates.denominator
rates[t("geography")] = rates.geo_code.map(names)
rates[t("indicator")] = rates.indicator.map(indicator_names)
rates = rates.rename(
    columns={"numerator": t("numerator"), "denominator": t("denominator"), "rate": t("rate")}
)
rates["flag"] = flag_labels(rates)
rates = rates.sort_values(["geo_code", "indicator", period_column], key=order)


@cached(100)
def rates_chart(period_column: str, language: str) -> dict:
    """The template of the indicators' chart: a line per unit and indicator."""
    lines = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{period_column}:O"),
            y=alt.Y(f"{t('rate')}:Q"),
            color=alt.Color(f"{t('geography')}:N"),
            strokeDash=alt.StrokeDash(f"{t('indicator')}:N"),
            tooltip=tips(
                f"{t('geography')}:N",
                f"{period_column}:O",
                f"{t('indicator')}:N",
                f"{t('rate')}:Q",
                "flag:N",
            ),
        )
    )
    return charts.spec(alt.layer(lines, gap_marks(period_column, t("rate")), data=charts.DATA))


charts.show(rates_chart(period_column, lang()), rates, width="stretch")
table(
    rates[
        [
            t("geography"),
            period_column,
            t("indicator"),
            t("numerator"),
            t("denominator"),
            t("rate"),
            *flags,
        ]
    ],
    "rates",
    pub,
    period,
    sources=institutions,
    definitions={indicator_names[c]: dims.loc[c, f"definition_{lang()}"] for c in picked},
    decimals={t("rate"): 1},
    annual=by_year,
)
