"""Benchmark: the same build on DuckDB and on a local Spark, one year, at 100k and 1M persons.

One simulation per size, then ``dwh build --target dev`` and ``dwh build --target spark`` on
it (no docs), each under GNU time. Results go to bench/results/spark.json.

    python bench/spark.py                     # 100k and 1M persons
    python bench/spark.py --persons 100000    # one size
"""

import argparse
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from warehouse import DWH, measure, save

from dwh import spark

RESULTS = Path(__file__).parent / "results" / "spark.json"
TARGETS = {"dev": "DuckDB", "spark": "Spark"}


def bench(persons: int, year: int, home: Path) -> dict:
    env = {
        **os.environ,
        "DWH_HOME": str(home),
        "DO_NOT_TRACK": "1",
        "DWH_PSEUDONYM_KEY": os.urandom(32).hex(),
    }
    measure([DWH, "simulate", "--persons", str(persons), "--years", str(year)], env)
    result = {"persons": persons, "years": [year]}
    for target in TARGETS:
        step = measure([DWH, "build", "--no-docs", "--target", target], env)
        record = json.loads((home / "build" / "build.json").read_text())
        step["ingest_seconds"] = record["ingest_seconds"]
        step["dbt_seconds"] = round(record["seconds"] - record["ingest_seconds"], 1)
        result[target] = step
        print(f"{persons:>10,} {TARGETS[target]:<7} {step}", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--year", type=int, default=2024)
    args = parser.parse_args()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    settings = spark.settings()
    results["spark"] = {k: settings[k] for k in ("spark.master", "spark.driver.memory")}
    for persons in args.persons:
        with tempfile.TemporaryDirectory(prefix="dwh-bench-") as home:
            run = bench(persons, args.year, Path(home))
        run["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        results["runs"][str(persons)] = run
        save(RESULTS, results)
    print(markdown(results))


def markdown(results: dict) -> str:
    """The README's summary table."""
    lines = [
        "| persons, one year | engine | build | of which dbt | largest process |",
        "|---:|---|---:|---:|---:|",
    ]
    for run in sorted(results["runs"].values(), key=lambda r: r["persons"]):
        for target, engine in TARGETS.items():
            step = run[target]
            lines.append(
                f"| {run['persons']:,} | {engine} | {step['seconds']} s | {step['dbt_seconds']} s "
                f"| {step['peak_rss_mb']:,} MB |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
