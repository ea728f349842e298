"""Benchmark: how fast the dashboards answer, on a publication at national scale.

1. Query latency: the queries behind the global and local pages, for 1,000 random filter
   combinations, each on a fresh read-only connection (as an uncached page run does).
2. Page load in a real browser: headless Chromium (Playwright) loads each page of a running
   ``dwh serve`` until Streamlit is idle, 5 times per page.

    python bench/dashboards.py [--home DWH_HOME]   # a home with a publication

Results go to bench/results/dashboards.json.
"""

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "dashboards"))
from dwh.serving.publication import Publication  # noqa: E402

from queries import global_series, local_quarter  # noqa: E402

RESULTS = Path(__file__).parent / "results" / "dashboards.json"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def queries(public: Path, n: int, seed: int) -> dict:
    rng = random.Random(seed)
    with duckdb.connect(str(public), read_only=True) as con:
        quarters = [
            q for (q,) in con.execute("select distinct quarter from local_figures").fetchall()
        ]
        positions = [
            p for (p,) in con.execute("select distinct position from local_figures").fetchall()
        ]
        ages = [
            "_T",
            *[a for (a,) in con.execute("select age_class from dim_age_class").fetchall()],
        ]
        rows = con.execute("select count(*) from local_figures").fetchone()[0]
    regions = ["01000", "02000", "03000", "04000"]
    timings = []
    for _ in range(n):
        if rng.random() < 0.5:
            sql, params = global_series(
                rng.sample(regions, rng.randint(1, 4)),
                rng.sample(positions, 5),
                rng.choice(["_T", "M", "F"]),
                rng.choice(ages),
                rng.choice(["_T", "BE", "EU", "NEU"]),
            )
        else:
            sql, params = local_quarter(
                rng.choice(quarters),
                rng.choice(["_T", "M", "F"]),
                rng.choice(ages),
                rng.choice(positions),
            )
        started = time.perf_counter()
        with duckdb.connect(str(public), read_only=True) as con:
            con.execute(sql, list(params)).fetchall()
        timings.append(1000 * (time.perf_counter() - started))
    return {
        "combinations": n,
        "local_figures_rows": rows,
        "p50_ms": round(percentile(timings, 50), 1),
        "p99_ms": round(percentile(timings, 99), 1),
        "max_ms": round(max(timings), 1),
    }


def pages(home: Path, runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DWH_HOME": str(home)}
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("dwh")), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        out = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                ],
            )
            tab = browser.new_page(viewport={"width": 1400, "height": 1000})
            for name in ("", "global_figures", "local_figures"):
                seconds = []
                for _ in range(runs + 1):  # the first load warms the server's caches
                    started = time.perf_counter()
                    tab.goto(f"{url}/{name}")
                    tab.wait_for_selector("[data-testid='stApp']")
                    tab.wait_for_function(
                        "!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                        timeout=120_000,
                    )
                    if name:
                        tab.locator(".vega-embed").first.wait_for(timeout=120_000)
                    seconds.append(time.perf_counter() - started)
                out[name or "home"] = {
                    "first_s": round(seconds[0], 2),
                    "median_s": round(statistics.median(seconds[1:]), 2),
                    "max_s": round(max(seconds[1:]), 2),
                }
            browser.close()
        return out
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home", type=Path, default=Path(os.environ.get("DWH_HOME", ROOT / "data"))
    )
    parser.add_argument("--combinations", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    served = Publication.load((args.home / "serving" / "current").resolve())
    public, build = served.public, served.build_record()
    persons = next(d["rows_accepted"] for d in build["deliveries"] if d["institution"] == "rr")
    result = {
        "person_quarters": persons,
        "queries": queries(public, args.combinations, seed=1),
        "pages": pages(args.home, args.runs),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    print(json.dumps(result, indent=2))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
