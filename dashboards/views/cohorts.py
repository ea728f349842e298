"""Long-term mobility: the persons in a position on 31 December of a chosen year (a cohort),
in Belgium or a region, by sex and age class, followed to 31 December of every later year, and
the share of the quarters they spent in each main group (the cohort_figures table), as
stacked bars and tables."""

import altair as alt
import streamlit as st

import charts
import colours
import links
from figures import FLAGS, breakdown, definitions_section, position_labels, table
from i18n import lang, t
from marks import flag_labels, gap_marks, tips
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
OUT_COLOUR = "#c7c7c7"  # light grey: the one colour of Tableau 20 the positions leave
GROUPS = ["G1", "G2", "G3", "G4", OUT]
SHARES = ["P000", "P001", "P025", "P050", "P075", "P100"]

st.title(t("cohorts"))
pub = publication()
geo = geography(pub)
names = place_labels(geo)
units = geo[geo.geo_level.isin(["country", "region"])].sort_values("geo_code").geo_code.tolist()
spans = query(pub, "select distinct cohort_year, year from cohort_figures order by 1, 2")
if spans.empty:
    st.stop()
cohort_years = sorted(spans.cohort_year.unique().tolist())
pos = positions(pub)
labels = {**position_labels(pos), OUT: t("cohort_out")}
starts = ["_T", *(f"G{g}" for g in range(1, 5)), *pos.position_code]
share_labels = dict(
    zip(
        SHARES,
        [t("share_none"), t("share_quarter"), t("share_half"), t("share_three_quarters"),
         t("share_most"), t("share_all")],
        strict=True,
    )
)  # fmt: skip

st.caption(t("cohorts_about"))
for key, column in (("c_sex", "sex"), ("c_age", "age_class")):
    linked(key, codes(pub, column), "_T")
c1, c2, c3 = st.columns([1, 2, 2])
cohort = c1.selectbox(
    t("cohort_year"),
    cohort_years,
    index=cohort_years.index(links.param("c_year", cohort_years, cohort_years[-1])),
    key="c_year",
)
start = c2.selectbox(
    t("cohort_start"),
    starts,
    index=starts.index(links.param("c_start", starts, "G2")),
    format_func=labels.get,
    key="c_start",
)
unit = c3.selectbox(
    t("geography"),
    units,
    index=units.index(links.param("c_unit", units, "01000")),
    format_func=names.get,
    key="c_unit",
)
c4, c5, c6 = st.columns(3)
sex = breakdown(c4, pub, "sex", "c_sex")
age = breakdown(c5, pub, "age_class", "c_age")
grouping = ["main_groups", "categories"]
level = c6.radio(
    t("position_level"),
    grouping,
    index=grouping.index(links.param("c_level", grouping, "main_groups")),
    format_func={k: t(k) for k in grouping}.get,
    key="c_level",
    horizontal=True,
)
later_years = spans[spans.cohort_year == cohort].year.tolist()
end = st.selectbox(
    t("cohort_span"),
    later_years,
    index=later_years.index(links.param("c_end", later_years, later_years[-1])),
    key="c_end",
)
links.share("c_year", "c_start", "c_unit", "c_sex", "c_age", "c_level", "c_end")
cohort_cell = "cohort_year = ? and geo_code = ? and from_position = ? and sex = ? and age_class = ?"
chosen = (cohort, unit, start, sex, age)

shown = [f"G{g}" for g in range(1, 5)] if level == "main_groups" else pos.position_code.tolist()
order = [*shown, OUT]
where = query(
    pub,
    f"select year, to_position, persons, {', '.join(FLAGS)} from cohort_figures "
    f"where {cohort_cell} and measure = 'position' and list_contains(?, to_position)",
    (*chosen, order),
)
where = where.assign(order=where.to_position.map(order.index)).sort_values(["year", "order"])
where[t("year")] = where.year.astype(str)  # a year, not a count: no thousands mark
where[t("cohort_later")] = where.to_position.map(labels)
where["flag"] = flag_labels(where)
where = where.rename(columns={"persons": t("persons")})


@cached(100)
def where_chart(codes: list[str], labels: dict, language: str) -> dict:
    """The template of the cohort chart (charts.py): a stacked bar per later year, coloured
    by the position that day (the positions' fixed colours, light grey for those who left),
    the flagged figures marked on the axis."""
    domain = [labels[c] for c in codes]
    scale = alt.Scale(domain=domain, range=[colours.COLOURS.get(c, OUT_COLOUR) for c in codes])
    year, later, persons = t("year"), t("cohort_later"), t("persons")
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X(f"{year}:O"),
            y=alt.Y(f"{persons}:Q", stack="zero"),
            color=alt.Color(f"{later}:N", scale=scale, sort=domain),
            order=alt.Order("order:Q"),
            tooltip=tips(f"{year}:O", f"{later}:N", f"{persons}:Q", "flag:N"),
        )
    )
    return charts.spec(alt.layer(bars, gap_marks(year, persons, on_axis=True), data=charts.DATA))


st.subheader(t("cohort_where"))
charts.show(where_chart(order, labels, lang()), where, width="stretch")
table(
    where[[t("year"), t("cohort_later"), t("persons"), *FLAGS]],
    "cohorts",
    pub,
    f"{cohort}-12-31 – {max(later_years)}-12-31",
    sources=sources(pub),
)

shares = query(
    pub,
    f"select measure, to_position, persons, {', '.join(FLAGS)} from cohort_figures "
    f"where {cohort_cell} and year = ? and measure <> 'position' and to_position <> '_T'",
    (*chosen, end),
)
shares = shares.assign(
    order=shares.measure.map(GROUPS.index) * 10 + shares.to_position.map(SHARES.index)
).sort_values("order")
shares[t("cohort_group")] = shares.measure.map(labels)
shares[t("cohort_share")] = shares.to_position.map(share_labels)
shares["flag"] = flag_labels(shares)
shares = shares.rename(columns={"persons": t("persons")})


@cached(100)
def shares_chart(groups: list[str], classes: list[str], language: str) -> dict:
    """The template of the shares chart: a bar per group, split by the class of the share of
    the quarters spent in it (light to dark: none to all)."""
    group, share, persons = t("cohort_group"), t("cohort_share"), t("persons")
    bars = (
        alt.Chart(data=charts.DATA)
        .mark_bar()
        .encode(
            y=alt.Y(f"{group}:N", sort=groups),
            x=alt.X(f"{persons}:Q", stack="zero"),
            color=alt.Color(
                f"{share}:N", scale=alt.Scale(domain=classes, scheme="blues"), sort=classes
            ),
            order=alt.Order("order:Q"),
            tooltip=tips(f"{group}:N", f"{share}:N", f"{persons}:Q", "flag:N"),
        )
    )
    return charts.spec(bars)


st.subheader(t("cohort_shares"))
st.caption(t("cohort_span_caption", start=f"{cohort + 1}Q1", end=f"{end}Q4"))
group_labels = [labels[g] for g in GROUPS]
charts.show(
    shares_chart(group_labels, list(share_labels.values()), lang()), shares, width="stretch"
)
definitions = {
    t("cohort_year"): t("cohort_definition"),
    labels[OUT]: t("cohort_out_definition"),
    t("cohort_share"): t("cohort_shares_definition"),
}
table(
    shares[[t("cohort_group"), t("cohort_share"), t("persons"), *FLAGS]],
    "cohort_shares",
    pub,
    f"{cohort + 1}Q1 – {end}Q4",
    sources=sources(pub),
    definitions=definitions,
)
definitions_section(definitions)
