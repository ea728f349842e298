"""The requests database: users, requests, their audit log and notifications.

SQLite in WAL mode under ``$DWH_HOME/requests/requests.db`` by default: transactional, one
file, readers never block the writer. The schema is plain SQL that PostgreSQL also takes
(``integer generated ... as identity`` aside, ids are given by ``autoincrement``); every
statement is parameterised.
"""

import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from dwh.core import paths

SCHEMA = """
create table if not exists users (
    name text primary key,
    role text not null check (role in ('researcher', 'steward', 'committee')),
    password_hash text not null,
    email text,
    created_at text not null
);
create table if not exists requests (
    id integer primary key autoincrement,
    number text unique,
    owner text not null references users (name),
    status text not null,
    kind text not null,
    body text not null,
    deliberation_number text,
    deliberation_date text,
    reason text,
    destroy_by text,
    created_at text not null,
    updated_at text not null
);
create table if not exists events (
    id integer primary key autoincrement,
    request_id integer not null references requests (id),
    at text not null,
    actor text not null,
    from_status text,
    to_status text not null,
    note text,
    via text
);
create table if not exists notifications (
    id integer primary key autoincrement,
    user_name text not null references users (name),
    request_id integer not null references requests (id),
    at text not null,
    message text not null,
    seen integer not null default 0,
    email_to text,
    emailed_at text,
    email_attempts integer not null default 0,
    email_error text
);
create table if not exists download_tokens (
    token_hash text primary key,
    number text not null,
    owner text not null references users (name),
    expires_at text not null,
    used_at text
);
create table if not exists login_failures (
    id integer primary key autoincrement,
    user_name text not null,
    client text not null,
    at text not null
);
create index if not exists login_failures_user on login_failures (user_name, at);
create index if not exists login_failures_client on login_failures (client, at);
create index if not exists requests_owner on requests (owner);
create index if not exists events_request on events (request_id);
"""
# Columns added after a store was first created: (table, column, definition).
MIGRATIONS = (
    ("notifications", "email_to", "text"),
    ("notifications", "emailed_at", "text"),
    ("notifications", "email_attempts", "integer not null default 0"),
    ("notifications", "email_error", "text"),
    ("events", "via", "text"),
)


def path() -> Path:
    return paths.home() / "requests" / "requests.db"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_READY: set[Path] = set()  # stores whose schema this process has put in place


def connect() -> sqlite3.Connection:
    """A connection with the schema in place (made and migrated once per process and store);
    waits up to 30 s for a writer to finish."""
    db = path()
    db.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(db, timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("pragma foreign_keys = on")
    if db not in _READY:
        con.execute("pragma journal_mode = wal")  # kept in the file
        con.executescript(SCHEMA)
        for table, column, definition in MIGRATIONS:
            if column not in {r["name"] for r in con.execute(f"pragma table_info({table})")}:
                con.execute(f"alter table {table} add column {column} {definition}")
        _READY.add(db)
    return con


@contextmanager
def reading():
    """A connection for reads, always closed."""
    con = connect()
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction():
    """One write transaction (``begin immediate``: writers queue instead of failing)."""
    con = connect()
    try:
        con.execute("begin immediate")
        yield con
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.close()
