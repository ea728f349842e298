"""My requests (researchers): only their own, with status, history, notifications, withdrawal
and the download of an approved delivery."""

import streamlit as st

from dwh.extracts.downloads import mint
from dwh.extracts.files import ExtractError, delivery
from dwh.requests import workflow
from dwh.requests.form import check

import access
import requests_view
from i18n import t

researcher = access.require("researcher")
st.title(t("my_requests"))
request = requests_view.choose(
    researcher, ["number", "kind", "status", "updated_at", "destroy_by", "reason"], "mr_number"
)
number = request["number"]
if request["status"] == "draft" and st.button(t("submit"), key="mr_submit"):
    errors = check(request["body"])
    if errors:
        requests_view.errors(errors)
    else:
        workflow.move(number, researcher, "submitted", "draft submitted")
        st.rerun()
if request["status"] in ("draft", "submitted", "under_review") and st.button(
    t("withdraw"), key="mr_withdraw"
):
    workflow.move(number, researcher, "withdrawn", "withdrawn by the researcher")
    st.rerun()
try:
    folder = delivery(number, researcher)
except (ExtractError, workflow.NotFound):
    folder = None
if folder is not None and st.button(t("download_delivery"), key="mr_download"):
    # a link for this signed-in owner, once, for two minutes: never a file anyone can fetch
    st.link_button(t("download_link"), f"delivery/{mint(number, researcher)}", type="primary")
st.subheader(t("notifications"))
requests_view.table(workflow.notifications(researcher), ["at", "number", "message"])
