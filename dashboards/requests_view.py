"""Showing one request, inert: its fields as JSON and text, never as markdown or HTML."""

import pandas as pd
import streamlit as st

from dwh import workflow

from i18n import t


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
