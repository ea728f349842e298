"""Global figures: Belgium and the regions, by quarter or year, with composition and rates."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from figures import breakdown, position_labels, table
from i18n import name_column, t
from queries import geography, global_series, positions, publication, query

st.title(t("global"))
pub = publication()

geo = geography(pub)
units = geo[geo.geo_level.isin(["country", "region"])]
unit_names = dict(zip(units.geo_code, units[name_column()], strict=True))
pos = positions(pub)
labels = position_labels(pos)

c1, c2, c3, c4, c5 = st.columns(5)
chosen = c1.multiselect(
    t("geography"),
    list(unit_names),
    default=["01000"],
    format_func=unit_names.get,
    key="g_units",
    placeholder=t("choose"),
)
level = c2.radio(
    t("position_level"),
    ["main_groups", "categories"],
    format_func={k: t(k) for k in ("main_groups", "categories")}.get,
    key="g_level",
)
sex = breakdown(c3, pub, "sex", "g_sex")
age = breakdown(c4, pub, "age_class", "g_age")
nat = breakdown(c5, pub, "nationality_group", "g_nat")
by_year = st.toggle(t("year"), key="g_year")

shown_positions = (
    [f"G{g}" for g in range(1, 5)] if level == "main_groups" else pos.position_code.tolist()
)
data = query(pub, *global_series(chosen, [*shown_positions, "G1", "G2", "_T"], sex, age, nat))
if data.empty:
    st.stop()
period_column = t("year") if by_year else t("quarter")
data[period_column] = data.quarter.str[:4] if by_year else data.quarter
# a year's average is withheld when one of its quarters is (averaging the published quarters
# only would show a year of mostly small counts as 6 or more)
data = data.assign(withheld=data.persons.isna())
data = data.groupby(["geo_code", period_column, "position"], as_index=False).agg(
    persons=("persons", "mean"), withheld=("withheld", "any")
)
data["persons"] = np.floor(data.persons.mask(data.withheld) + 0.5)  # halves up, as Statbel
data = data.drop(columns="withheld")
data[t("geography")] = data.geo_code.map(unit_names)
data[t("position")] = data.position.map(labels)
period = f"{data[period_column].min()} – {data[period_column].max()}"

st.subheader(t("composition"))
parts = data[data.position.isin(shown_positions)].rename(columns={"persons": t("persons")})
chart = (
    alt.Chart(parts)
    .mark_area()
    .encode(
        x=alt.X(f"{period_column}:O"),
        y=alt.Y(f"{t('persons')}:Q", stack=True),
        color=alt.Color(f"{t('position')}:N"),
        row=alt.Row(f"{t('geography')}:N"),
        tooltip=[t("geography"), period_column, t("position"), t("persons")],
    )
    .properties(height=220, width=700)
)
st.altair_chart(chart, width="stretch")
table(
    parts[[t("geography"), period_column, t("position"), t("persons")]], "composition", pub, period
)

st.subheader(t("rates"))
totals = data[data.position == "_T"].set_index(["geo_code", period_column]).persons
groups = data[data.position.isin(["G1", "G2"])].copy()
groups["share"] = (
    100 * groups.persons / groups.set_index(["geo_code", period_column]).index.map(totals)
).round(1)
groups[t("indicator")] = groups.position.map(
    {"G1": t("share_working"), "G2": t("share_job_seekers")}
)
groups[t("geography")] = groups.geo_code.map(unit_names)
rates = groups.rename(columns={"share": t("share")})
st.altair_chart(
    alt.Chart(rates)
    .mark_line(point=True)
    .encode(
        x=f"{period_column}:O",
        y=f"{t('share')}:Q",
        color=f"{t('geography')}:N",
        strokeDash=f"{t('indicator')}:N",
        tooltip=[t("geography"), period_column, t("indicator"), t("share")],
    ),
    width="stretch",
)
table(
    pd.DataFrame(rates[[t("geography"), period_column, t("indicator"), t("share")]]),
    "rates",
    pub,
    period,
)
