"""Data stewards: builds and publications, registrations, quarantine, dbt tests and docs."""

import json
from dataclasses import asdict

import pandas as pd
import streamlit as st

from dwh.serving.publication import history

import access
from i18n import t
from queries import publication, query

access.require("steward")
st.title(t("stewards"))
pub = publication()

st.subheader(t("builds"))
log = history()
published = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
st.dataframe(
    pd.DataFrame(published or [{k: v for k, v in asdict(pub).items() if k != "folder"}]).iloc[::-1],
    hide_index=True,
    width="stretch",
)
record = pub.build_record()

st.subheader(t("deliveries"))
registration = query(
    pub,
    "select institution_code, year, registration_status, rows_received, "
    "rows_accepted, rows_quarantined, error from source_registration "
    "order by institution_code, year",
    microdata=True,
)
st.dataframe(registration, hide_index=True, width="stretch")

st.subheader(t("quarantine"))
reasons = query(
    pub,
    "select institution_code, reason_code, count(*) as rows_quarantined "
    "from quarantine_rows group by all order by 1, 2",
    microdata=True,
)
st.dataframe(reasons, hide_index=True, width="stretch")
st.caption(t("examples"))
examples = query(
    pub,
    "select reason_code, institution_code, year, file, line_number, "
    "reason_column, pseudonym, row_content from (select *, row_number() over "
    "(partition by reason_code order by institution_code, line_number) as n "
    "from quarantine_rows) where n <= 5",
    microdata=True,
)
st.dataframe(examples, hide_index=True, width="stretch")

st.subheader(t("dbt_tests"))
nodes = pd.DataFrame(record["nodes"])
tests = nodes[nodes.node.str.startswith(("test.", "unit_test."))]
st.dataframe(tests.status.value_counts().rename_axis("status").reset_index(), hide_index=True)
st.dataframe(tests[["node", "status", "failures", "seconds"]], hide_index=True, width="stretch")

st.subheader(t("output_check"))
checked = record.get("output_check")
if checked is None:
    st.info(t("output_check_missing"))
else:
    limit = checked["threshold"]
    st.caption(
        t(
            "output_check_about",
            version=checked["acro"]["version"],
            below=checked["acro"]["safe_threshold"],
            seconds=checked["seconds"],
        )
    )
    columns = ["table", "rule", "check", "cells", "withheld", "published", "finest"]
    st.dataframe(pd.DataFrame(checked["flags"])[columns], hide_index=True, width="stretch")
    answers = {
        "MinimumThresholdCheck": t("answer_threshold", threshold=limit, above=limit + 1),
        "PresenceOfZeroCheck": t("answer_zeros"),
        "RequiredZeroCheck": t("answer_zeros_setting"),
        "PresenceOfLinkedTableCheck": t("answer_differencing"),
        "NKCheck": t("answer_dominance"),
        "PPercentCheck": t("answer_dominance"),
    }
    checks = [c for analysis in checked["checks"].values() for c in analysis]
    st.dataframe(
        pd.DataFrame({"check": checks, "answer": [answers.get(c, "") for c in checks]}),
        hide_index=True,
        width="stretch",
    )
    st.success(t("output_check_passed", threshold=limit))

st.subheader(t("dbt_docs"))
if pub.docs.exists():
    st.download_button("docs.html", pub.docs.read_bytes(), "dbt-docs.html", "text/html", key="docs")
