"""Data stewards: the last build before publishing (rejected files, quarantine, rows per
delivery and indicators against the served publication) and its Publish button; the
publications' history; the dbt tests, the output check and the docs."""

import json
import subprocess
import sys

import pandas as pd
import streamlit as st

from dwh import review
from dwh.core import paths
from dwh.serving.publication import current

import access
from formats import number
from i18n import lang, t
from marks import gap_words
from queries import indicators as indicator_labels
from queries import publication

access.require("steward")

CHANGES = {
    "new": "sw_change_new",
    "changed": "sw_change_changed",
    "removed": "sw_change_removed",
    "unchanged": "sw_change_unchanged",
}
VERDICTS = {
    "served": "sw_verdict_served",
    "failed": "sw_verdict_failed",
    "disclosive": "sw_verdict_disclosive",
    "spark": "sw_verdict_spark",
}
ACTIONS = {"publish": "sw_action_publish", "rollback": "sw_action_rollback"}
HIGHLIGHT = "background-color: #fde2e1"  # a change beyond the threshold


def headers() -> dict[str, str]:
    """Column headers of the stewards' tables in the chosen language."""
    served = {
        f"{c}_served": t("sw_served_column", column=t(key))
        for c, key in (
            ("status", "status"),
            ("rows_received", "sw_rows_received"),
            ("rows_accepted", "sw_rows_accepted"),
            ("rows_quarantined", "sw_rows_quarantined"),
            ("quarter", "quarter"),
            ("rate", "rate"),
        )
    }
    return {
        "institution": t("sw_institution"),
        "year": t("year"),
        "change": t("sw_change"),
        "rows_received": t("sw_rows_received"),
        "rows_accepted": t("sw_rows_accepted"),
        "rows_quarantined": t("sw_rows_quarantined"),
        "error": t("req_error"),
        "reason_code": t("reason"),
        "reason_description": t("sw_description"),
        "new": t("sw_new_delivery"),
        "file": t("sw_file"),
        "line_number": t("sw_line"),
        "reason_column": t("sw_column"),
        "pseudonym": t("sw_pseudonym"),
        "row_content": t("sw_row"),
        "status": t("status"),
        "indicator": t("indicator"),
        "area": t("sw_area"),
        "quarter": t("quarter"),
        "rate": t("rate"),
        "change_pct": t("sw_change_pct"),
        "time": t("sw_time"),
        "action": t("sw_action"),
        "publication": t("sw_publication"),
        "user": t("sw_user"),
        "via": t("sw_via"),
        "previous": t("sw_previous"),
        "count": t("sw_count"),
        "node": t("sw_node"),
        "failures": t("sw_failures"),
        "seconds": t("sw_seconds"),
        "table": t("sw_table"),
        "rule": t("sw_rule"),
        "check": t("sw_check"),
        "cells": t("sw_cells"),
        "withheld": t("sw_withheld"),
        "published": t("sw_published"),
        "finest": t("sw_finest"),
        "answer": t("sw_answer"),
        **served,
    }


def show(frame):
    """A table of the stewards' page, its headers in the chosen language."""
    if isinstance(frame, pd.DataFrame):
        frame = frame.rename(columns=headers())
    st.dataframe(frame, hide_index=True, width="stretch")


def indicators(frame: pd.DataFrame, names: dict[str, str], threshold: float):
    """Indicators against the served ones, the changes beyond the threshold highlighted
    (and ticked in their own column)."""
    missing = gap_words()
    shown = pd.DataFrame(
        {
            "indicator": frame.indicator.map(names).fillna(frame.indicator),
            "area": frame[f"name_{lang()}"],
            "quarter_served": frame.quarter_served,
            "rate_served": frame.rate_served.round(2),
            "status_served": frame.status_served.map(missing),
            "quarter": frame.quarter,
            "rate": frame.rate.round(2),
            "status": frame.status.map(missing),
            "change_pct": frame.change,
            "beyond": frame.beyond.astype(bool),
        }
    ).rename(columns={**headers(), "beyond": t("sw_beyond", threshold=number(threshold, 1))})
    show(shown.style.apply(lambda row: [HIGHLIGHT if row.iloc[-1] else ""] * len(row), axis=1))


def publish_button(steward: dict):
    """Publish the last build for the signed-in steward: ``python -m dwh.publish`` in a child
    process (the dashboards load no build code), which checks the build again."""
    with st.spinner(t("sw_publishing")):
        done = subprocess.run(
            [sys.executable, "-m", "dwh.publish", steward["name"]],
            capture_output=True,
            text=True,
            cwd=paths.PROJECT_DIR,
        )
    if done.returncode == 0:
        st.session_state["sw_published"] = json.loads(done.stdout)["id"]
        st.rerun()
    st.error(t("sw_not_published", error=done.stderr.strip()[-2000:]))


st.title(t("stewards"))
if published := st.session_state.pop("sw_published", None):
    st.success(t("sw_published_now", publication=published))
threshold = st.session_state.get("sw_threshold", review.THRESHOLD)
found = review.load(threshold)
pub = current() if found else publication()  # nothing built or served: says so and stops

if found is None:
    st.info(t("sw_no_build"))
    record = pub.build_record()
else:
    record, served = found.record, found.served
    st.subheader(t("sw_review"))
    st.caption(
        t(
            "sw_review_about",
            started=record["started_at"],
            served=served.id if served else t("sw_nothing_served"),
        )
    )
    for error in found.rejected.error:
        st.error(t("sw_rejected_file", error=error))

    st.subheader(t("deliveries"))
    rows = found.deliveries
    counts = ["rows_received", "rows_accepted", "rows_quarantined"]
    rows = rows.assign(
        change=rows.change.map(CHANGES).map(t),
        status=rows.status.map(t, na_action="ignore"),
        status_served=rows.status_served.map(t, na_action="ignore"),
    )
    order = ["institution", "year", "change", "status", *counts, "status_served"]
    show(rows[order + [f"{c}_served" for c in counts] + ["error"]])

    if not found.built:
        st.info(t("sw_not_built"))
    else:
        st.subheader(t("quarantine"))
        show(found.reasons)
        st.caption(t("examples"))
        show(found.examples)

    if served is not None and found.built:
        st.subheader(t("sw_indicators"))
        st.number_input(t("sw_threshold"), 0.0, 100.0, review.THRESHOLD, 0.5, key="sw_threshold")
        labels = indicator_labels(served)
        names = dict(zip(labels.indicator, labels[f"label_{lang()}"], strict=True))
        st.caption(t("sw_latest"))
        indicators(found.latest, names, threshold)
        st.caption(t("sw_revisions"))
        if found.revisions.empty:
            st.info(t("sw_no_revisions"))
        else:
            indicators(found.revisions, names, threshold)

    if found.verdict == "publishable":
        if st.button(t("sw_publish"), type="primary", key="sw_publish"):
            publish_button(access.require("steward"))  # the role checked again at the click
    else:
        st.info(t(VERDICTS[found.verdict]))

st.subheader(t("builds"))
log = review.history()
show(log.assign(action=log.action.map(ACTIONS).map(t)))

st.subheader(t("dbt_tests"))
nodes = pd.DataFrame(record["nodes"], columns=["node", "status", "failures", "seconds"])
tests = nodes[nodes.node.str.startswith(("test.", "unit_test."))]
show(tests.status.value_counts().rename_axis("status").reset_index())
show(tests[["node", "status", "failures", "seconds"]])

st.subheader(t("output_check"))
checked = record.get("output_check")
if checked is None:
    st.info(t("output_check_missing"))
elif "error" in checked:
    st.error(checked["error"])
else:
    limit = checked["threshold"]
    st.caption(
        t(
            "output_check_about",
            version=checked["acro"]["version"],
            below=checked["acro"]["safe_threshold"],
            seconds=number(checked["seconds"], 1),
        )
    )
    columns = ["table", "rule", "check", "cells", "withheld", "published", "finest"]
    show(pd.DataFrame(checked["flags"])[columns])
    answers = {
        "MinimumThresholdCheck": t("answer_threshold", threshold=limit, above=limit + 1),
        "PresenceOfZeroCheck": t("answer_zeros"),
        "RequiredZeroCheck": t("answer_zeros_setting"),
        "PresenceOfLinkedTableCheck": t("answer_differencing"),
        "NKCheck": t("answer_dominance"),
        "PPercentCheck": t("answer_dominance"),
    }
    checks = [c for analysis in checked["checks"].values() for c in analysis]
    show(pd.DataFrame({"check": checks, "answer": [answers.get(c, "") for c in checks]}))
    if not checked["disclosive"]:
        st.success(t("output_check_passed", threshold=limit))

st.subheader(t("dbt_docs"))
if pub is not None and pub.docs.exists():
    st.download_button(
        t("download_file", name="dbt-docs.html"),
        pub.docs.read_bytes(),
        "dbt-docs.html",
        "text/html",
        key="docs",
    )
