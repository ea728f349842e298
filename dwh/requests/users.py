"""Users of the request pages and their roles; passwords hashed with scrypt (standard library)
at current guidance (N = 2^17, r = 8, p = 1), a minimum policy, and sign-ins throttled.

Sign-in takes as long for an unknown user as for a known one (a dummy hash is checked), so
user names cannot be found by timing. After ``FREE_FAILURES`` wrong passwords for a user (or
``FREE_CLIENT_FAILURES`` from one client) every attempt, the right password included, is
refused until a delay has passed that doubles with each further failure, up to
``MAX_DELAY`` seconds; a sign-in that succeeds clears the user's failures.
"""

import hashlib
import hmac
import re
import secrets
import threading
from datetime import UTC, datetime, timedelta

from dwh.requests import store

ROLES = ("researcher", "steward", "committee")
_N, _R, _P = 2**17, 8, 1
_MAXMEM = 256 * 1024 * 1024  # scrypt needs 128 * N * r bytes: 128 MB at these parameters
MIN_LENGTH = 12
COMMON = {  # a few of the most used passwords of that length, refused outright
    "password1234", "123456789012", "qwertyuiop12", "azertyuiop12", "passwordpassword",
    "iloveyou1234", "wachtwoord12", "motdepasse12", "welkom123456", "bienvenue123",
}  # fmt: skip
FREE_FAILURES, FREE_CLIENT_FAILURES = 5, 20
MAX_DELAY = 15 * 60
WINDOW = 24 * 3600  # failures older than this are forgotten


class UserError(ValueError):
    pass


class Throttled(Exception):
    """Too many wrong passwords: no sign-in for ``seconds``, whatever the password."""

    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(f"too many wrong passwords: try again in {seconds} s")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, _N, _R, _P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM)


def _matches(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    mine = _scrypt(password, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(mine.hex(), digest)


# At most two password checks at once: each takes 128 MB, so a crowd of sign-ins queues
# instead of exhausting the memory.
_HASHING = threading.BoundedSemaphore(2)
# Checked for unknown users, so that they take as long as known ones.
_DUMMY = hash_password(secrets.token_hex(16))


def check_policy(name: str, password: str):
    """Refuse a password that is short, common, made of few characters or holds the name."""
    if len(password) < MIN_LENGTH:
        raise UserError(f"a password has at least {MIN_LENGTH} characters")
    if len(set(password)) < 5 or password.lower() in COMMON:
        raise UserError("this password is too easy to guess: choose a longer phrase")
    if name.lower() in password.lower():
        raise UserError("a password does not contain the user name")


def add(name: str, role: str, password: str, email: str | None = None):
    if not re.fullmatch(r"[a-z0-9_.-]{2,40}", name):
        raise UserError("a user name is 2-40 lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise UserError(f"the role is one of {', '.join(ROLES)}")
    if email is not None and (len(email) > 254 or "@" not in email):
        raise UserError("an e-mail address has an '@' and at most 254 characters")
    check_policy(name, password)
    with store.transaction() as con:
        if con.execute("select 1 from users where name = ?", [name]).fetchone():
            raise UserError(f"user {name} exists already")
        con.execute(
            "insert into users (name, role, password_hash, email, created_at) "
            "values (?, ?, ?, ?, ?)",
            [name, role, hash_password(password), email, store.now()],
        )


def _wait(con, column: str, value: str, free: int, now: datetime) -> int:
    """Seconds before ``value`` (a user or a client) may try again (0: now)."""
    since = (now - timedelta(seconds=WINDOW)).isoformat()
    count, last = con.execute(
        f"select count(*), max(at) from login_failures where {column} = ? and at > ?",
        [value, since],
    ).fetchone()
    if count < free:
        return 0
    delay = min(2 ** (count - free), MAX_DELAY)
    elapsed = now.timestamp() - datetime.fromisoformat(last).timestamp()
    return max(0, int(delay - elapsed + 0.999))


def _now() -> datetime:
    return datetime.now(UTC)


def authenticate(name: str, password: str, client: str = "", via: str = "web") -> dict | None:
    """The user (name, role, email, via) when the password is right, else None; raises
    :class:`Throttled` while the user or the client must wait, before looking at the password.

    The attempt is counted as a failure in the same transaction that checks the wait, before
    the password is checked (and uncounted when it is right), so that guesses sent at once
    are throttled like guesses sent one by one. An empty ``client`` (its address unknown) is
    throttled by user only: one shared bucket would let anyone lock everyone out.
    """
    now = _now()
    with store.transaction() as con:
        wait = max(
            _wait(con, "user_name", name, FREE_FAILURES, now),
            _wait(con, "client", client, FREE_CLIENT_FAILURES, now) if client else 0,
        )
        row = con.execute("select * from users where name = ?", [name]).fetchone()
        if not wait:
            con.execute(
                "insert into login_failures (user_name, client, at) values (?, ?, ?)",
                [name[:100], client[:100], now.isoformat()],
            )
    if wait:
        raise Throttled(wait)
    with _HASHING:
        right = _matches(password, row["password_hash"] if row else _DUMMY) and row is not None
    if not right:
        return None
    with store.transaction() as con:
        con.execute("delete from login_failures where user_name = ?", [name])
        if not row["password_hash"].startswith(f"scrypt${_N}$"):  # older parameters
            con.execute(
                "update users set password_hash = ? where name = ?",
                [hash_password(password), name],
            )
    return {"name": row["name"], "role": row["role"], "email": row["email"], "via": via}


def get(name: str) -> dict | None:
    with store.reading() as con:
        row = con.execute("select name, role, email from users where name = ?", [name]).fetchone()
    return dict(row) if row else None


def all_users() -> list[dict]:
    with store.reading() as con:
        rows = con.execute(
            "select name, role, email, created_at from users order by name"
        ).fetchall()
    return [dict(r) for r in rows]
