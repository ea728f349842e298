"""Benchmark: how fast the dashboards answer, on a publication at national scale.

1. Query latency: the queries behind the figure pages (dashboards/queries.py's builders), for
   1,000 random filter combinations, each on a connection of its own joining the public file
   the server holds open (as an uncached page run does: queries.held).
2. Page load in a real browser: headless Chromium (Playwright, Debian's /usr/bin/chromium)
   loads each figure page (home, global, local, profile, disability, mobility, cohorts,
   households) until
   Streamlit is idle and every chart is drawn, each time on a ``dwh serve`` just started:
   first by a browser that visited the dashboards before (the first load after a restart),
   then 5 more times (median); and once by an empty browser (a first-time visitor, who also
   fetches and compiles Streamlit's own scripts).
3. Simultaneous users (bench/sessions.py): the largest N whose page updates stay within 1 s
   at the 99th percentile, one server on this machine.

The load average before and after is recorded: measure on a quiet machine. One command, the
national-scale home built first if it has no publication yet (11.5 million persons, one year,
as bench/warehouse.py does; about 10 minutes on 2 cores):

    python bench/dashboards.py --home /work/benchhome-national --persons 11500000

Results go to bench/results/dashboards.json and bench/results/sessions.json.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import websockets
from sessions import (
    User,
    load_average,
    percentile,
    person_quarters,
    serve,
    simultaneous_users,
)
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "dashboards"))
from dwh.serving.local import free_port  # noqa: E402
from dwh.serving.publication import Publication  # noqa: E402

from queries import (  # noqa: E402
    global_series,
    indicator_quarter,
    indicator_series,
    local_quarter,
    local_series,
)

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RESULTS = Path(__file__).parent / "results" / "dashboards.json"


def queries(public: Path, n: int, seed: int) -> dict:
    """``n`` random queries of the figure pages (each of queries.py's builders in turn, random
    filters), each on a connection of its own to the file held open, as an uncached page run
    does."""
    rng = random.Random(seed)

    def column(sql: str) -> list:
        return [v for (v,) in con.execute(sql).fetchall()]

    with duckdb.connect(str(public), read_only=True) as con:
        quarter = column("select distinct quarter from local_figures")
        position = column("select distinct position from local_figures")
        age = ["_T", *column("select age_class from dim_age_class")]
        nationality = ["_T", *column("select nationality_group from dim_nationality_group")]
        indicator = column("select indicator from dim_indicator")
        unit = column("select geo_code from dim_geography")
        region = column("select geo_code from dim_geography where geo_level = 'region'")
        rows = con.execute("select count(*) from local_figures").fetchone()[0]
    sex = ["_T", "M", "F"]
    builders = [
        lambda: global_series(
            rng.sample(["01000", *region], rng.randint(1, 4)),
            rng.sample(position, 5),
            rng.choice(sex),
            rng.choice(age),
            rng.choice(nationality),
        ),
        lambda: local_quarter(
            rng.choice(quarter), rng.choice(sex), rng.choice(age), [rng.choice(position), "_T"]
        ),
        lambda: local_series(rng.sample(unit, 5), rng.sample(position, 5), rng.choice(sex)),
        lambda: indicator_quarter(rng.choice(quarter), rng.choice(sex), [rng.choice(indicator)]),
        lambda: indicator_series(
            rng.sample(unit, 5), indicator, rng.choice(sex), rng.choice(nationality)
        ),
    ]
    timings = []
    # the file held open as the server holds it (queries.held)
    with duckdb.connect(str(public), read_only=True):
        for i in range(n):
            sql, params = builders[i % len(builders)]()
            started = time.perf_counter()
            with duckdb.connect(str(public), read_only=True) as con:
                con.execute(sql, list(params)).fetchall()
            timings.append(1000 * (time.perf_counter() - started))
    return {
        "combinations": n,
        "local_figures_rows": rows,
        "p50_ms": percentile(timings, 50, 1),
        "p99_ms": percentile(timings, 99, 1),
        "max_ms": percentile(timings, 100, 1),
    }


FIGURES = ("profile", "disability", "mobility", "cohorts", "households")


def figure_pages(url: str) -> list[str]:
    """The pages with figures: home, global, local and every other figure page the app has
    (profile, disability, mobility, cohorts, households)."""
    user = User(url.replace("http://", "ws://") + "/_stcore/stream", "", random.Random(0))

    async def visit():
        async with websockets.connect(
            user.url, subprotocols=["streamlit"], origin=url, max_size=None
        ) as ws:
            await user.run_page(ws)

    asyncio.run(visit())
    others = [p for p in user.app_pages if any(name in p for name in FIGURES)]
    return ["", "global_figures", "local_figures", *others]


def load(tab, url: str, finished: list) -> float:
    """Seconds from asking for ``url`` to Streamlit idle and every chart drawn: the page's
    run has finished (its script_finished message has reached the browser), the status
    widget is gone and every Vega chart holds its SVG or canvas."""
    finished.clear()
    started = time.perf_counter()
    tab.goto(url, wait_until="commit")
    while not finished:
        if time.perf_counter() - started > 120:
            raise SystemExit(f"{url} did not finish in 120 s")
        tab.wait_for_timeout(10)
    tab.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]') && "
        "[...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('svg, canvas'))",
        timeout=120_000,
    )
    if tab.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count():
        raise SystemExit(f"{url} shows an exception")
    return time.perf_counter() - started


def pages(home: Path, runs: int) -> dict:
    """Each figure page in headless Chromium, each time on a ``dwh serve`` just started: its
    first load by a browser that has visited the dashboards before (Streamlit's scripts in
    its cache: the first load after a restart), then ``runs`` more loads (median, max); and
    the first load by an empty browser (a first-time visitor, who also fetches and compiles
    Streamlit's scripts)."""
    from playwright.sync_api import sync_playwright

    port = free_port()  # one address throughout: the browser's cache holds per address
    with serve(home, port) as (url, _):
        names = figure_pages(url)
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        visitor = browser.new_context(viewport={"width": 1400, "height": 1000})
        tab, finished = _tab(visitor)
        with serve(home, port) as (url, _):
            load(tab, url, finished)  # the visit before: Streamlit's scripts now cached
        for name in names:
            with serve(home, port) as (url, _):
                seconds = [load(tab, f"{url}/{name}", finished) for _ in range(runs + 1)]
            with serve(home, port) as (url, _):
                empty = browser.new_context(viewport={"width": 1400, "height": 1000})
                empty_tab, empty_finished = _tab(empty)
                first_empty = load(empty_tab, f"{url}/{name}", empty_finished)
                empty.close()
            out[name or "home"] = {
                "first_s": round(seconds[0], 2),
                "median_s": round(statistics.median(seconds[1:]), 2),
                "max_s": round(max(seconds[1:]), 2),
                "first_empty_browser_s": round(first_empty, 2),
            }
            print(name or "home", out[name or "home"], flush=True)
        visitor.close()
        browser.close()
    return out


def _tab(context):
    """A new tab of ``context`` and the list its websocket marks each finished run in."""
    tab, finished = context.new_page(), []

    def frames(ws):
        ws.on("framereceived", lambda data: finished.extend(script_finished(data)))

    tab.on("websocket", frames)
    return tab, finished


def script_finished(data) -> list[bool]:
    """[True] when a websocket frame is Streamlit's script_finished message."""
    if isinstance(data, str):
        return []
    msg = ForwardMsg()
    msg.ParseFromString(data)
    return [True] if msg.WhichOneof("type") == "script_finished" else []


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--home", type=Path, default=Path(os.environ.get("DWH_HOME", ROOT / "data"))
    )
    parser.add_argument(
        "--persons", type=int, help="simulate, build and publish a year first if nothing is"
    )
    parser.add_argument("--combinations", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60, help="per level of users")
    parser.add_argument(
        "--no-sessions", action="store_true", help="leave out the simultaneous users (3.)"
    )
    args = parser.parse_args()
    if args.persons and not (args.home / "serving" / "current").exists():
        from warehouse import bench

        args.home.mkdir(parents=True, exist_ok=True)
        print(json.dumps(bench(args.persons, 2024, args.home)), flush=True)
    public = Publication.load((args.home / "serving" / "current").resolve()).public
    result = {
        "person_quarters": person_quarters(args.home),
        "load_average_before": load_average(),
        "queries": queries(public, args.combinations, seed=1),
        "pages": pages(args.home, args.runs),
    }
    result["load_average_after"] = load_average()
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    print(json.dumps(result, indent=2), flush=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    if not args.no_sessions:
        simultaneous_users(args.home, args.seconds)


if __name__ == "__main__":
    main()
