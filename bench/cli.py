"""Benchmark: how long ``dwh --help`` takes, against Typer's own start-up.

Both run as fresh processes of this virtual environment's Python, 20 times after one warm-up
(the median and the minimum are kept); the baseline is a one-command Typer app that prints its
help. Also records which of the build side's modules ``dwh --help`` loads (none should).
Results go to bench/results/cli.json.

    python bench/cli.py                      # this checkout
    python bench/cli.py --root /tmp/old      # another checkout of the project (e.g. before)
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from warehouse import save

RESULTS = Path(__file__).parent / "results" / "cli.json"
TYPER_ONLY = (
    "import typer\napp = typer.Typer()\n@app.command()\ndef hello(name: str):\n    pass\n"
    "app(['--help'], prog_name='x')"
)
DWH_HELP = "from dwh.cli import app\napp(['--help'], prog_name='dwh')"
LOADED = (
    "import sys\nfrom dwh.cli import app\ntry:\n    app(['--help'], prog_name='dwh')\n"
    "except SystemExit:\n    pass\n"
    "import json\nprint(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
    "('duckdb', 'pandas', 'synthesis', 'sdv', 'streamlit') or m.startswith("
    "('dwh.build', 'dwh.ingest', 'dwh.simulate', 'dwh.publish')))))"
)


def timed(code: str, env: dict, runs: int) -> dict:
    """Median and minimum wall time (ms) of ``python -c code`` in a fresh process."""
    seconds = []
    for i in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=env["PYTHONPATH"], capture_output=True
        )
        if i:  # the first run warms the file cache
            seconds.append(time.perf_counter() - started)
    return {
        "median_ms": round(1000 * statistics.median(seconds), 1),
        "min_ms": round(1000 * min(seconds), 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--label", default="after")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.root), "DO_NOT_TRACK": "1"}
    typer_only = timed(TYPER_ONLY, env, args.runs)
    dwh = timed(DWH_HELP, env, args.runs)
    loaded = subprocess.run(
        [sys.executable, "-c", LOADED],
        env=env,
        cwd=args.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    results["runs"][args.label] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "typer_only": typer_only,
        "dwh_help": dwh,
        "ratio_of_medians": round(dwh["median_ms"] / typer_only["median_ms"], 2),
        "heavy_modules_loaded": json.loads(loaded.splitlines()[-1]),
    }
    save(RESULTS, results)
    print(json.dumps(results["runs"][args.label], indent=2))


if __name__ == "__main__":
    main()
