"""Shared fixtures: a small simulated population, built and published once per test session."""

import os
import secrets
from pathlib import Path

import pytest

from dwh.core import paths
from dwh.simulate.run import Imperfections, simulate

# High fault rates so that every kind of fault shows up in a small population.
FAULTS = Imperfections(
    invalid_niss=0.01,
    unknown_municipality=0.01,
    duplicate=0.01,
    out_of_period=0.01,
    missing=[("fodss", 2024)],
    provisional=[("onem", 2025)],
)
YEARS = [2024, 2025]
PERSONS = 4000


@pytest.fixture(scope="session", autouse=True)
def pseudonym_key():
    """A fresh key and record-key secret for the session (never committed to git)."""
    key = secrets.token_hex(32)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_PSEUDONYM_KEY", key)
        mp.setenv("DWH_RECORD_KEY", secrets.token_hex(32))
        yield bytes.fromhex(key)


@pytest.fixture
def dwh_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("DWH_HOME", str(tmp_path / "home"))
    return paths.home()


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """DWH_HOME with simulated deliveries, a successful build and a publication."""
    from dwh.build.run import build
    from dwh.publish import publish

    home = tmp_path_factory.mktemp("built")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_HOME", str(home))
        simulate(PERSONS, YEARS, 7, FAULTS, paths.deliveries())
        record = build()
        assert record["status"] == "success", record
        publish()
        yield home
    os.environ.pop("DWH_HOME", None)


@pytest.fixture
def in_built(built, monkeypatch) -> Path:
    monkeypatch.setenv("DWH_HOME", str(built))
    return built
