"""My requests (researchers): only their own, with status, history, notifications, withdrawal,
the download of an approved delivery, and the synthetic version of a request (free to
download, whatever the decision)."""

import json

import streamlit as st

from dwh.extracts.downloads import mint
from dwh.extracts.files import ExtractError, delivery
from dwh.requests import workflow
from dwh.requests.form import check
from synthesis import requested

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
if request["status"] not in requested.REFUSED_STATUSES:
    st.subheader(t("synthetic_version"))
    st.caption(t("synthetic_version_help"))
    if st.button(t("synthetic_version"), key="mr_synthetic"):
        with st.spinner(t("synthetic_working")):
            try:
                requested.cut(number, researcher)
            except requested.CutRefused as e:
                requests_view.refusal(e)
    made = requested.folder(number)
    if (made / "manifest.json").exists():
        for name in json.loads((made / "manifest.json").read_text())["files"]:
            st.download_button(
                t("synthetic_download", file=name),
                (made / name).read_bytes(),
                file_name=f"{number}-synthetic-{name}",
                key=f"mr_synthetic_{name}",
            )
st.subheader(t("notifications"))
requests_view.table(workflow.notifications(researcher), ["at", "number", "message"])
