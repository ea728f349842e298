"""Home: what the figures are, which quarters exist, who delivered what, when published."""

import streamlit as st

import formats
from figures import footnotes
from i18n import lang, t
from queries import positions, publication, quarters, query

st.title(t("app_title"))
st.write(t("intro"))
st.write(t("population"))
pub = publication()

st.metric(t("published"), formats.date(pub.published_at, time=True))
available = quarters(pub)
st.subheader(t("periods"))
st.write(f"{available[0]} – {available[-1]} ({len(available)})")

st.subheader(t("positions"))
pos = positions(pub)
st.dataframe(
    pos[["position_code", f"label_{lang()}", f"main_group_label_{lang()}"]].rename(
        columns={
            "position_code": "code",
            f"label_{lang()}": t("position"),
            f"main_group_label_{lang()}": t("main_groups"),
        }
    ),
    hide_index=True,
    width="stretch",
)

st.subheader(t("deliveries"))
registration = query(
    pub,
    "select institution_code, institution_name_"
    + lang()
    + " as institution, year, registration_status from source_status",
)
matrix = (
    registration.assign(status=registration.registration_status.map(t))
    .pivot_table(index="institution", columns="year", values="status", aggfunc="first")
    .fillna("")
)
st.dataframe(matrix, width="stretch")
footnotes(pub, f"{available[0]} – {available[-1]}")
