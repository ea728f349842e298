"""Disability: persons with a recognised disability status (a care budget or an allowance for
assistance to the elderly, a parking card) by quarter, in Belgium, the regions, provinces and
arrondissements, by sex and age class (the disability_figures table)."""

import altair as alt
import streamlit as st

import charts
import colours
import links
from figures import FLAGS, breakdown, definitions_section, table
from i18n import lang, t
from marks import flag_labels, gap_marks, tips
from queries import (
    cached,
    codes,
    disability_series,
    geography,
    linked,
    place_labels,
    publication,
    query,
    sources,
)

st.title(t("disability"))
pub = publication()
geo = geography(pub)
names = place_labels(geo)  # with the level and code: a province and an arrondissement share names
levels = ["country", "region", "province", "arrondissement"]  # not finer: see the README
units = geo[geo.geo_level.isin(levels)].sort_values("geo_code").geo_code.tolist()
statuses = query(
    pub, "select * from dim_disability_status where is_published order by precedence"
).set_index("disability_status")
labels = {"_T": t("disability_any"), **statuses[f"label_{lang()}"].to_dict()}

st.caption(t("disability_about"))
for key, column in (("d_sex", "sex"), ("d_age", "age_class")):
    linked(key, codes(pub, column), "_T")
c1, c2, c3 = st.columns([3, 1, 1])
chosen = c1.multiselect(
    t("geography"),
    units,
    default=links.param("d_units", units, ["01000"]),
    format_func=names.get,
    key="d_units",
    placeholder=t("choose"),
    select_all=False,
)
sex = breakdown(c2, pub, "sex", "d_sex")
age = breakdown(c3, pub, "age_class", "d_age")
links.share("d_units", "d_sex", "d_age")
if not chosen:
    st.stop()

data = query(pub, *disability_series(chosen, sex, age))
data[t("geography")] = data.geo_code.map(names)
data[t("disability_status")] = data.disability_status.map(labels)
data[t("quarter")] = data.quarter
data["flag"] = flag_labels(data)
data = data.rename(columns={"persons": t("persons")})
order = list(labels)
data = data.assign(order=data.disability_status.map(order.index))
data = data.sort_values(["geo_code", "quarter", "order"])


@cached(100)
def disability_chart(order: list[str], labels: dict, language: str) -> dict:
    """The template of the chart (charts.py): a line per status, a row per unit."""
    lines = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{t('quarter')}:O"),
            y=alt.Y(f"{t('persons')}:Q"),
            color=alt.Color(f"{t('disability_status')}:N", scale=colours.scale(order, labels)),
            tooltip=tips(
                f"{t('geography')}:N",
                f"{t('quarter')}:O",
                f"{t('disability_status')}:N",
                f"{t('persons')}:Q",
                "flag:N",
            ),
        )
    )
    marks = gap_marks(t("quarter"), t("persons"))
    return charts.per_unit(lines, marks)


charts.show(disability_chart(order, labels, lang()), data, width="stretch")
quarters = data.quarter.unique()
definitions = {labels[code]: text for code, text in statuses[f"definition_{lang()}"].items()}
table(
    data[[t("geography"), t("quarter"), t("disability_status"), t("persons"), *FLAGS]],
    "disability",
    pub,
    f"{min(quarters)} – {max(quarters)}",
    sources=sources(pub),
    definitions=definitions,
)
definitions_section(definitions)
