"""Shared fixtures: a small simulated population, built and published once per test session."""

import fcntl
import os
import secrets
import shutil
import tempfile
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


# One fresh key and record-key secret per test run (never committed to git), drawn by the
# first pytest process: `make test`'s workers (pytest-xdist) inherit them with its environment,
# so that they can share one build of the session's warehouse.
RUN_SECRETS = ("LMSP_TEST_PSEUDONYM_KEY", "LMSP_TEST_RECORD_KEY")


# dbt's parse, saved by the first build and started from by every other (dwh/build/dbt.py):
# a folder per run, made by the first pytest process and removed by it at the end.
PARSE_CACHE = "DWH_DBT_PARSE_CACHE"


def pytest_configure(config):
    for name in RUN_SECRETS:
        os.environ.setdefault(name, secrets.token_hex(32))
    if not hasattr(config, "workerinput") and PARSE_CACHE not in os.environ:
        os.environ[PARSE_CACHE] = tempfile.mkdtemp(prefix="lmsp-dbt-parse-")
        config.parse_cache = os.environ[PARSE_CACHE]


# The slowest test files first (their seconds in a clean-clone run of 2026-11-28): `make test`
# hands whole files to its workers in collection order (`--no-loadscope-reorder`: xdist would
# sort them by their number of tests, and put the one-test steward's year last), so the long
# ones start at once and the short ones fill in behind them.
SLOW_FIRST = [
    "build/test_incremental_build.py",  # 456 s
    "synthesis/test_synthesis.py",  # 442 s
    "build/test_spark.py",  # 287 s
    "dashboards/test_browser.py",  # 240 s
    "dashboards/test_dashboards.py",  # 166 s
    "build/test_disclosure.py",  # 103 s
]


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        path = item.path.relative_to(Path(__file__).parent).as_posix()
        return SLOW_FIRST.index(path) if path in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the other files keep their order, each file its tests'


def pytest_unconfigure(config):
    if getattr(config, "parse_cache", None):
        shutil.rmtree(config.parse_cache, ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def pseudonym_key():
    """The run's key and record-key secret, as `dwh` reads them."""
    key, record_key = (os.environ[name] for name in RUN_SECRETS)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_PSEUDONYM_KEY", key)
        mp.setenv("DWH_RECORD_KEY", record_key)
        yield bytes.fromhex(key)


@pytest.fixture
def dwh_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("DWH_HOME", str(tmp_path / "home"))
    return paths.home()


def _build(home: Path):
    """Simulate the session's deliveries into ``home``, build and publish them."""
    from dwh.build.run import build
    from dwh.publish import publish

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_HOME", str(home))
        simulate(PERSONS, YEARS, 7, FAULTS, paths.deliveries())
        record = build()
        assert record["status"] == "success", record
        publish()


@pytest.fixture(scope="session")
def built(tmp_path_factory, worker_id) -> Path:
    """DWH_HOME with simulated deliveries, a successful build and a publication. Under
    pytest-xdist the first worker builds it once in the run's shared folder and every worker
    works on its own copy (tests publish, synthesize and add users in it)."""
    home = tmp_path_factory.mktemp("built")
    if worker_id == "master":
        _build(home)
    else:
        shared = tmp_path_factory.getbasetemp().parent / "built-once"
        with (shared.parent / "built-once.lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait for the first to finish
            if not (shared / "built.ok").exists():
                shutil.rmtree(shared, ignore_errors=True)
                _build(shared)
                (shared / "built.ok").touch()
        shutil.copytree(shared, home, symlinks=True, dirs_exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_HOME", str(home))
        yield home
    os.environ.pop("DWH_HOME", None)


@pytest.fixture
def in_built(built, monkeypatch) -> Path:
    monkeypatch.setenv("DWH_HOME", str(built))
    return built
