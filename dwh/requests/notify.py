"""E-mails of the notifications, sent after the transaction that wrote them has committed.

Every move of a request writes a notification row in its transaction (the app shows it at
once). When ``DWH_SMTP_HOST`` is set and the owner has an address, the row also names that
address; it is mailed afterwards, outside any transaction, so that no lock is held while a
mail server answers. A failure is recorded on the row (attempts, error) and the mail is tried
again by the next move or by ``dwh requests notify``, up to ``MAX_ATTEMPTS`` times.
"""

import os
import smtplib
from email.message import EmailMessage

from dwh.requests import store

MAX_ATTEMPTS = 5


def address_for(con, user_name: str) -> str | None:
    """The address a notification to ``user_name`` is mailed to, if mail is configured."""
    if not os.environ.get("DWH_SMTP_HOST"):
        return None
    row = con.execute("select email from users where name = ?", [user_name]).fetchone()
    return row[0] if row and row[0] else None


def pending() -> list[dict]:
    """Notifications with an address, not mailed yet, with attempts left."""
    with store.reading() as con:
        rows = con.execute(
            "select id, email_to, message from notifications where email_to is not null "
            "and emailed_at is null and email_attempts < ? order by id",
            [MAX_ATTEMPTS],
        ).fetchall()
    return [dict(r) for r in rows]


def send_pending() -> tuple[int, int]:
    """Mail every pending notification; returns (sent, failed). Never raises for a mail
    server that is down: the failure is recorded and the mail tried again later."""
    host = os.environ.get("DWH_SMTP_HOST")
    if not host:
        return 0, 0
    sent = failed = 0
    for note in pending():
        error = None
        try:
            _send(host, note["email_to"], note["message"])
        except (OSError, smtplib.SMTPException, ValueError) as e:
            error = f"{type(e).__name__}: {e}"[:500]
        with store.transaction() as con:
            con.execute(
                "update notifications set email_attempts = email_attempts + 1, "
                "emailed_at = case when ? is null then ? end, email_error = ? where id = ?",
                [error, store.now(), error, note["id"]],
            )
        sent, failed = (sent + 1, failed) if error is None else (sent, failed + 1)
    return sent, failed


def _send(host: str, to: str, message: str):
    mail = EmailMessage()
    mail["From"] = os.environ.get("DWH_SMTP_FROM", "lmsp-dwh@localhost")
    mail["To"] = to
    mail["Subject"] = f"[lmsp-dwh] {' '.join(message.split())[:200]}"  # one line
    mail.set_content(f"{message}\n\nSee your requests in the app.")
    with smtplib.SMTP(host, int(os.environ.get("DWH_SMTP_PORT", "25")), timeout=10) as server:
        server.send_message(mail)
