"""Request data (researchers): browse the catalogue, fill the cart, describe the request,
submit it or save a draft; every field is checked on the server and its error shown."""

from datetime import date, timedelta

import duckdb
import pandas as pd
import streamlit as st

from dwh.requests import form, workflow
from dwh.requests.form import InvalidRequest
from dwh.requests.submission import submit
from dwh.serving import catalogue

import access
import requests_view
from i18n import lang, t
from queries import publication

# population filter -> the code list it chooses from
CHOICES = {**catalogue.GEOGRAPHY, **catalogue.FILTERS}

researcher = access.require("researcher")
st.title(t("request_data"))
served = publication()


@st.cache_data
def code_lists(warehouse: str) -> dict[str, list[dict]]:
    with duckdb.connect(warehouse, read_only=True) as con:
        return {name: catalogue.codes(con, name) for name in catalogue.CODE_LISTS} | {
            "quarters": [{"code": q} for q in catalogue.quarters(con)]
        }


lists = code_lists(str(served.warehouse))
variables = catalogue.variables()


def label(name: str):
    names = {c["code"]: c.get(lang(), c["code"]) for c in lists[name]}
    return lambda code: f"{code} {names.get(code, '')}"


# The catalogue
st.subheader(t("catalogue"))
# the catalogue's descriptions and sources are written in English only (dbt's documentation):
# the headers say so; the test of the pages' languages leaves this table out by its key
st.container(key="catalogue").dataframe(
    pd.DataFrame(
        [
            {
                t("cat_variable"): n,
                t("cat_description"): v["description"],
                t("cat_type"): v["type"],
                t("cat_source"): v["source"],
            }
            for n, v in variables.items()
        ]
    ),
    hide_index=True,
)
list_names = {
    "nis_code": t("f_municipalities"),
    "arrondissement_code": t("f_arrondissements"),
    "province_code": t("f_provinces"),
    "region_code": t("f_regions"),
    "sex": t("f_sexes"),
    "age_class": t("age_class"),
    "nationality_group": t("nationality"),
    "position_code": t("f_positions"),
    "main_group_code": t("main_groups"),
}
shown = st.selectbox(
    t("f_code_list"),
    list(catalogue.CODE_LISTS),
    format_func=lambda name: f"{list_names.get(name, name)} ({name})",
    key="rf_code_list",
)
st.dataframe(
    pd.DataFrame([{t("code"): c["code"], t("cat_label"): c.get(lang(), "")} for c in lists[shown]]),
    hide_index=True,
    height=200,
)
st.caption(", ".join(c["code"] for c in lists["quarters"]))


def load(body: dict):
    """Put a request's fields into the widgets (to clone an earlier request)."""
    pop = body["population"]
    state = st.session_state
    for field in form.TEXTS:
        state[f"rf_{field}"] = body[field]
    state["rf_dpo_contact"], state["rf_kind"] = body["dpo_contact"], body["kind"]
    for level in CHOICES:
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
    clone = st.selectbox(
        t("clone_from"), [""] + list(numbers), key="rf_clone", format_func=lambda n: n or "–"
    )
    if clone and st.session_state.get("rf_cloned") != clone:
        load(numbers[clone]["body"])
        st.session_state["rf_cloned"] = clone
        st.rerun()

st.subheader(t("request_data"))
texts = {}
for field in form.TEXTS:
    widget = st.text_area if field in ("purpose", "publication_plan", "security") else st.text_input
    texts[field] = widget(t(f"f_{field}"), key=f"rf_{field}", max_chars=form.TEXTS[field][1])
dpo = st.text_input(t("f_dpo_contact"), key="rf_dpo_contact", max_chars=form.MAX_EMAIL)
names = {k: t(k) for k in (*form.KINDS, *form.STRUCTURES)}
kind = st.radio(t("f_kind"), form.KINDS, format_func=names.get, key="rf_kind", horizontal=True)
population = {
    level: st.multiselect(
        t(f"f_{level}"),
        [c["code"] for c in lists[column]],
        format_func=label(column),
        key=f"rf_{level}",
        placeholder=t("choose"),
        select_all=False,  # Streamlit writes it in English only
    )
    for level, column in CHOICES.items()
}
population["household_members"] = st.checkbox(t("f_household_members"), key="rf_household_members")
population["age_min"], population["age_max"] = st.slider(
    t("f_ages"), 0, 120, (15, 64), key="rf_age"
)
periods = st.multiselect(
    t("f_periods"),
    [c["code"] for c in lists["quarters"]],
    key="rf_periods",
    placeholder=t("choose"),
    select_all=False,
)
structure = st.radio(
    t("f_structure"),
    form.STRUCTURES,
    format_func=names.get,
    key="rf_structure",
    horizontal=True,
    help=t("structure_help"),
)
percent = st.number_input(t("f_percent"), 0.0, 100.0, 10.0, key="rf_percent")
stratify = st.checkbox(t("f_stratify"), key="rf_stratify")

st.subheader(t("cart"))
cart = st.multiselect(
    t("cart"), list(variables), key="rf_variables", placeholder=t("choose"), select_all=False
)
why = {
    name: st.text_input(
        t("justify", name=name), key=f"rf_why_{name}", max_chars=form.MAX_JUSTIFICATION
    )
    for name in cart
}
destroy_by = st.date_input(
    t("f_destroy_by"), date.today() + timedelta(days=365), key="rf_destroy_by", format="DD/MM/YYYY"
)
FORMAT_NAMES = {"parquet": "Parquet", "csv": "CSV", "stata": "Stata", "spss": "SPSS"}
file_format = st.radio(
    t("f_format"),
    form.FORMATS,
    format_func=lambda f: FORMAT_NAMES.get(f, f),
    key="rf_format",
    horizontal=True,
)

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
        requests_view.errors(e.errors)
if right.button(t("save_draft"), key="rf_draft"):
    st.success(t("saved", number=submit(researcher, body, draft=True)))
