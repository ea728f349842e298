"""``dwh build``: ingest the deliveries, then ``dbt build`` a fresh warehouse beside the served one.

The build works in ``$DWH_HOME/build/`` only: the landing zone, the DuckDB file (or, with
``--target spark``, the Spark tables), dbt's target folder and ``build.json``, the record
``dwh publish`` checks before it serves anything.
"""

import hashlib
import importlib.util
import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime

from dwh.build import output_check
from dwh.build.dbt import dbt_env, run_dbt
from dwh.build.record import RECORD
from dwh.core import paths, pseudonym
from dwh.core.paths import Target
from dwh.ingest.run import ingest


class SparkMissing(Exception):
    """The Spark target was asked for on a machine without dbt-spark or Java."""


class NoDeliveries(Exception):
    """Nothing delivered: a build would only make an empty warehouse."""


def check_deliveries():
    """Refuse to build without a single delivered file (institution/year/file)."""
    folder = paths.deliveries()
    if not any(f.is_file() for f in folder.glob("*/*/*")):
        raise NoDeliveries(
            f"No deliveries in {folder}: nothing to build. Put the institutions' files there "
            "(institution/year/), or run `dwh simulate`; the last build and the served figures "
            "are unchanged."
        )


def _check_spark():
    if importlib.util.find_spec("pyspark") is None:
        raise SparkMissing(
            "Spark support is not installed: run `make setup-spark` (or pip install '.[spark]')"
        )
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise SparkMissing("Spark needs Java 17 or later: run `make setup-spark`")


# the dbt project: a change of any of these rebuilds every quarter
PROJECT_PARTS = ("models", "macros", "seeds", "dbt_project.yml", "profiles.yml")
QUARTER_ENDS = ("03-31", "06-30", "09-30", "12-31")


def project_fingerprint() -> str:
    """SHA-256 over the dbt project's files (their paths and contents)."""
    digest = hashlib.sha256()
    for part in PROJECT_PARTS:
        top = paths.PROJECT_DIR / part
        for file in sorted([top] if top.is_file() else top.rglob("*")):
            if file.is_file():
                digest.update(str(file.relative_to(paths.PROJECT_DIR)).encode() + b"\0")
                digest.update(file.read_bytes())
    return digest.hexdigest()


def _previous() -> dict | None:
    """The last build's record, when that build succeeded on DuckDB and left its warehouse:
    the base an incremental build starts from."""
    record = paths.build_dir() / RECORD
    if not (record.exists() and paths.build_db().exists()):
        return None
    previous = json.loads(record.read_text())
    fine = previous.get("status") == "success" and previous.get("target") == "dev"
    return previous if fine else None


def rebuilt_quarters(previous: dict, deliveries) -> list[str]:
    """The last days of the quarters of every year in which a delivery is new, changed (its
    file, slip or status), or gone since ``previous`` (a build record)."""

    def state(delivery: dict) -> tuple:
        keys = ("status", "sha256", "slip_sha256", "provisional")
        return tuple(delivery.get(k) for k in keys)

    before = {(d["institution"], d["period"]): state(d) for d in previous["deliveries"]}
    now = {(d.institution, d.period): state(asdict(d)) for d in deliveries}
    changed = {key for key in before.keys() | now.keys() if before.get(key) != now.get(key)}
    years = sorted({int(period) for _, period in changed})
    return [f"{year}-{end}" for year in years for end in QUARTER_ENDS]


def build(
    memory_limit: str | None = None,
    docs: bool = True,
    on_delivery: Callable[[str], None] = lambda _: None,
    on_progress: Callable[[int, int], None] | None = None,
    target: Target = "dev",
    tests: bool = True,
    full_refresh: bool = False,
    check: bool = True,
) -> dict:
    """Ingest and build on ``target``; returns (and writes) the build record. Without
    ``tests``, dbt's tests are left out (a second engine checked against the first); without
    ``check``, the output check (a build made only to be compared with another: ``dwh
    publish`` refuses a build that was not output-checked). The
    ingest reads only the deliveries new or changed since the last one, every delivery with
    ``full_refresh``.

    Refuses to run without deliveries (``NoDeliveries``), before it changes anything; stops
    after the ingest when a file is rejected (``dbt_success`` None: dbt not run). Never
    touches the serving copy. The ingest (checks, pseudonyms, quarantine) is the same for
    both targets, so national numbers never reach the engine that runs dbt.
    """
    check_deliveries()
    if target == "spark":
        _check_spark()
    started = time.perf_counter()
    build_dir = paths.build_dir()
    build_dir.mkdir(parents=True, exist_ok=True)
    fingerprint = project_fingerprint()
    previous = None if full_refresh or target != "dev" else _previous()
    if previous and previous.get("project_fingerprint") != fingerprint:
        previous = None  # a model, macro or seed changed: every quarter
    stale_files = ["warehouse.duckdb.wal", RECORD, "dbt.log", output_check.LOG]
    for stale in stale_files + ([] if previous else ["warehouse.duckdb"]):
        (build_dir / stale).unlink(missing_ok=True)
    shutil.rmtree(paths.spark_warehouse(), ignore_errors=True)
    key = pseudonym.load_key()
    deliveries = ingest(
        paths.deliveries(),
        paths.landing(),
        key,
        memory_limit,
        on_delivery,
        full_refresh=full_refresh,
    )
    del key
    ingest_seconds = time.perf_counter() - started
    env = dbt_env(target, memory_limit)
    skipped = (
        [] if tests else ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    )
    rejected = [d for d in deliveries if d.status == "rejected"]
    # Only the quarters of the years whose deliveries changed since the last good build, on
    # its warehouse; every quarter on a fresh one (macros/rebuilt_quarters.sql).
    quarters = rebuilt_quarters(previous, deliveries) if previous else None
    scope = ["--full-refresh"] if quarters is None else []
    env["DWH_REBUILD_QUARTERS"] = ",".join(quarters or [])
    if rejected:  # no half-updated warehouse is left behind a failed build
        paths.build_db().unlink(missing_ok=True)
    # A rejected file fails the build whatever dbt does: the steward gets the answer (the
    # ingest's register and quarantine, this record) without waiting for dbt.
    success, nodes = (
        (None, []) if rejected else run_dbt(["build", *scope, *skipped], env, on_progress)
    )
    if success and docs:
        docs, _ = run_dbt(["docs", "generate", "--static"], env)
    checked = None  # a build that cannot be published is not output-checked
    if success and not rejected and target == "dev" and check:
        try:
            checked = output_check.check(paths.build_db(), memory_limit)
        except output_check.OutputCheckError as e:
            checked = {"error": str(e), "disclosive": True}
    record = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": "success"
        if success and not rejected and not (checked or {}).get("disclosive")
        else "failed",
        "target": target,
        "dbt_success": success,
        "rejected_files": [d.error for d in rejected],
        "deliveries": [asdict(d) for d in deliveries],
        "nodes": nodes,
        "docs": bool(docs and success),
        "output_check": checked,
        "ingest_seconds": round(ingest_seconds, 1),
        "deliveries_kept": sum(d.kept for d in deliveries),
        "rebuilt_quarters": "all" if quarters is None else quarters,
        "project_fingerprint": fingerprint,
        "seconds": round(time.perf_counter() - started, 1),
        "warehouse": str(paths.spark_warehouse() if target == "spark" else paths.build_db()),
    }
    (build_dir / RECORD).write_text(json.dumps(record, indent=2, default=str) + "\n")
    shutil.rmtree(build_dir / "tmp", ignore_errors=True)
    return record
