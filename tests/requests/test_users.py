"""Users and sign-in under attack: passwords to current guidance, throttling with backoff,
unknown users as slow as known ones, and a command line that believes no name."""

import hashlib
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dwh.requests import store, users, workflow
from dwh.requests.submission import submit

from factory import PASSWORD, body

DWH = str(Path(sys.executable).with_name("dwh"))


def _dwh(*args, password: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [DWH, *args], capture_output=True, text=True, timeout=600, input=password + "\n"
    )


def test_passwords_follow_current_guidance(people):
    for weak, why in (
        ("short pass", "at least 12"),
        ("password1234", "too easy"),
        ("aaaaaaaaaaaaaaaa", "too easy"),
        ("my name is dora!", "user name"),
    ):
        with pytest.raises(users.UserError, match=why):
            users.add("dora", "researcher", weak)
    users.add("dora", "researcher", "a long enough phrase")
    with store.reading() as con:
        stored = con.execute("select password_hash from users where name = 'dora'").fetchone()[0]
    assert stored.startswith(f"scrypt${2**17}$8$1$")


def test_an_old_hash_is_upgraded_at_the_next_sign_in(people):
    salt = b"0123456789abcdef"
    old = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2**14, r=8, p=1)
    with store.transaction() as con:
        con.execute(
            "update users set password_hash = ? where name = 'bob'",
            [f"scrypt${2**14}$8$1${salt.hex()}${old.hex()}"],
        )
    assert users.authenticate("bob", PASSWORD)["name"] == "bob"
    with store.reading() as con:
        stored = con.execute("select password_hash from users where name = 'bob'").fetchone()[0]
    assert stored.startswith(f"scrypt${2**17}$")
    assert users.authenticate("bob", PASSWORD)["name"] == "bob"


@pytest.fixture
def frozen(monkeypatch):
    """The clock stopped: every attempt comes at the same moment (as a script makes them)."""
    moment = datetime.now(UTC)
    monkeypatch.setattr(users, "_now", lambda: moment)
    return moment


def test_wrong_passwords_lock_the_user_out_the_right_one_included(people, frozen):
    tries = [users.authenticate("alice", f"guess number {i}", "web:10.0.0.1") for i in range(5)]
    assert tries == [None] * 5
    with pytest.raises(users.Throttled) as locked:
        users.authenticate("alice", PASSWORD, "web:10.0.0.2")  # another client, same user
    assert 1 <= locked.value.seconds <= users.MAX_DELAY
    refused = 0
    for i in range(200):  # the reviewer's 200 tries
        try:
            users.authenticate("alice", f"guess {i}", "web:10.0.0.1")
        except users.Throttled:
            refused += 1
    assert refused == 200  # none gets through: the delay has not passed
    with store.transaction() as con:  # the delay has passed
        con.execute("update login_failures set at = '2000-01-01T00:00:00+00:00'")
    assert users.authenticate("alice", PASSWORD)["name"] == "alice"


def test_guesses_sent_at_once_are_throttled_like_guesses_sent_one_by_one(people, frozen):
    def guess(i):
        try:
            return users.authenticate("cora", f"a wrong guess {i}", f"web:198.51.100.{i}")
        except users.Throttled:
            return "throttled"

    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(guess, range(12)))
    assert answers.count(None) <= users.FREE_FAILURES  # checked; the others never were
    assert answers.count("throttled") >= 12 - users.FREE_FAILURES
    with store.transaction() as con:
        con.execute("update login_failures set at = '2000-01-01T00:00:00+00:00'")


def test_password_checks_queue_instead_of_exhausting_memory(people, monkeypatch):
    running, most = [0], [0]
    real = users._matches

    def counted(password, stored):
        running[0] += 1
        most[0] = max(most[0], running[0])
        try:
            return real(password, stored)
        finally:
            running[0] -= 1

    monkeypatch.setattr(users, "_matches", counted)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: users.authenticate(f"crowd{i}", "a wrong guess"), range(8)))
    assert most[0] == 2


def test_one_client_guessing_many_users_is_throttled_too(people, frozen):
    for i in range(users.FREE_CLIENT_FAILURES):
        assert users.authenticate(f"nobody{i}", "some guess here", "web:192.0.2.7") is None
    with pytest.raises(users.Throttled):
        users.authenticate("sam", PASSWORD, "web:192.0.2.7")
    assert users.authenticate("sam", PASSWORD, "web:192.0.2.8")["name"] == "sam"


def test_an_unknown_user_costs_a_full_password_check(people, monkeypatch):
    checked = []
    real = users._matches
    monkeypatch.setattr(users, "_matches", lambda p, s: checked.append(s) or real(p, s))
    assert users.authenticate("no-such-user", PASSWORD) is None
    assert users.authenticate("cora", "a wrong password") is None
    assert len(checked) == 2 and checked[0] == users._DUMMY
    assert checked[0].split("$")[:4] == checked[1].split("$")[:4]  # the same scrypt cost


def test_the_command_line_believes_no_name(people):
    number = submit(people["alice"], body(kind="pseudonymised"))
    workflow.move(number, people["sam"], "under_review")
    workflow.move(number, people["sam"], "awaiting_committee")
    decide = ("requests", "decide", number, "--as", "cora", "--approve")
    decide += ("--deliberation", "24/001", "--date", "2026-01-15")
    refused = _dwh(*decide, password="not cora's password")
    assert refused.returncode == 1 and "Wrong user name or password" in refused.stderr
    assert workflow.get(number, people["sam"])["status"] == "awaiting_committee"
    assert _dwh(*decide, password=PASSWORD).returncode == 0
    last = workflow.history(number, people["sam"])[-1]
    assert (last["actor"], last["via"], last["to_status"]) == ("cora", "cli", "approved")
    assert "--password" not in _dwh("users", "add", "--help", password="").stdout
