"""Fixtures of the tests on the session's build (tests/conftest.py builds it)."""

import duckdb
import pytest

from dwh.serving.publication import current


@pytest.fixture(scope="module")
def files(built):
    """The served publication's public tables and its warehouse, read-only."""
    pub = current()
    with (
        duckdb.connect(str(pub.public), read_only=True) as public,
        duckdb.connect(str(pub.warehouse), read_only=True) as warehouse,
    ):
        yield public, warehouse
