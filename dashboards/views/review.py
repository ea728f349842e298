"""Review requests (stewards): every request, the workflow moves a steward may make,
minimisation, and the extract."""

import streamlit as st

from dwh.extracts.produce import produce
from dwh.requests import workflow

import access
import requests_view
from i18n import t

steward = access.require("steward")
st.title(t("review"))
request = requests_view.choose(
    steward, ["number", "owner", "kind", "status", "updated_at", "destroy_by"], "rv_number"
)
number = request["number"]
moves = [
    to
    for (source, to), role in workflow.TRANSITIONS.items()
    if source == request["status"] and role == "steward"
]
if request["status"] == "under_review":
    remove = st.multiselect(
        t("remove_variables"),
        list(request["body"]["variables"]),
        key="rv_remove",
        placeholder=t("choose"),
        select_all=False,
    )
    if remove and st.button(t("remove_variables"), key="rv_minimise"):
        workflow.minimise(number, steward, remove, "not justified by the purpose")
        st.rerun()
if moves:
    to = st.selectbox(t("action"), moves, format_func=requests_view.statuses().get, key="rv_to")
    reason = st.text_input(t("reason"), key="rv_reason")
    if st.button(t("apply"), key="rv_apply"):
        if to == "rejected" and not reason.strip():
            st.error(t("reason_needed"))
            st.stop()
        try:
            workflow.move(
                number,
                steward,
                to,
                note=reason or None,
                reason=reason if to == "rejected" else None,
            )
            st.rerun()
        except workflow.WorkflowError:
            st.error(t("move_refused"))
if request["status"] in ("approved", "extract_produced") and st.button(
    t("produce_extract"), key="rv_extract"
):
    with st.spinner(t("produce_extract")):
        folder = produce(number, steward)
    st.success(t("extract_ready", files=", ".join(sorted(f.name for f in folder.iterdir()))))
