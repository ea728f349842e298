"""Benchmark: time and peak memory of simulate, build and publish, one year or more, several sizes.

Each step runs as its own process under GNU time (peak RSS of the step and of every process
it starts, e.g. dbt). Results go to bench/results/warehouse.json.

    python bench/warehouse.py                     # 100k, 1M and 11.5M persons
    python bench/warehouse.py --persons 100000    # one size
    python bench/warehouse.py --incremental --persons 1000000   # a year added, a file replaced
    python bench/warehouse.py --persons 11500000 --year 2023 --years 2 --home DIR   # two years
"""

import argparse
import functools
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

DWH = str(Path(sys.executable).with_name("dwh"))
RESULTS = Path(__file__).parent / "results" / "warehouse.json"


def measure(args: list[str], env: dict) -> dict:
    """Wall time (s), CPU time (s, user + system) and peak resident memory (MB) of one command
    and its children (CPU time is the steadier figure on a machine others load)."""
    started = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-v", *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    peak_kb = max(
        int(k) for k in re.findall(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    )
    cpu = sum(
        float(t) for t in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", run.stderr)
    )
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "peak_rss_mb": round(peak_kb / 1024),
    }


def bench_env(home: Path) -> dict:
    """The environment of a benchmark's commands: its own DWH_HOME and a fresh key."""
    return {
        **os.environ,
        "DWH_HOME": str(home),
        "DO_NOT_TRACK": "1",
        "DWH_PSEUDONYM_KEY": os.urandom(32).hex(),
    }


# The models of the mobility, cohort and household applications (issue #17's budget: at most
# 30 % added to a national build), with their dbt tests
LONGITUDINAL = (
    "int_person_year_transition",
    "int_mobility_cells",
    "mobility_figures",
    "int_person_cohort_year",
    "int_cohort_cells",
    "cohort_figures",
    "int_household_quarter",
    "int_household_cells",
    "household_figures",
    "dim_household_size",
    "dim_household_type",
)


def longitudinal_seconds(nodes: list[dict]) -> float:
    """dbt's seconds on the mobility, cohort and household models and their tests."""
    return round(sum(n["seconds"] for n in nodes if any(m in n["node"] for m in LONGITUDINAL)), 1)


def build_record(home: Path) -> tuple[dict, dict]:
    """The last build's record, and its ingest and dbt seconds (dbt's split into the largest
    model, int_person_quarter, the other models and dbt's tests, as dbt timed each node; the
    nodes' seconds add up to more than dbt's wall time when two threads run at once, and
    ``longitudinal_node_seconds`` are the mobility, cohort and household nodes' part of
    them)."""
    record = json.loads((home / "build" / "build.json").read_text())
    nodes = record.get("nodes") or []

    def node_seconds(kind: str, whole: bool = False) -> float:
        """Seconds of the nodes named ``kind`` (``whole``) or starting with it."""
        named = (n for n in nodes if (n["node"] == kind if whole else n["node"].startswith(kind)))
        return round(sum(n["seconds"] for n in named), 1)

    seconds = {
        "ingest_seconds": record["ingest_seconds"],
        "dbt_seconds": round(record["seconds"] - record["ingest_seconds"], 1),
        "int_person_quarter_seconds": node_seconds("model.lmsp_dwh.int_person_quarter", True),
        "dbt_model_seconds": node_seconds("model."),
        "dbt_test_seconds": node_seconds("test."),
        "dbt_node_seconds": node_seconds(""),
        "longitudinal_node_seconds": longitudinal_seconds(nodes),
    }
    return record, seconds


def bench(
    persons: int, year: int, home: Path, deliveries: Path | None = None, years: int = 1
) -> dict:
    """Simulate (or take the ``deliveries`` simulated before), build and publish ``years``
    years from ``year``."""
    env = bench_env(home)
    span = str(year) if years == 1 else f"{year}-{year + years - 1}"
    steps = {
        "simulate": [DWH, "simulate", "--persons", str(persons), "--years", span],
        "build": [DWH, "build", "--no-docs"],
        "publish": [DWH, "publish"],
    }
    result = {"persons": persons, "years": list(range(year, year + years))}
    if deliveries:  # simulated before: not timed again
        (home / "deliveries").symlink_to(deliveries.resolve())
        del steps["simulate"]
        result["simulate"] = {"seconds": None, "peak_rss_mb": None, "reused": str(deliveries)}
    for name, args in steps.items():
        if name == "build":
            result["load_average_before_build"] = os.getloadavg()
        result[name] = measure(args, env)
        print(f"{persons:>10,} {name:<9} {result[name]}", flush=True)
    result["load_average"] = os.getloadavg()
    record, seconds = build_record(home)
    result["build"].update(seconds)
    result["person_quarters"] = sum(
        d["rows_accepted"] or 0 for d in record["deliveries"] if d["institution"] == "rr"
    )
    return result


def bench_incremental(persons: int, year: int, home: Path) -> dict:
    """A steward's year: ``year`` built in full, the year after added (only its deliveries
    ingested), one institution's file of it replaced, then a full refresh of both years."""
    env = bench_env(home)
    simulated = home / "simulated"
    years = [year, year + 1]
    result = {"persons": persons, "years": years}
    result["simulate"] = measure(
        [DWH, "simulate", "--persons", str(persons), "--years", f"{year}-{year + 1}"],
        {**env, "DWH_HOME": str(simulated)},
    )
    deliveries = home / "deliveries"
    build = [DWH, "build", "--no-docs"]

    def step(name: str, args: list[str]):
        result[name] = measure(args, env)
        record, seconds = build_record(home)
        kept = record.get("deliveries_kept", 0)
        ingested = sum(d["status"] != "missing" for d in record["deliveries"]) - kept
        result[name].update(seconds, deliveries_ingested=ingested, deliveries_kept=kept)
        print(f"{persons:>10,} {name:<14} {result[name]}", flush=True)

    def add(y: int):
        for folder in sorted((simulated / "deliveries").glob(f"*/{y}")):
            shutil.copytree(folder, deliveries / folder.parent.name / str(y))

    add(year)
    step("first year", build)
    add(year + 1)
    step("year added", build)
    onem = deliveries / "onem" / str(year + 1)
    data = next(onem.glob("*.csv"))
    lines = data.read_bytes().splitlines(keepends=True)
    data.write_bytes(b"".join(lines[:-1]))  # a corrected file: its last row withdrawn
    slip = json.loads((onem / "_delivery.json").read_text())
    (onem / "_delivery.json").write_text(json.dumps({**slip, "rows": slip["rows"] - 1}))
    step("file replaced", build)
    step("full refresh", [*build, "--full-refresh"])
    result["load_average"] = os.getloadavg()
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, nargs="*", default=[100_000, 1_000_000, 11_500_000])
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument(
        "--years", type=int, default=1, help="years from --year (results under 'runs_<N>_years')"
    )
    parser.add_argument(
        "--deliveries",
        type=Path,
        help="a simulated deliveries folder of that size and year, used instead of simulating",
    )
    parser.add_argument(
        "--home", type=Path, help="the benchmark's DWH_HOME (kept), instead of a temporary one"
    )
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="a year added to a built one, a file replaced, then a full refresh",
    )
    args = parser.parse_args()
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"runs": {}}
    if args.incremental:
        each_size(bench_incremental, args.persons, args.year, RESULTS, results, "incremental")
        print(markdown_incremental(results))
    else:
        run = functools.partial(bench, deliveries=args.deliveries, years=args.years)
        key = "runs" if args.years == 1 else f"runs_{args.years}_years"
        each_size(run, args.persons, args.year, RESULTS, results, key, home=args.home)
        print(markdown(results))


def each_size(
    bench,
    sizes: list[int],
    year: int,
    path: Path,
    results: dict,
    key: str = "runs",
    home: Path | None = None,
):
    """Run ``bench(persons, year, home)`` per size in a fresh home (a temporary one, or
    ``home`` emptied first), saving after each in ``results[key]``."""
    for persons in sizes:
        if home:
            shutil.rmtree(home, ignore_errors=True)
            home.mkdir(parents=True)
            run = bench(persons, year, home)
        else:
            with tempfile.TemporaryDirectory(prefix="dwh-bench-") as folder:
                run = bench(persons, year, Path(folder))
        run["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        results.setdefault(key, {})[str(persons)] = run
        save(path, results)


def save(path: Path, results: dict):
    """Write a benchmark's results with the machine they were measured on."""
    results["machine"] = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")


def markdown(results: dict) -> str:
    """The README's summary table."""
    lines = [
        "| persons | person-quarters | simulate | build (ingest + dbt) | peak memory of build "
        "| publish |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for run in sorted(results["runs"].values(), key=lambda r: r["persons"]):
        b = run["build"]
        simulated = run["simulate"]["seconds"]
        lines.append(
            f"| {run['persons']:,} | {run['person_quarters']:,} "
            f"| {'-' if simulated is None else f'{simulated} s'} "
            f"| {b['seconds']} s ({b['ingest_seconds']} + {b['dbt_seconds']}) "
            f"| {b['peak_rss_mb']:,} MB | {run['publish']['seconds']} s |"
        )
    return "\n".join(lines)


def markdown_incremental(results: dict) -> str:
    """The README's table of incremental builds."""
    steps = ("first year", "year added", "file replaced", "full refresh")
    lines = [
        "| persons | step | deliveries ingested (kept) | build (ingest + dbt) | peak memory |",
        "|---:|---|---:|---:|---:|",
    ]
    for run in sorted(results.get("incremental", {}).values(), key=lambda r: r["persons"]):
        for name in steps:
            b = run[name]
            lines.append(
                f"| {run['persons']:,} | {name} | {b['deliveries_ingested']} "
                f"({b['deliveries_kept']}) | {b['seconds']} s ({b['ingest_seconds']} + "
                f"{b['dbt_seconds']}) | {b['peak_rss_mb']:,} MB |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
