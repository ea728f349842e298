"""Local figures: municipalities, arrondissements, provinces and regions, with a map."""

import altair as alt
import pandas as pd
import streamlit as st

from figures import breakdown, position_labels, table
from i18n import name_column, t
from queries import geography, local_quarter, positions, publication, quarters, query

# served by Streamlit's static file serving (dwh serve turns it on); the browser caches it
TOPOJSON = "app/static/municipalities_2019.topojson"
LEVELS = ["municipality", "arrondissement", "province", "region", "country"]

st.title(t("local"))
pub = publication()

available = quarters(pub)
geo = geography(pub)
pos = positions(pub)
labels = position_labels(pos)
municipalities = query(
    pub,
    "select nis_code, valid_from, valid_to, merged_into_nis_code, "
    "arrondissement_code, province_code, region_code from dim_municipality",
)

c1, c2, c3, c4 = st.columns(4)
quarter = c1.selectbox(t("quarter"), available[::-1], key="l_quarter")
indicators = {"share_working": "G1", "share_job_seekers": "G2", "share_inactive": "G3"}
options = [*indicators, *pos.position_code]
indicator = c2.selectbox(
    t("indicator"),
    options,
    key="l_indicator",
    format_func={**labels, **{k: t(k) for k in indicators}}.get,
)
sex = breakdown(c3, pub, "sex", "l_sex")
age = breakdown(c4, pub, "age_class", "l_age")

names = geo.assign(
    label=geo.name_nl.where(geo.name_nl == geo.name_fr, geo.name_nl + " / " + geo.name_fr)
    + " ("
    + geo.geo_code
    + ", "
    + geo.geo_level
    + ")"
)
names = names.drop_duplicates("geo_code", keep="last")
chosen = st.multiselect(
    t("choose_units"),
    names.geo_code.tolist(),
    key="l_units",
    placeholder=t("choose"),
    format_func=dict(zip(names.geo_code, names.label, strict=True)).get,
)

day = pd.Timestamp(
    query(
        pub, "select max(ref_date) as d from global_figures where quarter = ?", (quarter,)
    ).d.iloc[0]
)
valid = municipalities[
    (municipalities.valid_from <= day)
    & (municipalities.valid_to.isna() | (municipalities.valid_to > day))
]
successor = dict(zip(municipalities.nis_code, municipalities.merged_into_nis_code, strict=True))
code_name = dict(zip(geo.geo_code, geo[name_column()], strict=True))
units = []
for code in chosen:
    if code in successor and code not in set(valid.nis_code) and successor[code]:
        st.info(
            t(
                "merged",
                old=code_name[code],
                quarter=quarter,
                new=code_name[successor[code]],
                code=successor[code],
            )
        )
        code = successor[code]
    units.append(code)

position = indicators.get(indicator, indicator)
figures = query(pub, *local_quarter(quarter, sex, age, position))
wide = figures.pivot_table(
    index=["geo_level", "geo_code"],
    columns="position",
    values="persons",
    aggfunc="first",
    dropna=False,
).reset_index()
if position not in wide:
    wide[position] = float("nan")
if indicator in indicators:
    wide["value"] = (100 * wide[position] / wide["_T"]).round(1)
    value_label = t("share")
else:
    wide["value"] = wide[position]
    value_label = t("persons")
wide["name"] = wide.geo_code.map(code_name)

parents = dict(zip(geo.geo_code, geo.parent_code, strict=True))
rows = []
for code in units:
    chain, current = [code], parents.get(code)
    while current:
        chain.append(current)
        current = parents.get(current)
    for ancestor in chain:
        match = wide[wide.geo_code == ancestor]
        if not match.empty:
            rows.append(
                {
                    t("geography"): code_name[code],
                    "level": match.geo_level.iloc[0],
                    "NIS": ancestor,
                    "name": code_name[ancestor],
                    value_label: match.value.iloc[0],
                    t("persons"): match["_T"].iloc[0],
                }
            )
if rows:
    st.subheader(t("comparison"))
    comparison = pd.DataFrame(rows)
    table(comparison, "comparison", pub, quarter)

st.subheader(t("map"))
muni = wide[wide.geo_level == "municipality"][["geo_code", "name", "value"]]
codes_2019 = municipalities[municipalities.valid_from == pd.Timestamp("2019-01-01")].nis_code
valid_codes = set(valid.nis_code)
lookup = pd.DataFrame({"code_2019": codes_2019})
lookup["geo_code"] = [c if c in valid_codes else successor[c] for c in lookup.code_2019]
lookup = lookup.merge(muni, on="geo_code", how="left")
lookup["code_2019"] = lookup.code_2019.astype(int)
map_chart = (
    alt.Chart(alt.topo_feature(TOPOJSON, "regions"))
    .mark_geoshape(stroke="white", strokeWidth=0.2)
    .encode(
        color=alt.Color("value:Q", title=value_label, scale=alt.Scale(scheme="viridis")),
        tooltip=[alt.Tooltip("name:N"), alt.Tooltip("value:Q", title=value_label)],
    )
    .transform_lookup(
        lookup="properties.NISCODE_2019",
        from_=alt.LookupData(lookup, "code_2019", ["name", "value"]),
    )
    .project(type="identity")
    .properties(height=520)
)
st.altair_chart(map_chart, width="stretch")

st.subheader(t("ranking"))
ranking = muni.dropna(subset=["value"]).sort_values("value", ascending=False)
ranking = ranking.rename(columns={"geo_code": "NIS", "name": t("geography"), "value": value_label})
table(ranking, "ranking", pub, quarter)
