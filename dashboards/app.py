"""The dashboards: global and local figures, synthetic data, researchers' requests, the
stewards' and the committee's pages.

Run with ``dwh serve`` (or ``streamlit run dashboards/app.py``).
"""

import streamlit as st

import access
from i18n import LANGUAGES, t

st.set_page_config(page_title="lmsp-dwh", layout="wide")
st.sidebar.selectbox(t("language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang")

pages = [
    st.Page("views/home.py", title=t("home"), default=True),
    st.Page("views/global_figures.py", title=t("global")),
    st.Page("views/local_figures.py", title=t("local")),
    st.Page("views/synthetic.py", title=t("synthetic")),
]
role = (access.user() or {}).get("role")
pages.append(st.Page("views/login.py", title=t("logout") if role else t("login")))
if role == "researcher":
    pages += [
        st.Page("views/request_form.py", title=t("request_data")),
        st.Page("views/my_requests.py", title=t("my_requests")),
    ]
if role == "steward":
    pages.append(st.Page("views/review.py", title=t("review")))
if role == "committee":
    pages.append(st.Page("views/committee.py", title=t("committee")))
if role == "steward":
    pages.append(st.Page("views/stewards.py", title=t("stewards")))
st.navigation(pages).run()
