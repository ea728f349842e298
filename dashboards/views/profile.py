"""Profile of a unit (a municipality, arrondissement, province, region or Belgium): its
population by main group over the quarters, and every indicator beside the levels above it,
laid out to be read on paper (the choice made is written out; no widget needed to read)."""

import altair as alt
import streamlit as st

import charts
import colours
import formats
import links
from figures import FLAGS, breakdown, position_labels, table
from i18n import lang, t
from marks import flag_labels, gap_marks, tips
from queries import (
    cached,
    chain,
    codes,
    geography,
    in_quarter,
    indicator_series,
    indicators,
    level_names,
    linked,
    local_series,
    municipalities,
    place_labels,
    place_names,
    positions,
    publication,
    quarter_day,
    quarters,
    query,
    sources,
)

# on paper: no navigation, choosers or download buttons
PRINT = """
<style>
@media print {
  header, [data-testid="stSelectbox"], [data-testid="stDownloadButton"],
  [data-testid="stPopover"], [data-testid="stSegmentedControl"] { display: none !important; }
  [data-testid="stVegaLiteChart"], [data-testid="stDataFrame"] { break-inside: avoid; }
}
</style>
"""
GROUPS = ["G1", "G2", "G3", "G4", "_T"]

st.html(PRINT)
st.title(t("profile"))
pub = publication()

geo = geography(pub)
names, levels, institutions = place_names(geo), level_names(), sources(pub)
labels = position_labels(positions(pub))
dims = indicators(pub).set_index("indicator")
indicator_names = dict(zip(dims.index, dims[f"label_{lang()}"], strict=True))
available = quarters(pub)

chosen_labels = place_labels(geo)
everywhere = list(chosen_labels)
linked("p_sex", codes(pub, "sex"), "_T")
c1, c2 = st.columns([3, 1])
unit = c1.selectbox(
    t("choose_unit"),
    everywhere,
    index=everywhere.index(links.param("p_unit", everywhere, "01000")),
    format_func=chosen_labels.get,
    key="p_unit",
)
sex = breakdown(c2, pub, "sex", "p_sex")
links.share("p_unit", "p_sex")
sex_label = (
    t("total")
    if sex == "_T"
    else query(
        pub, f"select label_{lang()} as label from dim_sex where sex = ?", (sex,)
    ).label.iloc[0]
)

st.header(chosen_labels[unit])
st.write(t("profile_about", sex=sex_label, first=available[0], last=available[-1]))
munis = municipalities(pub)
for quarter in (available[0], available[-1]):  # a unit merged, or made, in the period
    standing, why = in_quarter(munis, quarter_day(pub, quarter), unit)
    if why == "merged":
        new = standing[0]
        st.info(t("merged", old=names[unit], quarter=quarter, new=names[new], code=new))
    elif why == "predecessors":
        old = ", ".join(f"{names[c]} ({c})" for c in standing)
        start = munis.set_index("nis_code").valid_from[unit]
        st.info(t("exists_from", new=names[unit], day=formats.date(start), old=old))

st.subheader(t("groups_by_quarter"))
groups = query(pub, *local_series([unit], GROUPS, sex))
groups[t("quarter")] = groups.quarter
groups[t("position")] = groups.position.map(labels)
groups["flag"] = flag_labels(groups)
groups = groups.rename(columns={"persons": t("persons")})


@cached(100)
def groups_chart(labels: dict, language: str) -> dict:
    """The template of the main groups' chart (charts.py): a line per group."""
    lines = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{t('quarter')}:O"),
            y=alt.Y(f"{t('persons')}:Q"),
            color=alt.Color(f"{t('position')}:N", scale=colours.scale(GROUPS, labels)),
            tooltip=tips(f"{t('quarter')}:O", f"{t('position')}:N", f"{t('persons')}:Q", "flag:N"),
        )
    )
    return charts.spec(alt.layer(lines, gap_marks(t("quarter"), t("persons")), data=charts.DATA))


charts.show(groups_chart(labels, lang()), groups, width="stretch")
period = f"{available[0]} – {available[-1]}"
table(
    groups.sort_values(["quarter", "position"])[
        [t("quarter"), t("position"), t("persons"), *FLAGS]
    ],
    "groups",
    pub,
    period,
    sources=institutions,
)

units = chain(geo, unit)
series = query(pub, *indicator_series(units, list(dims.index), sex, "_T"))
series[t("geography")] = series.geo_code.map(names)
series[t("level")] = series.geo_code.map(geo.set_index("geo_code").geo_level).map(levels)
series[t("indicator")] = series.indicator.map(indicator_names)
series = series.rename(
    columns={"numerator": t("numerator"), "denominator": t("denominator"), "rate": t("rate")}
)
definitions = {indicator_names[c]: dims.loc[c, f"definition_{lang()}"] for c in dims.index}

latest = available[-1]
st.subheader(t("indicators_beside", quarter=latest))
rank = {code: i for i, code in enumerate(units)}
now = series[series.quarter == latest].assign(
    order=lambda f: f.indicator.map(list(dims.index).index) * 10 + f.geo_code.map(rank)
)
table(
    now.sort_values("order")[
        [
            t("indicator"),
            t("level"),
            t("geography"),
            t("numerator"),
            t("denominator"),
            t("rate"),
            *FLAGS,
        ]
    ],
    "indicators",
    pub,
    latest,
    sources=institutions,
    definitions=definitions,
    decimals={t("rate"): 1},
)

st.subheader(t("indicators_by_quarter"))
series["flag"] = flag_labels(series)
series[t("quarter")] = series.quarter


@cached(100)
def indicators_chart(unit_names: list[str], indicator_order: list[str], language: str) -> dict:
    """The template of the indicators' chart: a panel per indicator, a line per unit."""
    lines = (
        alt.Chart()
        .mark_line(point=True)
        .encode(
            x=alt.X(f"{t('quarter')}:O"),
            y=alt.Y(f"{t('rate')}:Q"),
            color=alt.Color(f"{t('geography')}:N", sort=unit_names),
            tooltip=tips(f"{t('geography')}:N", f"{t('quarter')}:O", f"{t('rate')}:Q", "flag:N"),
        )
        .properties(height=160, width=260)
    )
    chart = (
        alt.layer(lines, gap_marks(t("quarter"), t("rate")), data=charts.DATA)
        .facet(
            facet=alt.Facet(f"{t('indicator')}:N", title=None, sort=indicator_order),
            columns=3,
        )
        .resolve_scale(y="independent")
    )
    return charts.spec(chart)


template = indicators_chart(
    [names[c] for c in units], [indicator_names[c] for c in dims.index], lang()
)
charts.show(template, series)

st.subheader(t("definitions"))
for code in dims.index:
    numerator = dims.loc[code, f"numerator_label_{lang()}"]
    denominator = dims.loc[code, f"denominator_label_{lang()}"]
    st.markdown(
        f"**{indicator_names[code]}**: {dims.loc[code, f'definition_{lang()}']}  \n"
        f"{t('numerator')}: {numerator}. {t('denominator')}: {denominator}."
    )
