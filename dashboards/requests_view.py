"""The requests a user may see, and one of them shown inert: its fields as JSON and text,
never as markdown or HTML."""

import pandas as pd
import streamlit as st

from dwh.extracts.files import expire_due
from dwh.requests import workflow

from i18n import number, t


def show(number: str, viewer: dict):
    request = workflow.get(number, viewer)
    st.text(
        f"{number} · {request['kind']} · {t('status')}: {request['status']} · "
        f"{request['owner']} · destroy by {request['destroy_by']}"
    )
    if request["reason"]:
        st.text(f"{t('reason')}: {request['reason']}")
    if request["deliberation_number"]:
        st.text(f"{request['deliberation_number']} ({request['deliberation_date']})")
    st.json(request["body"], expanded=False)
    st.caption(t("history"))
    st.dataframe(pd.DataFrame(workflow.history(number, viewer)), hide_index=True)
    return request


def choose(viewer: dict, columns: list[str], key: str) -> dict:
    """Table of the viewer's requests (expired ones cleared first), one chosen and shown."""
    expire_due()
    requests = workflow.visible(viewer)
    if not requests:
        st.info(t("no_requests"))
        st.stop()
    st.dataframe(pd.DataFrame(requests)[columns], hide_index=True)
    number = st.selectbox(t("choose_request"), [r["number"] for r in requests], key=key)
    return show(number, viewer)


def errors(found: dict):
    """The wrong fields of a request, in a table, each problem in the chosen language (the
    researcher's own text stays inert)."""
    st.error(t("invalid"))
    rows = [(field, message(problem)) for field, problem in found.items()]
    st.dataframe(pd.DataFrame(rows, columns=["field", "error"]), hide_index=True)


def message(problem) -> str:
    """A problem of the request form (``dwh.requests.form.Problem``) in the chosen language;
    a level of geography is named as the form names it."""
    values = dict(getattr(problem, "values", {}))
    if "level" in values:
        values["level"] = t(f"f_{values['level']}")
    if "maximum" in values:
        values["maximum"] = number(values["maximum"])
    return t(f"err_{problem.code}", **values) if hasattr(problem, "code") else str(problem)
