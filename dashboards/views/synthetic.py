"""Synthetic data: the released synthetic datasets, free to download with their report."""

import pandas as pd
import streamlit as st

from synthesis.config import Gate
from synthesis.release import released

from formats import date, number
from i18n import t

FILES = ("data.parquet", "data.csv", "README.md", "report.md", "report.json", "metadata.json")

st.title(t("synthetic"))
datasets = released()
if not datasets:
    st.info(t("no_synthetic"))
    st.stop()
st.warning(t("synthetic_intro"))
for d in datasets:
    folder = d["folder"]
    title = t(
        "synthetic_dataset",
        period=d["period"],
        persons=number(d["persons"]),
        rows=number(d["rows"]),
        created=date(d["created_at"][:10]),
        pub=d["publication"],
    )
    with st.expander(title, expanded=d is datasets[0]):
        gate = d["gate"]
        st.caption(t("gate"))
        st.dataframe(
            pd.DataFrame(
                {
                    t("gate_measure"): list(gate["measures"]),
                    t("value"): list(gate["measures"].values()),
                    t("threshold"): [
                        Gate.bound(name, gate["thresholds"][name]) for name in gate["measures"]
                    ],
                }
            ),
            hide_index=True,
        )
        columns = st.columns(3)
        for i, name in enumerate(FILES):
            columns[i % 3].download_button(
                t("download_file", name=name),
                data=(folder / name).read_bytes,  # read on click, not on every run
                file_name=f"synthetic_{d['period']}_{name}",
                key=f"{d['period']}-{name}",
                on_click="ignore",
            )
        with st.popover("README"):
            st.markdown((folder / "README.md").read_text())
