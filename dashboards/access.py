"""Who is signed in, and which pages each role reaches. Request pages are only added to the
navigation for the roles they serve, and each checks the role again when it runs."""

import streamlit as st

from dwh.requests import users

from i18n import t


def roles() -> dict[str, str]:
    """The roles in the chosen language."""
    return {
        "researcher": t("role_researcher"),
        "steward": t("role_steward"),
        "committee": t("role_committee"),
    }


def user() -> dict | None:
    return st.session_state.get("user")


def require(*allowed: str) -> dict:
    """The signed-in user if their role is one of ``allowed``; otherwise stop the page."""
    current = user()
    if current is None or current["role"] not in allowed:
        st.warning(t("login_needed", role=" / ".join(map(roles().get, allowed))))
        st.stop()
    return current


def page():
    """The sign-in page: sign in, or see who is signed in and sign out."""
    current = user()
    st.title(t("login"))
    if current:
        st.info(t("signed_in", name=current["name"], role=roles()[current["role"]]))
        if st.button(t("logout"), key="logout"):
            del st.session_state["user"]
            st.rerun()
        return
    name = st.text_input(t("user_name"), key="login_name", max_chars=40)
    password = st.text_input(t("password"), type="password", key="login_password", max_chars=1000)
    if st.button(t("login"), key="login_submit", type="primary"):
        ip = st.context.ip_address
        client = f"web:{ip}" if ip else ""  # no shared bucket for unknown addresses
        try:
            found = users.authenticate(name.strip()[:100], password[:1000], client, via="web")
        except users.Throttled as e:
            st.error(t("throttled", seconds=e.seconds))
            return
        if found is None:
            st.error(t("wrong_login"))
        else:
            st.session_state["user"] = found
            st.rerun()
