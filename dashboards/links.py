"""Shareable views: the language and each page's filters live in the address
(``st.query_params``), so a link opens the same page, in the same language, with the same
filters.

The address is user input: every value read from it is checked against the widget's own
options, and anything else falls back to the default (never an exception).

- ``param(key, options, default)``: a widget's initial value from the address;
- ``share(*keys)``: the widgets' current values into the address;
- ``language()``: the chosen language, from the address, else the browser's, else Dutch;
- ``copy_link()``: the address of the current view, with a copy button.
"""

from urllib.parse import urlencode

import streamlit as st

from i18n import LANGUAGES, t

LANG = "lang"


def _text(value) -> str:
    """A widget value as the address writes it (codes, never labels: a link works in
    every language)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def param(key: str, options, default):
    """The value of widget ``key`` from the shared link if it is among ``options``, else
    ``default``. For a multiselect (``default`` a list): the valid values in the link's order,
    an empty value (``?key=``) for an empty selection, ``default`` when none is valid."""
    if key not in st.query_params:
        return default
    by_text = {_text(option): option for option in options}
    given = st.query_params.get_all(key)
    if isinstance(default, list):
        values = [value for value in given if value]
        if not values:
            return []
        chosen = list(dict.fromkeys(by_text[v] for v in values if v in by_text))
        return chosen or default
    return by_text.get(given[-1], default) if given else default


def share(*keys: str):
    """Write the current values of the widgets ``keys`` into the address (beside the
    language, which the app keeps there)."""
    for key in keys:
        value = st.session_state.get(key)
        if value is None:
            st.query_params.pop(key, None)
        elif isinstance(value, list | tuple | set):
            st.query_params[key] = [_text(v) for v in value] or ""
        else:
            st.query_params[key] = _text(value)


def language() -> str:
    """The language of this visit: the link's, else the browser's if we have it, else Dutch."""
    browser = (st.context.locale or "")[:2].lower()
    return param(LANG, list(LANGUAGES), browser if browser in LANGUAGES else "nl")


def current() -> str:
    """The address of the current view: page, language and shared filters."""
    base = (st.context.url or "").split("?")[0]
    query = urlencode(
        [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    )
    return f"{base}?{query}" if query else base


def copy_link():
    """A "link to this view" button opening the address, ready to copy."""
    with st.popover(t("share_link"), icon=":material/link:"):
        st.caption(t("share_link_help"))
        st.code(current(), language=None, wrap_lines=True)
