"""Benchmark: ``dwh synthesize`` (fit + sample + gate + writing) on a published warehouse.

Wall time and peak memory of the whole command (GNU time), with the report's split into fit,
sample and evaluation. Results go to bench/results/synthesis.json.

    python bench/synthesis.py --home /path/to/DWH_HOME --period 2024Q4
    python bench/synthesis.py --persons 11500000        # simulate, build and publish first
"""

import argparse
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from warehouse import DWH, bench, measure, save

RESULTS = Path(__file__).parent / "results" / "synthesis.json"


def run(home: Path, period: str) -> dict:
    env = {**os.environ, "DWH_HOME": str(home), "DO_NOT_TRACK": "1"}
    result = measure([DWH, "synthesize", "--period", period], env)
    report = json.loads((home / "synthetic" / period / "report.json").read_text())
    return {
        "period": period,
        "persons": report["summary"]["persons"],
        "rows": report["summary"]["rows"],
        "fit_rows": report["summary"]["fit_rows"],
        "command": result,
        "split_seconds": report["summary"]["seconds"],
        "measures": report["gate"]["measures"],
        "figures": {k: report[k] for k in ("global_figures", "local_figures")},
        "privacy": {k: report[k] for k in ("withheld_cells", "anonymeter", "numeric_bounds")},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="A DWH_HOME with a publication.")
    parser.add_argument("--persons", type=int, default=11_500_000)
    parser.add_argument("--period", default="2024Q4")
    args = parser.parse_args()
    if args.home:
        result = run(args.home, args.period)
    else:
        with tempfile.TemporaryDirectory(prefix="dwh-bench-") as home:
            bench(args.persons, int(args.period[:4]), Path(home))
            result = run(Path(home), args.period)
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    results["runs"][f"{result['persons']}-{args.period}"] = result
    save(RESULTS, results)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
