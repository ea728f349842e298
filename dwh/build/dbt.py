"""Running dbt: its environment (where the landing zone and the warehouse are) and a child
process whose per-node results are read back from ``run_results.json``."""

import hashlib
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
# dbt's saved parse (partial parsing), kept per target and --vars between runs
PARSE_CACHE = "DWH_DBT_PARSE_CACHE"  # where; default: the build folder's dbt-parse/
PARSED = "partial_parse.msgpack"


def dbt_env(target: str = "dev", memory_limit: str | None = None) -> dict[str, str]:
    """The environment dbt runs in: where to read the landing zone and write the warehouse.

    On DuckDB both are relative to the build folder, dbt's working directory (``run_dbt``):
    the profile and the sources are then the same in every ``$DWH_HOME``, and so is dbt's
    parse. Spark gets absolute paths."""
    build = paths.build_dir()

    def where(path: Path) -> str:
        return str(path if target == "spark" else path.relative_to(build))

    env = {
        "DWH_TARGET": target,
        "DWH_BUILD_DB": where(paths.build_db()),
        "DWH_SPARK_WAREHOUSE": str(paths.spark_warehouse()),
        "DWH_SPARK_LOCAL_DIR": str(build / "tmp"),
        "DWH_LANDING": where(paths.landing()),
        "DBT_TARGET_PATH": str(build / "dbt-target"),
        "DBT_LOG_PATH": str(build / "dbt-logs"),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if memory_limit:
        env["DWH_MEMORY_LIMIT"] = memory_limit
    return env


def _saved_parse(args: list[str], env: dict[str, str]) -> Path:
    """Where dbt's parse for this target, memory limit and ``--vars`` is kept. dbt checks a
    saved parse against the project's files, the profile, the vars and the env vars it read,
    and parses again what changed, so a parse from another home or an older project is safe."""
    folder = Path(os.environ.get(PARSE_CACHE) or paths.build_dir() / "dbt-parse")
    cli_vars = args[args.index("--vars") + 1] if "--vars" in args else ""
    profile = (env["DWH_TARGET"], env.get("DWH_MEMORY_LIMIT", ""), cli_vars)
    key = hashlib.sha256("\0".join(profile).encode()).hexdigest()[:16]
    return folder / f"{key}.msgpack"


def _keep(source: Path, destination: Path):
    """Copy ``source`` to ``destination`` whole (others may read it meanwhile)."""
    if source.exists():
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(f".{destination.name}.{os.getpid()}")
        shutil.copyfile(source, partial)
        partial.replace(destination)


def run_dbt(
    args: list[str], env: dict[str, str], on_progress: Callable[[int, int], None] | None = None
) -> tuple[bool, list[dict]]:
    """Run dbt in a child process (its DuckDB file is closed and checkpointed when it ends),
    starting from the parse saved for the same target and vars.

    Returns whether dbt succeeded and the per-node results of ``run_results.json``; dbt's
    output goes to ``dbt.log`` in the build folder.
    """
    dbt = Path(sys.executable).with_name("dbt")
    project = ["--project-dir", str(paths.PROJECT_DIR), "--profiles-dir", str(paths.PROJECT_DIR)]
    target = Path(env["DBT_TARGET_PATH"])
    (target / "run_results.json").unlink(missing_ok=True)
    saved = _saved_parse(args, env)
    _keep(saved, target / PARSED)
    log = paths.build_dir() / "dbt.log"
    with (
        log.open("a") as out,
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
    _keep(target / PARSED, saved)
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
