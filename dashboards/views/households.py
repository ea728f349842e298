"""Households: households on the last day of each quarter by type, in Belgium down to the
municipality, by size and by the reference person's sex, age class or nationality group (the
household_figures table)."""

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
    geography,
    household_series,
    linked,
    place_labels,
    publication,
    query,
    sources,
)

st.title(t("households_page"))
pub = publication()
geo = geography(pub)
names = place_labels(geo)
units = geo.sort_values("geo_code").geo_code.tolist()
types = query(pub, "select * from dim_household_type order by sort_order").set_index(
    "household_type"
)
labels = {"_T": t("total"), **types[f"label_{lang()}"].to_dict()}
sizes = query(pub, "select * from dim_household_size order by min_members")
size_labels = {
    "_T": t("total"),
    **dict(zip(sizes.household_size, sizes[f"label_{lang()}"], strict=True)),
}

st.caption(t("households_about"))
for key, column in (("h_sex", "sex"), ("h_age", "age_class"), ("h_nat", "nationality_group")):
    linked(key, codes(pub, column), "_T")
c1, c2 = st.columns([3, 1])
chosen = c1.multiselect(
    t("geography"),
    units,
    default=links.param("h_units", units, ["01000"]),
    format_func=names.get,
    key="h_units",
    placeholder=t("choose"),
    select_all=False,
)
size = c2.selectbox(
    t("household_size"),
    list(size_labels),
    index=list(size_labels).index(links.param("h_size", list(size_labels), "_T")),
    format_func=size_labels.get,
    key="h_size",
)
st.caption(t("reference_person"))
c3, c4, c5 = st.columns(3)
person = {
    "sex": breakdown(c3, pub, "sex", "h_sex"),
    "age_class": breakdown(c4, pub, "age_class", "h_age"),
    "nationality_group": breakdown(c5, pub, "nationality_group", "h_nat"),
}
links.share("h_units", "h_size", "h_sex", "h_age", "h_nat")
if not chosen:
    st.stop()

data = query(pub, *household_series(chosen, size, *person.values()))
if data.empty:
    st.info(t("households_none"))
    st.stop()
data[t("geography")] = data.geo_code.map(names)
data[t("household_type")] = data.household_type.map(labels)
data[t("quarter")] = data.quarter
data["flag"] = flag_labels(data)
data = data.rename(columns={"households": t("households")})
order = list(labels)
data = data.assign(order=data.household_type.map(order.index))
data = data.sort_values(["geo_code", "quarter", "order"])
kinds = [code for code in order if code != "_T"]


@cached(100)
def households_chart(kinds: list[str], labels: dict, language: str) -> dict:
    """The template of the chart (charts.py): stacked bars of the types, a row per unit."""
    bars = (
        alt.Chart()
        .transform_filter(alt.FieldOneOfPredicate(field="household_type", oneOf=kinds))
        .mark_bar()
        .encode(
            x=alt.X(f"{t('quarter')}:O"),
            y=alt.Y(f"{t('households')}:Q", stack="zero"),
            color=alt.Color(f"{t('household_type')}:N", scale=colours.scale(kinds, labels)),
            order=alt.Order("order:Q"),
            tooltip=tips(
                f"{t('geography')}:N",
                f"{t('quarter')}:O",
                f"{t('household_type')}:N",
                f"{t('households')}:Q",
                "flag:N",
            ),
        )
    )
    marks = gap_marks(t("quarter"), t("households"), on_axis=True)
    return charts.per_unit(bars, marks)


charts.show(households_chart(kinds, labels, lang()), data, width="stretch")
quarters = data.quarter.unique()
definitions = {labels[code]: text for code, text in types[f"definition_{lang()}"].items()}
definitions[t("reference_person")] = t("reference_person_definition")
table(
    data[[t("geography"), t("quarter"), t("household_type"), t("households"), *FLAGS]],
    "households",
    pub,
    f"{min(quarters)} – {max(quarters)}",
    sources=sources(pub),
    definitions=definitions,
)
definitions_section(definitions)
