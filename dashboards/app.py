"""The dashboards: global and local figures, synthetic data, researchers' requests, the
stewards' and the committee's pages.

The frame around every page: the navigation at the top, the language and a link to the view
(``links``) above the page, the tab title and ``<html lang>`` in the chosen language, a layout
that fits a phone, and an error message for people instead of a traceback.

Run with ``dwh serve`` (or ``streamlit run dashboards/app.py``).
"""

import logging

import streamlit as st
from altair.utils import schemapi

import access
import links
from i18n import LANGUAGES, lang, t

LOG = logging.getLogger("dashboards")

# Phones: tables and charts scroll sideways inside their own box instead of being cut off.
STYLE = """
<style>
[data-testid="stVegaLiteChart"], .vega-embed { max-width: 100%; overflow-x: auto; }
[data-testid="stDataFrame"] { max-width: 100%; overflow-x: auto; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding: 3.5rem 0.75rem 2rem; }
}
</style>
"""

# Altair checks every chart object against its JSON schema as it is built (its debug mode):
# about a third of a page run on the national publication (formats.py also leaves out the
# check of each finished chart)
schemapi.disable_debug_mode()

if "lang" not in st.session_state:
    st.session_state["lang"] = links.language()


def page(path: str, key: str, **options) -> st.Page:
    """A page with its own address, whatever the language (``url_path``)."""
    name = path.removeprefix("views/").removesuffix(".py")
    return st.Page(path, title=t(key), url_path=None if options.get("default") else name, **options)


pages = [
    page("views/home.py", "home", default=True),
    page("views/global_figures.py", "global"),
    page("views/local_figures.py", "local"),
    page("views/profile.py", "profile"),
    page("views/disability.py", "disability"),
    page("views/mobility.py", "mobility"),
    page("views/cohorts.py", "cohorts"),
    page("views/households.py", "households_page"),
    page("views/synthetic.py", "synthetic"),
]
role = (access.user() or {}).get("role")
pages.append(page("views/login.py", "logout" if role else "login"))
if role == "researcher":
    pages += [
        page("views/request_form.py", "request_data"),
        page("views/my_requests.py", "my_requests"),
    ]
if role == "steward":
    pages.append(page("views/review.py", "review"))
if role == "committee":
    pages.append(page("views/committee.py", "committee"))
if role == "steward":
    pages.append(page("views/stewards.py", "stewards"))
current = st.navigation(pages, position="top")
st.set_page_config(
    page_title=f"{current.title} · {t('app_title')}",
    layout="wide",
    initial_sidebar_state="collapsed",
)
st.html(STYLE)
st.html(
    f"<script>document.documentElement.lang = {lang()!r};</script>",
    unsafe_allow_javascript=True,
)

# the language and the link on one row, at the top right, on every screen (never in the sidebar)
bar = st.container(horizontal=True, horizontal_alignment="right", vertical_alignment="center")
bar.segmented_control(
    t("language"),
    list(LANGUAGES),
    format_func=str.upper,
    key="lang",
    required=True,
    label_visibility="collapsed",
)
st.query_params[links.LANG] = lang()
try:
    current.run()
except Exception:  # Streamlit's stop and rerun are not Exceptions: they pass
    LOG.exception("page %s failed", current.url_path)
    st.error(t("page_error"))
finally:  # the link after the page ran: with the filters it wrote into the address
    with bar:
        links.copy_link()
