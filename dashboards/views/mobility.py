"""Short-term mobility: the position on 31 December of the year before against that of the
chosen year, in Belgium or a region, by sex, age class and nationality group (the
mobility_figures table), as a heat-map and a table."""

import altair as alt
import streamlit as st

import charts
import formats
import links
from figures import FLAGS, breakdown, definitions_section, position_labels, table
from i18n import lang, t
from marks import flag_labels, gap_markers, tips
from queries import (
    cached,
    codes,
    geography,
    linked,
    place_labels,
    positions,
    publication,
    query,
    sources,
)

OUT = "OUT"

st.title(t("mobility"))
pub = publication()
geo = geography(pub)
names = place_labels(geo)
units = geo[geo.geo_level.isin(["country", "region"])].sort_values("geo_code").geo_code.tolist()
years = query(pub, "select distinct year from mobility_figures order by 1")["year"].tolist()
if not years:
    st.stop()
pos = positions(pub)
labels = {**position_labels(pos), OUT: t("mobility_out")}

st.caption(t("mobility_about"))
for key, column in (("m_sex", "sex"), ("m_age", "age_class"), ("m_nat", "nationality_group")):
    linked(key, codes(pub, column), "_T")
c1, c2, c3 = st.columns([1, 2, 2])
year = c1.selectbox(
    t("year"), years, index=years.index(links.param("m_year", years, years[-1])), key="m_year"
)
unit = c2.selectbox(
    t("geography"),
    units,
    index=units.index(links.param("m_unit", units, "01000")),
    format_func=names.get,
    key="m_unit",
)
grouping = ["main_groups", "categories"]
level = c3.radio(
    t("position_level"),
    grouping,
    index=grouping.index(links.param("m_level", grouping, "main_groups")),
    format_func={k: t(k) for k in grouping}.get,
    key="m_level",
    horizontal=True,
)
c4, c5, c6 = st.columns(3)
sex = breakdown(c4, pub, "sex", "m_sex")
age = breakdown(c5, pub, "age_class", "m_age")
nat = breakdown(c6, pub, "nationality_group", "m_nat")
links.share("m_year", "m_unit", "m_level", "m_sex", "m_age", "m_nat")

shown = [f"G{g}" for g in range(1, 5)] if level == "main_groups" else pos.position_code.tolist()
order = [*shown, OUT, "_T"]
data = query(
    pub,
    f"select from_position, to_position, persons, {', '.join(FLAGS)} from mobility_figures "
    "where year = ? and geo_code = ? and sex = ? and age_class = ? and nationality_group = ? "
    "and list_contains(?, from_position) and list_contains(?, to_position)",
    (year, unit, sex, age, nat, order, order),
)
data = data.assign(
    row=data.from_position.map(order.index), column=data.to_position.map(order.index)
).sort_values(["row", "column"])
data[t("mobility_from")] = data.from_position.map(labels)
data[t("mobility_to")] = data.to_position.map(labels)
data["flag"] = flag_labels(data)
data = data.rename(columns={"persons": t("persons")})
axis = [labels[code] for code in order]
data["label"] = formats.numbers(data[t("persons")])  # as the language writes counts
data["label"] = data.status.map(gap_markers()).fillna(data.label)  # or the gap's marker


@cached(100)
def heat_map(axis: list[str], language: str) -> dict:
    """The template of the heat-map (charts.py): from-positions down, to-positions across,
    the count in colour and in words (the marker where withheld or not available)."""
    source, target, persons = t("mobility_from"), t("mobility_to"), t("persons")
    base = alt.Chart().encode(
        x=alt.X(f"{target}:N", sort=axis, axis=alt.Axis(labelAngle=-40, labelLimit=180)),
        y=alt.Y(f"{source}:N", sort=axis, axis=alt.Axis(labelLimit=240)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(f"{persons}:Q", scale=alt.Scale(scheme="blues", type="symlog")),
        tooltip=tips(f"{source}:N", f"{target}:N", f"{persons}:Q", "flag:N"),
    )
    words = base.mark_text(fontSize=10).encode(text=alt.Text("label:N"))
    return charts.spec(alt.layer(cells, words, data=charts.DATA))


charts.show(heat_map(axis, lang()), data, width="stretch")

definitions = {
    labels[OUT]: t("mobility_out_definition"),
    labels["_T"]: t("mobility_total_definition"),
}
table(
    data[[t("mobility_from"), t("mobility_to"), t("persons"), *FLAGS]],
    "mobility",
    pub,
    f"{year - 1}-12-31 – {year}-12-31",
    sources=sources(pub),
    definitions=definitions,
)
definitions_section(definitions)
