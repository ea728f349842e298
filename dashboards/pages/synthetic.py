"""Synthetic data: released synthetic datasets with their reports (none are released yet)."""

import streamlit as st

from i18n import t

st.title(t("synthetic"))
st.info(t("no_synthetic"))
