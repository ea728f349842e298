"""The life of a request: who may move it from which state to which, with an audit log and a
notification to the researcher at every step.

submitted -> under_review -> awaiting_committee (pseudonymised data) -> approved | rejected
-> extract_produced -> delivered -> expired; anonymous samples are covered by the general
deliberation and go from review straight to approved. Drafts and requests not yet decided
can be withdrawn by their owner.
"""

import json
import shutil
from datetime import date

from dwh.core import paths
from dwh.requests import form, notify, store

STATES = (
    "draft",
    "submitted",
    "under_review",
    "awaiting_committee",
    "approved",
    "rejected",
    "withdrawn",
    "extract_produced",
    "delivered",
    "expired",
)
# (from, to): the role that may make the move ("owner": the researcher who made the request)
TRANSITIONS = {
    ("draft", "submitted"): "owner",
    ("draft", "withdrawn"): "owner",
    ("submitted", "withdrawn"): "owner",
    ("under_review", "withdrawn"): "owner",
    ("submitted", "under_review"): "steward",
    ("under_review", "awaiting_committee"): "steward",
    ("under_review", "approved"): "steward",
    ("under_review", "rejected"): "steward",
    ("awaiting_committee", "approved"): "committee",
    ("awaiting_committee", "rejected"): "committee",
    ("approved", "extract_produced"): "steward",
    ("extract_produced", "delivered"): "steward",
    ("approved", "expired"): "system",
    ("extract_produced", "expired"): "system",
    ("delivered", "expired"): "system",
}
# The moves that approve a request, by kind: its kind decides its route, and nothing else can
# (the moves are checked against it, and the extract checks the route the request took).
ROUTES = {
    "anonymous_sample": (("under_review", "approved"),),
    "pseudonymised": (("under_review", "awaiting_committee"), ("awaiting_committee", "approved")),
}
APPROVING = {move for route in ROUTES.values() for move in route}
DOWNLOADABLE = ("extract_produced", "delivered")
ENDS = ("rejected", "withdrawn", "expired")  # moves that end a request, whatever it holds
# Moves after which the request is acted on as it stands: it is checked again in full.
CHECKED = {
    ("draft", "submitted"),
    ("under_review", "awaiting_committee"),
    ("under_review", "approved"),
    ("awaiting_committee", "approved"),
}


class WorkflowError(ValueError):
    """A move that is not allowed, with the reason."""


class NotFound(LookupError):
    """No such request for this user (the same answer whether it exists or not)."""


def _row(con, number: str, viewer: dict) -> dict:
    row = con.execute("select * from requests where number = ?", [number]).fetchone()
    if row is None or (viewer["role"] == "researcher" and row["owner"] != viewer["name"]):
        raise NotFound(f"no request {number}")
    out = dict(row)
    out["body"] = json.loads(out["body"])
    return out


def get(number: str, viewer: dict) -> dict:
    with store.reading() as con:
        return _row(con, number, viewer)


def visible(viewer: dict) -> list[dict]:
    """The requests a user may see: a researcher their own, stewards and committee all."""
    sql = "select * from requests"
    params = []
    if viewer["role"] == "researcher":
        sql += " where owner = ?"
        params = [viewer["name"]]
    with store.reading() as con:
        rows = con.execute(sql + " order by id desc", params).fetchall()
    return [{**dict(r), "body": json.loads(r["body"])} for r in rows]


def past_destroy_by(today: date) -> list[str]:
    """The requests whose files may still exist after their destroy-by date."""
    expiring = [source for (source, to) in TRANSITIONS if to == "expired"]
    with store.reading() as con:
        rows = con.execute(
            f"select number from requests where status in ({', '.join('?' * len(expiring))}) "
            "and destroy_by < ? order by id",
            [*expiring, today.isoformat()],
        ).fetchall()
    return [number for (number,) in rows]


def history(number: str, viewer: dict) -> list[dict]:
    with store.reading() as con:
        request = _row(con, number, viewer)
        rows = con.execute(
            "select at, actor, via, from_status, to_status, note from events "
            "where request_id = ? order by id",
            [request["id"]],
        ).fetchall()
    return [dict(r) for r in rows]


def create(owner: dict, body: dict, kind: str, draft: bool = False) -> str:
    """Store a new request (validated by the caller) and return its number."""
    if owner["role"] != "researcher":
        raise WorkflowError("only researchers make requests")
    status = "draft" if draft else "submitted"
    with store.transaction() as con:
        cursor = con.execute(
            "insert into requests (owner, status, kind, body, destroy_by, created_at, "
            "updated_at) values (?, ?, ?, ?, ?, ?, ?)",
            [
                owner["name"],
                status,
                kind,
                json.dumps(body),
                body.get("destroy_by"),
                store.now(),
                store.now(),
            ],
        )
        number = f"R{date.today().year}-{cursor.lastrowid:05d}"
        con.execute("update requests set number = ? where id = ?", [number, cursor.lastrowid])
        _event(con, cursor.lastrowid, owner, None, status, "created")
    return number


def update(number: str, owner: dict, body: dict, kind: str):
    """Replace the body of a draft."""
    with store.transaction() as con:
        request = _row(con, number, owner)
        if request["owner"] != owner["name"] or request["status"] != "draft":
            raise WorkflowError("only the owner changes a request, and only while it is a draft")
        con.execute(
            "update requests set body = ?, kind = ?, destroy_by = ?, updated_at = ? where id = ?",
            [json.dumps(body), kind, body.get("destroy_by"), store.now(), request["id"]],
        )


def move(
    number: str,
    actor: dict,
    to: str,
    note: str | None = None,
    *,
    reason: str | None = None,
    deliberation_number: str | None = None,
    deliberation_date: str | None = None,
) -> dict:
    """Move a request to ``to`` if ``actor`` may; records the event and notifies the owner.

    Moves after which the request is acted on check it again in full against the served
    publication (outside the write transaction; the transaction then makes sure that nothing
    changed meanwhile)."""
    checked = get(number, actor)
    if (checked["status"], to) in CHECKED and (errors := form.check(checked["body"])):
        raise form.InvalidRequest(errors)
    with store.transaction() as con:
        request = _row(con, number, actor)
        if (request["status"], request["body"]) != (checked["status"], checked["body"]):
            raise WorkflowError(f"{number} changed while it was checked: try again")
        source = request["status"]
        role = TRANSITIONS.get((source, to))
        if role is None:
            raise WorkflowError(f"{number} is {source}; it cannot become {to}")
        allowed = (
            actor["role"] == role
            or (role == "owner" and actor["name"] == request["owner"])
            or (role == "system" and actor["role"] == "steward")
        )
        if not allowed:
            raise WorkflowError(f"moving {number} from {source} to {to} is for the {role}")
        kind = request["kind"]
        unknown_kind = kind not in form.KINDS or request["body"].get("kind") != kind
        if unknown_kind and to not in ENDS:
            raise WorkflowError(f"{number} is of no known kind: it cannot move")
        if (source, to) in APPROVING and (source, to) not in ROUTES.get(kind, ()):
            raise WorkflowError(
                "pseudonymised microdata need the committee's deliberation"
                if kind == "pseudonymised"
                else "anonymous samples are covered by the general deliberation"
            )
        if to == "rejected" and not (reason or "").strip():
            raise WorkflowError("a rejection needs a reason the researcher will read")
        if role == "committee" and to == "approved":
            if not (deliberation_number or "").strip() or not deliberation_date:
                raise WorkflowError("record the deliberation number and date")
            date.fromisoformat(deliberation_date)
        if to == "expired":  # on every path to expired, the delivered files go first
            folders = paths.extract_folders(number)
            for folder in folders:
                shutil.rmtree(folder, ignore_errors=True)
            if any(folder.exists() for folder in folders):
                raise WorkflowError(f"the files of {number} could not be deleted")
        con.execute(
            "update requests set status = ?, reason = coalesce(?, reason), "
            "deliberation_number = coalesce(?, deliberation_number), "
            "deliberation_date = coalesce(?, deliberation_date), updated_at = ? where id = ?",
            [to, reason, deliberation_number, deliberation_date, store.now(), request["id"]],
        )
        _event(con, request["id"], actor, source, to, note or reason)
        message = f"{number}: {source.replace('_', ' ')} → {to.replace('_', ' ')}" + (
            f" ({reason})" if reason else ""
        )
        _notify(con, request, message)
    notify.send_pending()
    return {**request, "status": to}


def approved_by_its_route(number: str, viewer: dict) -> bool:
    """Whether the moves that approved the request are the route of its kind as it is now
    (a kind changed in the store after approval does not get the other kind's content)."""
    with store.reading() as con:
        request = _row(con, number, viewer)
        rows = con.execute(
            "select from_status, to_status from events where request_id = ? order by id",
            [request["id"]],
        ).fetchall()
    taken = tuple((r["from_status"], r["to_status"]) for r in rows if tuple(r) in APPROVING)
    return taken == ROUTES.get(request["kind"])


def record(number: str, actor: dict, note: str):
    """An event of the audit log that moves nothing (a delivery downloaded, say)."""
    with store.transaction() as con:
        request = _row(con, number, actor)
        _event(con, request["id"], actor, request["status"], request["status"], note)


def minimise(number: str, actor: dict, remove: list[str], note: str):
    """The steward removes variables that the purpose does not justify (data minimisation)."""
    with store.transaction() as con:
        request = _row(con, number, actor)
        if actor["role"] != "steward" or request["status"] != "under_review":
            raise WorkflowError("stewards minimise requests under review")
        unknown = set(remove) - set(request["body"]["variables"])
        if unknown:
            raise WorkflowError(f"not in the request: {', '.join(sorted(unknown))}")
        body = request["body"]
        body["variables"] = {k: v for k, v in body["variables"].items() if k not in remove}
        con.execute(
            "update requests set body = ?, updated_at = ? where id = ?",
            [json.dumps(body), store.now(), request["id"]],
        )
        text = f"variables removed: {', '.join(remove)}; {note}"
        _event(con, request["id"], actor, "under_review", "under_review", text)
        _notify(con, request, f"{number}: {text}")
    notify.send_pending()


def _event(con, request_id: int, actor: dict, source: str | None, to: str, note: str | None):
    """One line of the audit log: who (as authenticated, and how: web, cli or system)."""
    con.execute(
        "insert into events (request_id, at, actor, from_status, to_status, note, via) "
        "values (?, ?, ?, ?, ?, ?, ?)",
        [request_id, store.now(), actor["name"], source, to, note, actor.get("via")],
    )


def _notify(con, request: dict, message: str):
    """A notification to the owner, in the app at once; mailed after the transaction commits
    (:mod:`dwh.requests.notify`) when an SMTP server is configured and the owner has an
    address."""
    con.execute(
        "insert into notifications (user_name, request_id, at, message, email_to) "
        "values (?, ?, ?, ?, ?)",
        [
            request["owner"],
            request["id"],
            store.now(),
            message,
            notify.address_for(con, request["owner"]),
        ],
    )


def notifications(user: dict) -> list[dict]:
    with store.reading() as con:
        rows = con.execute(
            "select n.at, n.message, r.number from notifications n join requests r "
            "on r.id = n.request_id where n.user_name = ? order by n.id desc",
            [user["name"]],
        ).fetchall()
    return [dict(r) for r in rows]
