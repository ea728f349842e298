"""Request data (researchers): browse the catalogue, fill the cart, describe the request,
submit it or save a draft; every field is checked on the server and its error shown."""

from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from dwh import catalogue, publish, request_form, workflow
from dwh.submission import InvalidRequest, submit

import access
from i18n import lang, t

researcher = access.require("researcher")
st.title(t("request_data"))
served = publish.served()
if served is None:
    st.warning(t("no_publication"))
    st.stop()


@st.cache_data
def code_lists(folder: str) -> dict[str, list[dict]]:
    with duckdb.connect(str(Path(folder) / "warehouse.duckdb"), read_only=True) as con:
        return {name: catalogue.codes(con, name) for name in catalogue.CODE_LISTS} | {
            "quarters": [{"code": q} for q in catalogue.quarters(con)]
        }


lists = code_lists(served["folder"])
variables = catalogue.variables()


def label(name: str):
    names = {c["code"]: c.get(lang(), c["code"]) for c in lists[name]}
    return lambda code: f"{code} {names.get(code, '')}"


# The catalogue
st.subheader(t("catalogue"))
st.dataframe(
    pd.DataFrame(
        [
            {"variable": n, **{k: v[k] for k in ("description", "type", "source")}}
            for n, v in variables.items()
        ]
    ),
    hide_index=True,
)
shown = st.selectbox("Code list", list(catalogue.CODE_LISTS), key="rf_code_list")
st.dataframe(pd.DataFrame(lists[shown]), hide_index=True, height=200)
st.caption(", ".join(c["code"] for c in lists["quarters"]))


def load(body: dict):
    """Put a request's fields into the widgets (to clone an earlier request)."""
    pop = body["population"]
    state = st.session_state
    for field in request_form.TEXTS:
        state[f"rf_{field}"] = body[field]
    state["rf_dpo_contact"], state["rf_kind"] = body["dpo_contact"], body["kind"]
    for level in (
        "regions",
        "provinces",
        "arrondissements",
        "municipalities",
        "sexes",
        "positions",
    ):
        state[f"rf_{level}"] = pop[level]
    state["rf_age"] = (pop["age_min"], pop["age_max"])
    state["rf_household_members"] = pop["household_members"]
    state["rf_periods"], state["rf_structure"] = body["periods"], body["structure"]
    state["rf_percent"] = float(body["sample"]["percent"])
    state["rf_stratify"] = body["sample"]["stratify_by_region"]
    state["rf_variables"] = list(body["variables"])
    for name, why in body["variables"].items():
        state[f"rf_why_{name}"] = why
    state["rf_format"] = body["format"]


mine = workflow.visible(researcher)
if mine:
    numbers = {r["number"]: r for r in mine}
    clone = st.selectbox(t("clone_from"), [""] + list(numbers), key="rf_clone")
    if clone and st.session_state.get("rf_cloned") != clone:
        load(numbers[clone]["body"])
        st.session_state["rf_cloned"] = clone
        st.rerun()

st.subheader(t("request_data"))
texts = {}
for field in request_form.TEXTS:
    widget = st.text_area if field in ("purpose", "publication_plan", "security") else st.text_input
    texts[field] = widget(field.replace("_", " "), key=f"rf_{field}")
dpo = st.text_input("dpo contact (e-mail)", key="rf_dpo_contact")
kind = st.radio("kind", request_form.KINDS, key="rf_kind", horizontal=True)
population = {
    "regions": st.multiselect(
        "regions",
        [c["code"] for c in lists["region_code"]],
        format_func=label("region_code"),
        key="rf_regions",
    ),
    "provinces": st.multiselect(
        "provinces",
        [c["code"] for c in lists["province_code"]],
        format_func=label("province_code"),
        key="rf_provinces",
    ),
    "arrondissements": st.multiselect(
        "arrondissements",
        [c["code"] for c in lists["arrondissement_code"]],
        format_func=label("arrondissement_code"),
        key="rf_arrondissements",
    ),
    "municipalities": st.multiselect(
        "municipalities",
        [c["code"] for c in lists["nis_code"]],
        format_func=label("nis_code"),
        key="rf_municipalities",
    ),
    "sexes": st.multiselect(
        "sexes", [c["code"] for c in lists["sex"]], format_func=label("sex"), key="rf_sexes"
    ),
    "positions": st.multiselect(
        "positions",
        [c["code"] for c in lists["position_code"]],
        format_func=label("position_code"),
        key="rf_positions",
    ),
    "household_members": st.checkbox("household members", key="rf_household_members"),
}
population["age_min"], population["age_max"] = st.slider("ages", 0, 120, (15, 64), key="rf_age")
periods = st.multiselect("periods", [c["code"] for c in lists["quarters"]], key="rf_periods")
structure = st.radio("structure", request_form.STRUCTURES, key="rf_structure", horizontal=True)
percent = st.number_input("sample (%)", 0.0, 100.0, 100.0, key="rf_percent")
stratify = st.checkbox("stratified by region", key="rf_stratify")

st.subheader(t("cart"))
cart = st.multiselect(t("cart"), list(variables), key="rf_variables")
why = {name: st.text_input(t("justify", name=name), key=f"rf_why_{name}") for name in cart}
destroy_by = st.date_input("destroy by", date.today() + timedelta(days=365), key="rf_destroy_by")
file_format = st.radio("format", request_form.FORMATS, key="rf_format", horizontal=True)

body = {
    **texts,
    "dpo_contact": dpo,
    "kind": kind,
    "population": population,
    "periods": periods,
    "structure": structure,
    "sample": {"percent": percent, "stratify_by_region": stratify},
    "variables": why,
    "destroy_by": destroy_by.isoformat(),
    "format": file_format,
}
left, right = st.columns(2)
if left.button(t("submit"), type="primary", key="rf_submit"):
    try:
        st.success(t("submitted", number=submit(researcher, body)))
    except InvalidRequest as e:
        st.error(t("invalid"))
        # a table shows the researcher's own text inert (no markdown, no markup)
        st.dataframe(
            pd.DataFrame(list(e.errors.items()), columns=["field", "error"]),
            hide_index=True,
        )
if right.button(t("save_draft"), key="rf_draft"):
    st.success(t("saved", number=submit(researcher, body, draft=True)))
