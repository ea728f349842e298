"""``dwh build``: ingest the deliveries, then ``dbt build`` a fresh warehouse beside the served one.

The build works in ``$DWH_HOME/build/`` only: the landing zone, the DuckDB file (or, with
``--target spark``, the Spark tables), dbt's target folder and ``build.json``, the record
``dwh publish`` checks before it serves anything.
"""

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


def build(
    memory_limit: str | None = None,
    docs: bool = True,
    on_delivery: Callable[[str], None] = lambda _: None,
    on_progress: Callable[[int, int], None] | None = None,
    target: Target = "dev",
    tests: bool = True,
    full_refresh: bool = False,
) -> dict:
    """Ingest and build on ``target``; returns (and writes) the build record. Without
    ``tests``, dbt's tests are left out (a second engine checked against the first). The
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
    stale_files = ("warehouse.duckdb", "warehouse.duckdb.wal", RECORD, "dbt.log", output_check.LOG)
    for stale in stale_files:
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
    # A rejected file fails the build whatever dbt does: the steward gets the answer (the
    # ingest's register and quarantine, this record) without waiting for dbt.
    success, nodes = (None, []) if rejected else run_dbt(["build", *skipped], env, on_progress)
    if success and docs:
        docs, _ = run_dbt(["docs", "generate", "--static"], env)
    checked = None  # a build that cannot be published is not output-checked
    if success and not rejected and target == "dev":
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
        "seconds": round(time.perf_counter() - started, 1),
        "warehouse": str(paths.spark_warehouse() if target == "spark" else paths.build_db()),
    }
    (build_dir / RECORD).write_text(json.dumps(record, indent=2, default=str) + "\n")
    shutil.rmtree(build_dir / "tmp", ignore_errors=True)
    return record
