"""Local figures: an indicator or a count for every municipality, arrondissement, province
and region of a quarter; a unit beside the levels above it, a map and a ranking."""

import pandas as pd
import streamlit as st

import formats
import links
from figures import FLAGS, breakdown, footnotes, legend, position_labels, table
from i18n import lang, t
from marks import gap_labels
from queries import (
    LEVELS,
    chain,
    codes,
    geography,
    in_quarter,
    indicator_quarter,
    indicators,
    level_names,
    linked,
    local_quarter,
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

# served by Streamlit's static file serving (dwh serve turns it on); the browser caches it
TOPOJSON = "app/static/municipalities_2019.topojson"
SMALL_POPULATION = 1000  # below it, a rate moves by whole points with the noise of a count

st.title(t("local"))
pub = publication()

available = quarters(pub)
geo = geography(pub)
pos = positions(pub)
labels = position_labels(pos)
dims = indicators(pub).set_index("indicator")
munis = municipalities(pub)
names, levels, institutions = place_names(geo), level_names(), sources(pub)
geo_levels = dict(zip(geo.geo_code, geo.geo_level, strict=True))

c1, c2, c3, c4 = st.columns(4)
newest_first = available[::-1]
quarter = c1.selectbox(
    t("quarter"),
    newest_first,
    index=newest_first.index(links.param("l_quarter", available, available[-1])),
    key="l_quarter",
)
counted = [*(f"G{g}" for g in range(1, 5)), *pos.position_code, "_T"]
measures = {code: dims.loc[code, f"label_{lang()}"] for code in dims.index}
measures |= {code: t("count_of", position=labels[code]) for code in counted}
measure = c2.selectbox(
    t("measure"),
    list(measures),
    index=list(measures).index(links.param("l_measure", list(measures), next(iter(measures)))),
    format_func=measures.get,
    key="l_measure",
)
is_rate = measure in dims.index
linked("l_sex", codes(pub, "sex"), "_T")
linked("l_age", codes(pub, "age_class"), "_T")
sex = breakdown(c3, pub, "sex", "l_sex")
age = "_T" if is_rate else breakdown(c4, pub, "age_class", "l_age")

if is_rate:
    about = dims.loc[measure]
    numerator = about[f"numerator_label_{lang()}"].capitalize()
    denominator = about[f"denominator_label_{lang()}"].capitalize()
    value = t("rate")
    with st.expander(t("definition_of", name=measures[measure])):
        st.write(about[f"definition_{lang()}"])
        st.write(f"**{t('numerator')}**: {numerator}  \n**{t('denominator')}**: {denominator}")
    definitions = {measures[measure]: about[f"definition_{lang()}"]}
else:
    numerator, denominator, value = t("persons"), t("residents"), None
    definitions = None


def _flags(own: pd.DataFrame, total: pd.DataFrame) -> pd.DataFrame:
    """The flags of a count beside its unit's residents: the status of the count, or of the
    residents when the count is published (a row has one marker for its missing numbers),
    provisional when either is, the institutions of both."""
    out = pd.DataFrame(index=own.index)
    out["status"] = own.status.where(own.persons.isna(), total.status)
    out["is_provisional"] = own.is_provisional | total.is_provisional
    for column in ("unavailable_sources", "provisional_sources"):
        both = own[column].fillna("") + "," + total[column].fillna("")
        out[column] = both.str.strip(",").replace("", None)
    return out


def quarter_values() -> pd.DataFrame:
    """Every unit's figure of the quarter: level, numerator, denominator (and rate), flags."""
    if is_rate:
        data = query(pub, *indicator_quarter(quarter, sex, [measure])).set_index("geo_code")
        data = data.rename(columns={"numerator": numerator, "denominator": denominator})
        return data.rename(columns={"rate": value}).drop(columns="indicator")
    data = query(pub, *local_quarter(quarter, sex, age, [measure, "_T"]))
    own = data[data.position == measure].set_index("geo_code")
    total = data[data.position == "_T"].set_index("geo_code").reindex(own.index)
    out = pd.DataFrame({"geo_level": own.geo_level, numerator: own.persons})
    out[denominator] = total.persons
    out["denominator_status"] = total.status
    return out.join(_flags(own, total))


values = quarter_values()
numbers = [numerator, denominator, *([value] if is_rate else [])]
decimals = {value: 1} if is_rate else None


def rows(units: list[str]) -> pd.DataFrame:
    """The table of some units: level and name in the chosen language, NIS code, figures."""
    found = values.reindex(units)
    out = pd.DataFrame(
        {
            t("level"): [levels[geo_levels[code]] for code in units],
            "NIS": units,
            t("geography"): [names[code] for code in units],
        }
    )
    for column in [*numbers, *FLAGS]:
        out[column] = found[column].to_numpy()
    return out


chosen_labels = place_labels(geo)
u1, u2 = st.columns(2)
everywhere = list(chosen_labels)


def chooser(container, label: str, key: str) -> str | None:
    """One unit (none at first), found by typing part of its name or code."""
    shared = links.param(key, everywhere, None)
    return container.selectbox(
        label,
        everywhere,
        index=None if shared is None else everywhere.index(shared),
        format_func=chosen_labels.get,
        placeholder=t("choose_one"),
        key=key,
    )


unit = chooser(u1, t("choose_unit"), "l_unit")
other = chooser(u2, t("compare_with"), "l_other")
links.share("l_quarter", "l_measure", "l_sex", "l_age", "l_unit", "l_other")

day = quarter_day(pub, quarter)
compared = []
for code in dict.fromkeys(c for c in (unit, other) if c):
    standing, why = in_quarter(munis, day, code)
    if why == "merged":
        new = standing[0]
        st.info(t("merged", old=names[code], quarter=quarter, new=names[new], code=new))
    elif why == "predecessors":
        old = ", ".join(f"{names[c]} ({c})" for c in standing)
        st.info(t("predecessors", new=names[code], code=code, quarter=quarter, old=old))
    for each in standing:
        compared += chain(geo, each)
if compared:
    st.subheader(t("comparison"))
    table(
        rows(sorted(dict.fromkeys(compared), key=lambda c: LEVELS.index(geo_levels[c]))),
        "comparison",
        pub,
        quarter,
        sources=institutions,
        definitions=definitions,
        decimals=decimals,
    )
    small = rows(compared)[denominator] < SMALL_POPULATION
    if is_rate and small.any():
        st.caption(t("small_rates", minimum=formats.number(SMALL_POPULATION)))

st.subheader(t("map"))
shown = value if is_rate else numerator
muni = values[values.geo_level == "municipality"]
valid_codes = set(muni.index)
successor = dict(zip(munis.nis_code, munis.merged_into_nis_code, strict=True))
codes_2019 = munis[munis.valid_from == pd.Timestamp("2019-01-01")].nis_code
lookup = pd.DataFrame({"code_2019": codes_2019})
lookup["geo_code"] = [c if c in valid_codes else successor[c] for c in lookup.code_2019]
found = muni.reindex(lookup.geo_code)
lookup["name"] = lookup.geo_code.map(names)
lookup["value"] = found[shown].to_numpy()
gaps_shown = gap_labels("withheld", "not_available")  # every position has a source everywhere
lookup["gap"] = found.status.map(gaps_shown).to_numpy()
lookup["provisional"] = found.is_provisional.map({True: t("provisional"), False: ""}).to_numpy()
lookup["code_2019"] = lookup.code_2019.astype(int)
tooltip = [
    {"field": "name", "type": "nominal", "title": t("geography")},
    {"field": "value", "type": "quantitative", "title": shown,
     "format": ",.1f" if is_rate else ",d"},
    {"field": "gap", "type": "nominal", "title": t("status")},
    {"field": "provisional", "type": "nominal", "title": t("provisional")},
]  # fmt: skip
shape = {"type": "geoshape", "stroke": "white", "strokeWidth": 0.2}
published = {
    "transform": [{"filter": "isValid(datum.value)"}],
    "mark": shape,
    "encoding": {
        "color": {"field": "value", "type": "quantitative", "title": shown,
                  "scale": {"scheme": "viridis"}},
        "tooltip": tooltip,
    },
}  # fmt: skip
gaps = {
    "transform": [{"filter": "!isValid(datum.value)"}],
    "mark": shape,
    "encoding": {
        "color": {"field": "gap", "type": "nominal", "title": t("no_figure"),
                  "scale": {"domain": list(gaps_shown.values()), "range": ["#bdbdbd", "#fdd0a2"]}},
        "tooltip": tooltip,
    },
}  # fmt: skip
# a quarter without any published value (a position whose delivery is missing) has no scale
# to show: its legend would read "NaN"
layers = [published, gaps] if lookup.value.notna().any() else [gaps]
# written as Vega-Lite itself: Altair took longer to assemble the two layers (it compares
# their data by the text of the frame) than the page took to run
map_spec = {
    "height": 520,
    "data": {"url": TOPOJSON, "format": {"type": "topojson", "feature": "regions"}},
    "datasets": {"figures": lookup[["code_2019", "name", "value", "gap", "provisional"]]},
    "transform": [
        {
            "lookup": "properties.NISCODE_2019",
            "from": {
                "data": {"name": "figures"},
                "key": "code_2019",
                "fields": ["name", "value", "gap", "provisional"],
            },
        }
    ],
    "projection": {"type": "identity"},
    "layer": layers,
    "resolve": {"scale": {"color": "independent"}},
    "config": {"locale": {"number": formats.vega_locale()}},
}
st.vega_lite_chart(map_spec, width="stretch")
for line in legend(muni, institutions):
    st.caption(line)
footnotes(pub, quarter)

st.subheader(t("ranking_units"))
r1, r2 = st.columns(2)
ranked = LEVELS[:-1]
level = r1.selectbox(
    t("level"),
    ranked,
    index=ranked.index(links.param("l_level", ranked, "municipality")),
    format_func=levels.get,
    key="l_level",
)
minimums = [0, 100, 500, 1000, 5000, 10000, 50000]
minimum = r2.selectbox(
    t("minimum_population", denominator=denominator),
    minimums,
    index=minimums.index(links.param("l_minimum", minimums, 1000)),
    format_func={m: formats.number(m) for m in minimums}.get,
    key="l_minimum",
)
links.share("l_level", "l_minimum")
ranking = rows(values[values.geo_level == level].index.tolist())
status = values.status if is_rate else values.denominator_status
unknown = ranking[denominator].isna() & ranking.NIS.map(status).eq("not_available")
ranking = ranking[(ranking[denominator] >= minimum) | unknown]
# ties in the order of their codes (a reader, and a test, can tell which comes first)
ranking = ranking.sort_values(
    [shown, "NIS"], ascending=[False, True], na_position="last", kind="stable"
)
if ranking.empty:
    st.info(t("none_large_enough"))
else:
    table(
        ranking.drop(columns=t("level")),
        "ranking",
        pub,
        quarter,
        sources=institutions,
        definitions=definitions,
        decimals=decimals,
    )
