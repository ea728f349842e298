"""Data stewards: builds and publications, registrations, quarantine, dbt tests and docs."""

import json
from dataclasses import asdict

import pandas as pd
import streamlit as st

from dwh.serving.publication import history

import access
from formats import number
from i18n import t
from queries import publication, query

access.require("steward")


def headers() -> dict[str, str]:
    """Column headers of the stewards' tables in the chosen language."""
    return {
        "id": t("sw_publication"),
        "published_at": t("published"),
        "build_started_at": t("sw_build_started"),
        "disclosure": t("sw_disclosure"),
        "institution_code": t("sw_institution"),
        "year": t("year"),
        "registration_status": t("status"),
        "rows_received": t("sw_rows_received"),
        "rows_accepted": t("sw_rows_accepted"),
        "rows_quarantined": t("sw_rows_quarantined"),
        "error": t("req_error"),
        "reason_code": t("reason"),
        "file": t("sw_file"),
        "line_number": t("sw_line"),
        "reason_column": t("sw_column"),
        "pseudonym": t("sw_pseudonym"),
        "row_content": t("sw_row"),
        "status": t("status"),
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
    }


def show(frame: pd.DataFrame):
    """A table of the stewards' page, its headers in the chosen language."""
    st.dataframe(frame.rename(columns=headers()), hide_index=True, width="stretch")


st.title(t("stewards"))
pub = publication()

st.subheader(t("builds"))
log = history()
published = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
show(
    pd.DataFrame(published or [{k: v for k, v in asdict(pub).items() if k != "folder"}]).iloc[::-1]
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
show(registration.assign(registration_status=registration.registration_status.map(t)))

st.subheader(t("quarantine"))
reasons = query(
    pub,
    "select institution_code, reason_code, count(*) as rows_quarantined "
    "from quarantine_rows group by all order by 1, 2",
    microdata=True,
)
show(reasons)
st.caption(t("examples"))
examples = query(
    pub,
    "select reason_code, institution_code, year, file, line_number, "
    "reason_column, pseudonym, row_content from (select *, row_number() over "
    "(partition by reason_code order by institution_code, line_number) as n "
    "from quarantine_rows) where n <= 5",
    microdata=True,
)
show(examples)

st.subheader(t("dbt_tests"))
nodes = pd.DataFrame(record["nodes"])
tests = nodes[nodes.node.str.startswith(("test.", "unit_test."))]
show(tests.status.value_counts().rename_axis("status").reset_index())
show(tests[["node", "status", "failures", "seconds"]])

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
    st.success(t("output_check_passed", threshold=limit))

st.subheader(t("dbt_docs"))
if pub.docs.exists():
    st.download_button(
        t("download_file", name="dbt-docs.html"),
        pub.docs.read_bytes(),
        "dbt-docs.html",
        "text/html",
        key="docs",
    )
