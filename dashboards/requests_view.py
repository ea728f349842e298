"""The requests a user may see, and one of them shown inert: its fields as JSON and text,
never as markdown or HTML. Statuses, kinds, roles and column headers in the chosen language;
what people typed stays as they typed it."""

import re

import pandas as pd
import streamlit as st

from dwh.extracts.files import expire_due
from dwh.requests import workflow

from formats import date, number
from i18n import t


def statuses() -> dict[str, str]:
    """The workflow's statuses in the chosen language."""
    return {
        "draft": t("status_draft"),
        "submitted": t("status_submitted"),
        "under_review": t("status_under_review"),
        "awaiting_committee": t("status_awaiting_committee"),
        "approved": t("status_approved"),
        "rejected": t("status_rejected"),
        "withdrawn": t("status_withdrawn"),
        "extract_produced": t("status_extract_produced"),
        "delivered": t("status_delivered"),
        "expired": t("status_expired"),
    }


def headers() -> dict[str, str]:
    """Column headers of the requests' tables."""
    return {
        "number": t("choose_request"),
        "owner": t("f_requester"),
        "kind": t("f_kind"),
        "status": t("status"),
        "updated_at": t("req_updated_at"),
        "destroy_by": t("f_destroy_by"),
        "reason": t("reason"),
        "at": t("req_at"),
        "actor": t("req_actor"),
        "via": t("req_via"),
        "from_status": t("req_from_status"),
        "to_status": t("req_to_status"),
        "note": t("req_note"),
        "message": t("req_message"),
        "field": t("req_field"),
        "error": t("req_error"),
    }


def notes() -> dict[str, str]:
    """The notes the platform itself writes in the history (in English, for the audit log)."""
    return {
        "created": t("note_created"),
        "draft submitted": t("note_draft_submitted"),
        "withdrawn by the researcher": t("note_withdrawn"),
        "not justified by the purpose": t("note_not_justified"),
        "delivery downloaded": t("note_downloaded"),
        "destroy-by date passed: files deleted": t("note_expired"),
    }


# a notification as the workflow writes it: "<number>: <from> → <to>" and a reason
NOTIFICATION = re.compile(
    r"(?P<number>\S+): (?P<old>[a-z ]+) → (?P<new>[a-z ]+)(?: \((?P<why>.*)\))?"
)


def notification(message: str) -> str:
    """A notification in the chosen language (the reason as its author wrote it)."""
    found = NOTIFICATION.fullmatch(message or "")
    names = statuses()
    old, new = (found and names.get(found[k].replace(" ", "_")) for k in ("old", "new"))
    if not (old and new):
        return message
    text = t("notification", number=found["number"], old=old, new=new)
    return text + (f" ({found['why']})" if found["why"] else "")


def _moment(value) -> str:
    return date(str(value), time=True) if value else ""


def table(rows: list[dict], columns: list[str]):
    """Rows of requests, events or notifications with their values and headers translated."""
    frame = pd.DataFrame(rows, columns=columns)
    names = statuses() | {"anonymous_sample": t("anonymous_sample")}
    names |= {"pseudonymised": t("pseudonymised")}
    for column in {"status", "from_status", "to_status", "kind"} & set(frame):
        frame[column] = frame[column].map(lambda v: names.get(v, v or ""))
    for column in {"updated_at", "at"} & set(frame):
        frame[column] = frame[column].map(_moment)
    if "destroy_by" in frame:
        frame["destroy_by"] = frame.destroy_by.map(lambda v: date(v) if v else "")
    if "actor" in frame:  # a user's name, or the system's (expiry)
        frame["actor"] = frame.actor.map(lambda v: t("via_system") if v == "system" else v)
    if "note" in frame:
        frame["note"] = frame.note.map(lambda v: notes().get(v, v or ""))
    if "message" in frame:
        frame["message"] = frame.message.map(notification)
    if "via" in frame:
        ways = {"web": t("via_web"), "cli": t("via_cli"), "system": t("via_system")}
        frame["via"] = frame.via.map(lambda v: ways.get(v, v))
    st.dataframe(frame.rename(columns=headers()), hide_index=True, width="stretch")


def show(number: str, viewer: dict):
    request = workflow.get(number, viewer)
    st.text(
        t(
            "request_line",
            number=number,
            kind=t(request["kind"]),
            status=statuses()[request["status"]],
            owner=request["owner"],
            destroy_by=date(request["destroy_by"]),
        )
    )
    if request["reason"]:
        st.text(t("request_reason", reason=request["reason"]))
    if request["deliberation_number"]:
        st.text(f"{request['deliberation_number']} ({date(request['deliberation_date'])})")
    st.json(request["body"], expanded=False)
    st.caption(t("history"))
    table(
        workflow.history(number, viewer),
        ["at", "actor", "via", "from_status", "to_status", "note"],
    )
    return request


def choose(viewer: dict, columns: list[str], key: str) -> dict:
    """Table of the viewer's requests (expired ones cleared first), one chosen and shown."""
    expire_due()
    requests = workflow.visible(viewer)
    if not requests:
        st.info(t("no_requests"))
        st.stop()
    table(requests, columns)
    number = st.selectbox(
        t("choose_request"), [r["number"] for r in requests], key=key, placeholder=t("choose_one")
    )
    return show(number, viewer)


def errors(found: dict):
    """The wrong fields of a request, in a table, each field named and each problem said in
    the chosen language (the researcher's own text stays inert)."""
    st.error(t("invalid"))
    _problems(found)


def _problems(found: dict):
    rows = [{"field": field_name(field), "error": message(p)} for field, p in found.items()]
    table(rows, ["field", "error"])


# why a synthetic version was refused (synthesis.requested.CutRefused's codes)
REFUSALS = {
    "ended": "cut_ended",
    "kind": "cut_kind",
    "invalid": "cut_invalid",
    "no_release": "cut_no_release",
    "gate": "cut_gate",
    "failed": "cut_failed",
    "unpublished": "cut_unpublished",
    "empty": "cut_empty",
}


def refusal(refused):
    """Why the synthetic version of a request was refused, in the chosen language, with the
    request's wrong fields when that is why (shown as text: never markdown)."""
    st.error(t("synthetic_refused"))
    params = dict(refused.params)
    if "status" in params:
        params["status"] = statuses().get(params["status"], params["status"])
    st.text(t(REFUSALS[refused.code], **params))
    if refused.errors:
        _problems(refused.errors)


def field_name(field: str) -> str:
    """A field of the request as the form labels it (``population.regions``, ``variables``)."""
    names = {
        "variables": t("cart"),
        "sample": t("f_percent"),
        "population": t("population_filters"),
        "age": t("f_ages"),
        "age_min": t("f_ages"),
        "age_max": t("f_ages"),
        "dpo_contact": t("f_dpo_contact"),
        "destroy_by": t("f_destroy_by"),
        "kind": t("f_kind"),
        "periods": t("f_periods"),
        "structure": t("f_structure"),
        "format": t("f_format"),
        "percent": t("f_percent"),
        "stratify_by_region": t("f_stratify"),
        "household_members": t("f_household_members"),
        "purpose": t("f_purpose"),
        "publication_plan": t("f_publication_plan"),
        "legal_basis": t("f_legal_basis"),
        "security": t("f_security"),
        "requester": t("f_requester"),
        "organisation": t("f_organisation"),
        "principal_investigator": t("f_principal_investigator"),
        "regions": t("f_regions"),
        "provinces": t("f_provinces"),
        "arrondissements": t("f_arrondissements"),
        "municipalities": t("f_municipalities"),
        "sexes": t("f_sexes"),
        "positions": t("f_positions"),
    }
    parts = str(field).split(".")
    return " › ".join(names.get(part, part) for part in parts)


def message(problem) -> str:
    """A problem of the request form (``dwh.requests.form.Problem``) in the chosen language;
    a level of geography is named as the form names it."""
    values = dict(getattr(problem, "values", {}))
    if "level" in values:
        values["level"] = t(f"f_{values['level']}")
    for name in ("maximum", "minimum"):
        if isinstance(values.get(name), int):
            values[name] = number(values[name])
    return t(f"err_{problem.code}", **values) if hasattr(problem, "code") else str(problem)
