"""The dashboards: global and local figures, synthetic data, and the stewards' pages.

Run with ``dwh serve`` (or ``streamlit run dashboards/app.py``).
"""

import os

import streamlit as st

from i18n import LANGUAGES, t

st.set_page_config(page_title="lmsp-dwh", layout="wide")
st.sidebar.selectbox(t("language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang")

pages = [
    st.Page("pages/home.py", title=t("home"), default=True),
    st.Page("pages/global_figures.py", title=t("global")),
    st.Page("pages/local_figures.py", title=t("local")),
    st.Page("pages/synthetic.py", title=t("synthetic")),
]
if os.environ.get("DWH_STEWARD_PAGES") == "1":
    pages.append(st.Page("pages/stewards.py", title=t("stewards")))
st.navigation(pages).run()
