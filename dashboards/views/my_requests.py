"""My requests (researchers): only their own, with status, history, notifications, withdrawal
and the download of an approved delivery."""

import io
import zipfile

import pandas as pd
import streamlit as st

from dwh import extract, workflow
from dwh.submission import check

import access
import requests_view
from i18n import t

researcher = access.require("researcher")
st.title(t("my_requests"))
extract.expire_due()
mine = workflow.visible(researcher)
if not mine:
    st.info(t("no_requests"))
    st.stop()
st.dataframe(
    pd.DataFrame(mine)[["number", "kind", "status", "updated_at", "destroy_by", "reason"]],
    hide_index=True,
)
number = st.selectbox(t("choose_request"), [r["number"] for r in mine], key="mr_number")
request = requests_view.show(number, researcher)
if request["status"] == "draft" and st.button(t("submit"), key="mr_submit"):
    errors = check(request["body"])
    if errors:  # a table shows the researcher's own text inert
        st.error(t("invalid"))
        st.dataframe(pd.DataFrame(list(errors.items()), columns=["field", "error"]))
    else:
        workflow.move(number, researcher, "submitted", "draft submitted")
        st.rerun()
if request["status"] in ("draft", "submitted", "under_review") and st.button(
    t("withdraw"), key="mr_withdraw"
):
    workflow.move(number, researcher, "withdrawn", "withdrawn by the researcher")
    st.rerun()
try:
    folder = extract.delivery(number, researcher)
except (extract.ExtractError, workflow.NotFound):
    folder = None
if folder is not None:

    def archive() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for f in sorted(folder.iterdir()):
                z.write(f, f"{number}/{f.name}")
        return buffer.getvalue()

    st.download_button(
        t("download_delivery"), archive, f"{number}.zip", key="mr_download", on_click="ignore"
    )
st.subheader(t("notifications"))
st.dataframe(pd.DataFrame(workflow.notifications(researcher)), hide_index=True)
