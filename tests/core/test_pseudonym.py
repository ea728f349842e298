"""Pseudonyms: keyed, stable, the same in SQL and Python, key kept outside the repository."""

import stat

import duckdb
import numpy as np
import pytest

from dwh.core import niss, pseudonym

# national numbers made here, never written down
A, B = (
    str(n).zfill(11)
    for n in niss.generate(
        np.array(["1985-07-31", "2003-01-02"], "datetime64[D]"),
        np.array([True, False]),
        np.array([0, 4]),
    )
)


def test_stable_and_key_dependent():
    a, b = bytes(range(32)), bytes(range(1, 33))
    assert pseudonym.pseudonym(a, A) == pseudonym.pseudonym(a, A)
    assert pseudonym.pseudonym(a, A) != pseudonym.pseudonym(b, A)
    assert pseudonym.pseudonym(a, A) != pseudonym.pseudonym(a, B)
    assert len(pseudonym.pseudonym(a, A)) == 32


def test_sql_hmac_equals_python_hmac():
    key = bytes(range(7, 39))
    values = [A, B, "x" * 80, "é"]
    con = duckdb.connect()
    con.execute("create table t (v varchar)")
    con.executemany("insert into t values (?)", [[v] for v in values])
    rows = con.execute(
        f"select v, {pseudonym.sql_hmac_hex('v')} from t", pseudonym.padded_keys(key)
    ).fetchall()
    for value, digest in rows:
        assert digest == pseudonym.digest(key, value).hex()


def test_key_file_created_once_with_a_message(dwh_home, monkeypatch, capsys):
    monkeypatch.delenv(pseudonym.KEY_ENV)
    key = pseudonym.load_key()
    assert "Created a new pseudonymisation key" in capsys.readouterr().err
    path = pseudonym.key_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert pseudonym.load_key() == key
    assert capsys.readouterr().err == ""


def test_key_from_the_environment(monkeypatch):
    monkeypatch.setenv(pseudonym.KEY_ENV, "ab" * 32)
    assert pseudonym.load_key() == bytes.fromhex("ab" * 32)
    monkeypatch.setenv(pseudonym.KEY_ENV, "too short")
    with pytest.raises(ValueError, match="at least 64 hex"):
        pseudonym.load_key()
