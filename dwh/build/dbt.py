"""Running dbt: its environment (where the landing zone and the warehouse are) and a child
process whose per-node results are read back from ``run_results.json``."""

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from dwh.core import paths

_PROGRESS = re.compile(r"(\d+) of (\d+) (?:OK|PASS|ERROR|FAIL|WARN|SKIP)")


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
