"""Running dbt: its environment (where the landing zone and the warehouse are) and a child
process whose per-node results are read back from ``run_results.json``."""

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from dwh.core import paths

_PROGRESS = re.compile(r"(\d+) of (\d+) (?:OK|PASS|ERROR|FAIL|WARN|SKIP)")
# dbt's saved parse (partial parsing), shared between homes when this names a folder (the
# tests: one per run); otherwise each home keeps its own in its dbt target folder
PARSE_CACHE = "DWH_DBT_PARSE_CACHE"
PARSED = "partial_parse.msgpack"


def dbt_env(target: str = "dev", memory_limit: str | None = None) -> dict[str, str]:
    """The environment dbt runs in: where to read the landing zone and write the warehouse.

    DuckDB's file is named relative to the build folder, dbt's working directory (``run_dbt``),
    so that the profile, which dbt checks before it reuses a saved parse, is the same in every
    ``$DWH_HOME``. The landing zone stays absolute: the staging views keep its path and are
    read from elsewhere (the publication); dbt parses their sources again when it changes."""
    build = paths.build_dir()
    env = {
        "DWH_TARGET": target,
        "DWH_BUILD_DB": paths.build_db().name if target == "dev" else str(paths.build_db()),
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


def _saved_parse(env: dict[str, str]) -> Path | None:
    """Where the parse shared between homes is kept for this target and memory limit (the
    profile's values), if a folder is named for it. dbt checks a saved parse against the
    project's files, the profile, the vars and the environment variables it read, and parses
    again what changed, so a parse from another home or an older checkout is safe to start
    from."""
    folder = os.environ.get(PARSE_CACHE)
    if not folder:
        return None
    profile = f"{env['DWH_TARGET']}-{env.get('DWH_MEMORY_LIMIT', 'default')}"
    return Path(folder) / re.sub(r"[^A-Za-z0-9_.-]", "_", profile) / PARSED


def _copy(source: Path | None, destination: Path | None):
    """Copy ``source`` to ``destination`` whole (another process may read it meanwhile)."""
    if source and destination and source.exists():
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.{os.getpid()}")
        shutil.copyfile(source, partial)
        partial.replace(destination)


def run_dbt(
    args: list[str], env: dict[str, str], on_progress: Callable[[int, int], None] | None = None
) -> tuple[bool, list[dict]]:
    """Run dbt in a child process (its DuckDB file is closed and checkpointed when it ends),
    in the build folder, from the shared parse if there is one (``DWH_DBT_PARSE_CACHE``).

    Returns whether dbt succeeded and the per-node results of ``run_results.json``; dbt's
    output goes to ``dbt.log`` in the build folder.
    """
    dbt = Path(sys.executable).with_name("dbt")
    project = ["--project-dir", str(paths.PROJECT_DIR), "--profiles-dir", str(paths.PROJECT_DIR)]
    target = Path(env["DBT_TARGET_PATH"])
    (target / "run_results.json").unlink(missing_ok=True)
    shared = _saved_parse(env)
    if not (target / PARSED).exists():
        _copy(shared, target / PARSED)
    log = paths.build_dir() / "dbt.log"
    with (
        log.open("a", buffering=1) as out,  # line by line: tailing it shows the running node
        subprocess.Popen(
            [str(dbt), *args, *project],
            env={**os.environ, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=paths.build_dir(),
        ) as proc,
    ):
        for line in proc.stdout:
            out.write(line)
            done = _PROGRESS.search(line)
            if done and on_progress:
                on_progress(int(done.group(1)), int(done.group(2)))
    _copy(target / PARSED, shared)
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
