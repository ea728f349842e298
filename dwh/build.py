"""``dwh build``: ingest the deliveries, then ``dbt build`` a fresh warehouse beside the served one.

The build works in ``$DWH_HOME/build/`` only: the landing zone, the DuckDB file (or, with
``--target spark``, the Spark tables), dbt's target folder and ``build.json``, the record
``dwh publish`` checks before it serves anything.
"""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from dwh import paths, pseudonym
from dwh.ingest import Delivery, ingest

RECORD = "build.json"
_PROGRESS = re.compile(r"(\d+) of (\d+) (?:OK|PASS|ERROR|FAIL|WARN|SKIP)")


Target = Literal["dev", "spark"]  # the targets of profiles.yml a build runs on: DuckDB or Spark


def dbt_env(target: str = "dev", memory_limit: str | None = None) -> dict[str, str]:
    """The environment dbt runs in: where to read the landing zone and write the warehouse."""
    build = paths.build_dir()
    env = {
        "DWH_TARGET": target,
        "DWH_BUILD_DB": str(paths.build_db()),
        "DWH_SPARK_WAREHOUSE": str(paths.spark_warehouse()),
        "DWH_SPARK_LOCAL_DIR": str(build / "tmp"),
        "DWH_LANDING": str(paths.landing()),
        "DBT_TARGET_PATH": str(build / "dbt-target"),
        "DBT_LOG_PATH": str(build / "dbt-logs"),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if memory_limit:
        env["DWH_MEMORY_LIMIT"] = memory_limit
    return env


def run_dbt(
    args: list[str], env: dict[str, str], on_progress: Callable[[int, int], None] | None = None
) -> tuple[bool, list[dict]]:
    """Run dbt in a child process (its DuckDB file is closed and checkpointed when it ends).

    Returns whether dbt succeeded and the per-node results of ``run_results.json``; dbt's
    output goes to ``dbt.log`` in the build folder.
    """
    dbt = Path(sys.executable).with_name("dbt")
    project = ["--project-dir", str(paths.PROJECT_DIR), "--profiles-dir", str(paths.PROJECT_DIR)]
    target = Path(env["DBT_TARGET_PATH"])
    (target / "run_results.json").unlink(missing_ok=True)
    log = paths.build_dir() / "dbt.log"
    with (
        log.open("a") as out,
        subprocess.Popen(
            [str(dbt), *args, *project],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=paths.PROJECT_DIR,
        ) as proc,
    ):
        for line in proc.stdout:
            out.write(line)
            done = _PROGRESS.search(line)
            if done and on_progress:
                on_progress(int(done.group(1)), int(done.group(2)))
    results_file = target / "run_results.json"
    results = json.loads(results_file.read_text())["results"] if results_file.exists() else []
    nodes = [
        {
            "node": r["unique_id"],
            "status": r["status"],
            "failures": r.get("failures"),
            "message": r.get("message"),
            "seconds": round(r.get("execution_time") or 0, 2),
        }
        for r in results
    ]
    return proc.returncode == 0, nodes


class SparkMissing(Exception):
    """The Spark target was asked for on a machine without dbt-spark or Java."""


def _check_spark():
    if importlib.util.find_spec("pyspark") is None:
        raise SparkMissing(
            "Spark support is not installed: run `make setup-spark` (or pip install '.[spark]')"
        )
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise SparkMissing("Spark needs Java 17 or later: run `make setup-spark`")


def read_record() -> dict | None:
    path = paths.build_dir() / RECORD
    return json.loads(path.read_text()) if path.exists() else None


def build(
    memory_limit: str | None = None,
    docs: bool = True,
    on_delivery: Callable[[str], None] = lambda _: None,
    on_progress: Callable[[int, int], None] | None = None,
    target: Target = "dev",
) -> dict:
    """Ingest and build on ``target``; returns (and writes) the build record.

    Never touches the serving copy. The ingest (checks, pseudonyms, quarantine) is the same for
    both targets, so national numbers never reach the engine that runs dbt.
    """
    if target == "spark":
        _check_spark()
    started = time.perf_counter()
    build_dir = paths.build_dir()
    build_dir.mkdir(parents=True, exist_ok=True)
    for stale in ("warehouse.duckdb", "warehouse.duckdb.wal", RECORD, "dbt.log"):
        (build_dir / stale).unlink(missing_ok=True)
    shutil.rmtree(paths.spark_warehouse(), ignore_errors=True)
    key = pseudonym.load_key()
    deliveries = ingest(paths.deliveries(), paths.landing(), key, memory_limit, on_delivery)
    del key
    ingest_seconds = time.perf_counter() - started
    env = dbt_env(target, memory_limit)
    success, nodes = run_dbt(["build"], env, on_progress)
    if success and docs:
        docs, _ = run_dbt(["docs", "generate", "--static"], env)
    rejected = [d for d in deliveries if d.status == "rejected"]
    record = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "status": "success" if success and not rejected else "failed",
        "target": target,
        "dbt_success": success,
        "rejected_files": [d.error for d in rejected],
        "deliveries": [asdict(d) for d in deliveries],
        "nodes": nodes,
        "docs": bool(docs and success),
        "ingest_seconds": round(ingest_seconds, 1),
        "seconds": round(time.perf_counter() - started, 1),
        "warehouse": str(paths.spark_warehouse() if target == "spark" else paths.build_db()),
    }
    (build_dir / RECORD).write_text(json.dumps(record, indent=2, default=str) + "\n")
    shutil.rmtree(build_dir / "tmp", ignore_errors=True)
    return record


def deliveries_of(record: dict) -> list[Delivery]:
    return [Delivery(**d) for d in record["deliveries"]]


def docs_file() -> Path:
    return paths.build_dir() / "dbt-target" / "static_index.html"
