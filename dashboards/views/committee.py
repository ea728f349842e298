"""Committee: requests for pseudonymised data awaiting a deliberation; approve with its number
and date, or reject with a reason."""

from datetime import date

import streamlit as st

from dwh.requests import workflow

import access
import requests_view
from i18n import t

member = access.require("committee")
st.title(t("committee"))
waiting = [r for r in workflow.visible(member) if r["status"] == "awaiting_committee"]
if not waiting:
    st.info(t("no_requests"))
    st.stop()
number = st.selectbox(
    t("choose_request"),
    [r["number"] for r in waiting],
    key="cm_number",
    placeholder=t("choose_one"),
)
requests_view.show(number, member)
deliberation = st.text_input(t("deliberation_number"), key="cm_deliberation")
day = st.date_input(t("deliberation_date"), date.today(), key="cm_date", format="DD/MM/YYYY")
reason = st.text_input(t("reason"), key="cm_reason")
left, right = st.columns(2)
try:
    if left.button(t("approve"), type="primary", key="cm_approve"):
        if not deliberation.strip():
            st.error(t("deliberation_needed"))
            st.stop()
        workflow.move(
            number,
            member,
            "approved",
            note=reason or None,
            deliberation_number=deliberation,
            deliberation_date=day.isoformat(),
        )
        st.rerun()
    if right.button(t("reject"), key="cm_reject"):
        if not reason.strip():
            st.error(t("reason_needed"))
            st.stop()
        workflow.move(number, member, "rejected", reason=reason)
        st.rerun()
except workflow.WorkflowError:
    st.error(t("move_refused"))
