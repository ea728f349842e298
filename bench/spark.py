"""Benchmark: the same build on DuckDB and on a local Spark, one year, at 100k and 1M persons.

One simulation per size, then ``dwh build --target dev`` and ``dwh build --target spark`` on
it (no docs). Memory is the peak of the summed resident memory of the build's process tree,
sampled every 0.2 s: GNU time misses the JVM that PySpark starts, as nobody waits for it.
Results go to bench/results/spark.json.

    python bench/spark.py                     # 100k and 1M persons
    python bench/spark.py --persons 100000    # one size
"""

import argparse
import json
import os
import statistics
import subprocess
import time
from pathlib import Path

from warehouse import DWH, bench_env, build_record, each_size, measure

from dwh.build import spark

RESULTS = Path(__file__).parent / "results" / "spark.json"
TARGETS = {"dev": "DuckDB", "spark": "Spark"}


def tree_rss_mb(root: int) -> float:
    """Summed resident memory of ``root`` and all its descendants, from /proc."""
    parents, rss = {}, {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    tree, grown = {root}, True
    while grown:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grown = bool(more)
    return sum(rss.get(pid, 0) for pid in tree) / 2**20


def build(target: str, env: dict) -> dict:
    """Wall time and peak memory of the process tree of one ``dwh build``."""
    started = time.perf_counter()
    peak = 0.0
    with subprocess.Popen(
        [DWH, "build", "--no-docs", "--target", target],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as proc:
        while proc.poll() is None:
            peak = max(peak, tree_rss_mb(proc.pid))
            time.sleep(0.2)
    if proc.returncode != 0:
        raise SystemExit(f"dwh build --target {target} failed: see {env['DWH_HOME']}/build")
    return {"seconds": round(time.perf_counter() - started, 1), "peak_tree_rss_mb": round(peak)}


def bench(persons: int, year: int, home: Path) -> dict:
    env = bench_env(home)
    measure([DWH, "simulate", "--persons", str(persons), "--years", str(year)], env)
    result = {"persons": persons, "years": [year]}
    for target in TARGETS:
        step = build(target, env)
        record, seconds = build_record(home)
        step.update(seconds)
        nodes = sorted(record["nodes"], key=lambda n: n["seconds"])
        step["dbt_nodes"] = len(nodes)
        step["median_node_seconds"] = statistics.median(n["seconds"] for n in nodes)
        step["slowest_nodes"] = {n["node"]: n["seconds"] for n in nodes[-3:]}
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
    each_size(bench, args.persons, args.year, RESULTS, results)
    print(markdown(results))


def markdown(results: dict) -> str:
    """The README's summary table."""
    lines = [
        "| persons, one year | engine | build | of which dbt | median dbt node | peak memory |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for run in sorted(results["runs"].values(), key=lambda r: r["persons"]):
        for target, engine in TARGETS.items():
            step = run[target]
            lines.append(
                f"| {run['persons']:,} | {engine} | {step['seconds']} s | {step['dbt_seconds']} s "
                f"| {step['median_node_seconds']} s | {step['peak_tree_rss_mb']:,} MB |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
