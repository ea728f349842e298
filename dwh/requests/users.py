"""Users of the request pages and their roles; passwords hashed with scrypt (standard library)."""

import hashlib
import hmac
import re
import secrets

from dwh.requests import store

ROLES = ("researcher", "steward", "committee")
_N, _R, _P = 2**14, 8, 1


class UserError(ValueError):
    pass


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def _matches(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    mine = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    return hmac.compare_digest(mine.hex(), digest)


def add(name: str, role: str, password: str, email: str | None = None):
    if not re.fullmatch(r"[a-z0-9_.-]{2,40}", name):
        raise UserError("a user name is 2-40 lower-case letters, digits, '.', '_' or '-'")
    if role not in ROLES:
        raise UserError(f"the role is one of {', '.join(ROLES)}")
    if len(password) < 10:
        raise UserError("a password has at least 10 characters")
    with store.transaction() as con:
        if con.execute("select 1 from users where name = ?", [name]).fetchone():
            raise UserError(f"user {name} exists already")
        con.execute(
            "insert into users (name, role, password_hash, email, created_at) "
            "values (?, ?, ?, ?, ?)",
            [name, role, hash_password(password), email, store.now()],
        )


def authenticate(name: str, password: str) -> dict | None:
    """The user (name, role, email) when the password is right, else None."""
    with store.reading() as con:
        row = con.execute("select * from users where name = ?", [name]).fetchone()
    if row is None or not _matches(password, row["password_hash"]):
        return None
    return {"name": row["name"], "role": row["role"], "email": row["email"]}


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
