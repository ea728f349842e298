"""Downloading a delivery: a short-lived, single-use token, minted for the owner in a
signed-in session and redeemed by the dashboards' ``/delivery/<token>`` address.

Only a hash of the token is stored; a token is valid ``TOKEN_SECONDS`` once; redeeming it
checks again that the request may still be downloaded by its owner, and writes the download
in the audit log. A delivery is never a file that anyone with its address can fetch.
"""

import hashlib
import io
import secrets
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dwh.extracts.files import ExtractError, delivery
from dwh.requests import store, users, workflow

TOKEN_SECONDS = 120


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def mint(number: str, viewer: dict) -> str:
    """A token for ``viewer`` to download the delivery of ``number`` (their own)."""
    if viewer["role"] != "researcher":
        raise ExtractError("deliveries are downloaded by the researcher who asked for them")
    delivery(number, viewer)  # NotFound or ExtractError when it is not theirs to download
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + timedelta(seconds=TOKEN_SECONDS)
    with store.transaction() as con:
        con.execute(
            "insert into download_tokens (token_hash, number, owner, expires_at) "
            "values (?, ?, ?, ?)",
            [_hash(token), number, viewer["name"], expires.isoformat()],
        )
    return token


def redeem(token: str) -> tuple[str, bytes]:
    """The file name and the bytes (a zip) of the delivery a valid token opens, once."""
    now = datetime.now(UTC)
    with store.transaction() as con:
        row = con.execute(
            "select * from download_tokens where token_hash = ?", [_hash(token[:100])]
        ).fetchone()
        if row is None or row["used_at"] or datetime.fromisoformat(row["expires_at"]) < now:
            raise ExtractError("this download link is not valid (any more): ask for a new one")
        con.execute(
            "update download_tokens set used_at = ? where token_hash = ?",
            [now.isoformat(), row["token_hash"]],
        )
    owner = {**users.get(row["owner"]), "via": "web"}
    folder = delivery(row["number"], owner)
    workflow.record(row["number"], owner, "delivery downloaded")
    return f"{row['number']}.zip", archive(row["number"], folder)


def archive(number: str, folder: Path) -> bytes:
    """The delivery folder as one zip file."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.iterdir()):
            z.write(f, f"{number}/{f.name}")
    return buffer.getvalue()
