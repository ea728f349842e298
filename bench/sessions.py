"""Benchmark: how many simultaneous users one dashboards server holds.

N simulated users, each on the global or the local figures page (half each), change one filter
every 2-5 s (a random option of a random filter: selectbox, radio, multiselect or toggle, the
language switch excepted). The time of a page update runs from sending the change to
Streamlit's ``script_finished``: the server has run the page and sent every element, the
browser's spinner stops. Levels N = 5, 10, 25, 50, 100, ... run one after the other on one
``dwh serve``, each for ``--seconds`` (the users arriving over the first 0.2 s x N, at most
10 s), until the 99th percentile passes 1 s or a page fails (a traceback, or the app's
message that a page failed); if N = 5 does not hold: 1, 2, 3, 4. The server's and the
clients' CPU (100 % = one core) are recorded beside. Results in bench/results/sessions.json.

``--replicas R`` runs R servers of the same publication (the scaling out the README
describes) and shares the users of each page evenly among them, each user staying on its
server as behind a proxy with sticky sessions; the servers' CPU is their sum. Its levels go
under ``replicas.R`` in the same file (R = 1 too: one server on the same publication),
beside the one server that bench/dashboards.py measures.

The users are websocket clients speaking Streamlit's own protocol (its protobuf BackMsg and
ForwardMsg, as the browser does), not browsers: a headless Chromium per user costs 150-300 MB
and renders every Vega chart on the same 2 cores as the server, so 50 of them would measure
Chromium, not the server. A client does what the browser does on the wire (the widget states
of every changed filter, the page, the query string), but never tells the server which large
messages it has cached, so it is sent more than a browser would be.

    python bench/sessions.py --home DWH_HOME        # alone (bench/dashboards.py runs it too)
    python bench/sessions.py --home DWH_HOME --replicas 2
"""

import argparse
import asyncio
import json
import os
import random
import resource
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from dwh.serving.local import served
from dwh.serving.publication import Publication

RESULTS = Path(__file__).parent / "results" / "sessions.json"
PAGES = ("global_figures", "local_figures")
FILTERS = ("selectbox", "radio", "multiselect", "checkbox")
TARGET_S = 1.0
ERROR = Alert.Format.ERROR


def percentile(values: list[float], p: float, digits: int = 2) -> float | None:
    """The ``p``-th percentile (nearest rank), rounded; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))], digits)


class User:
    """One browser tab's conversation with the server, over Streamlit's websocket."""

    def __init__(self, url: str, page: str, rng: random.Random):
        self.url, self.page, self.rng = url, page, rng
        self.page_hash, self.query_string = "", ""
        self.widgets: dict[str, tuple[str, list[str]]] = {}  # id -> (kind, options)
        self.states: dict[str, WidgetState] = {}
        self.errors = 0
        self.app_pages: list[str] = []

    async def run_page(self, ws) -> float:
        """Ask for a run of the page with the current filters; seconds to script_finished."""
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query_string
        if self.page_hash:
            rerun.page_script_hash = self.page_hash
        else:
            rerun.page_name = self.page
        rerun.widget_states.widgets.extend(self.states.values())
        started = time.perf_counter()
        await ws.send(msg.SerializeToString())
        seen = {}
        while True:
            forward = ForwardMsg()
            forward.ParseFromString(await ws.recv())
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                self.page_hash = forward.navigation.page_script_hash
                self.app_pages = [p.url_pathname for p in forward.navigation.app_pages]
            elif kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                element = forward.delta.new_element
                name = element.WhichOneof("type")
                if name == "exception" or (name == "alert" and element.alert.format == ERROR):
                    self.errors += 1  # a traceback, or the frame's message that a page failed
                elif name in FILTERS:
                    widget = getattr(element, name)
                    key = widget.id.rsplit("-", 1)[-1]
                    if "lang" not in key:
                        seen[widget.id] = (name, list(getattr(widget, "options", [])))
            elif kind == "script_finished" and forward.script_finished in (
                forward.FINISHED_SUCCESSFULLY,
                forward.FINISHED_WITH_COMPILE_ERROR,
            ):
                self.widgets = seen
                self.states = {i: s for i, s in self.states.items() if i in seen}
                return time.perf_counter() - started

    def change_filter(self):
        """A random new value for one random filter of the page, as a click would set it."""
        wid = self.rng.choice(sorted(self.widgets))
        kind, options = self.widgets[wid]
        state = WidgetState(id=wid)
        if kind == "checkbox":
            state.bool_value = not (wid in self.states and self.states[wid].bool_value)
        elif kind == "multiselect":
            chosen = self.rng.sample(options, self.rng.randint(1, min(3, len(options))))
            state.string_array_value.data.extend(chosen)
        else:
            state.string_value = self.rng.choice(options)
        self.states[wid] = state

    async def run(self, start_in: float, until: float, loads: list, updates: list):
        await asyncio.sleep(start_in)
        origin = self.url.replace("ws://", "http://").split("/_stcore")[0]
        async with websockets.connect(
            self.url,
            subprotocols=["streamlit"],
            origin=origin,
            max_size=None,
            ping_interval=None,
        ) as ws:
            loads.append(await self.run_page(ws))
            while time.perf_counter() < until:
                await asyncio.sleep(self.rng.uniform(2, 5))
                if not self.widgets:
                    continue
                self.change_filter()
                updates.append(await self.run_page(ws))


@contextmanager
def serve(home: Path, port: int | None = None):
    """A ``dwh serve`` of ``home`` on ``port`` (a free one if None), until the block ends:
    (url, the Streamlit server's pid)."""
    with served(home, port) as (url, proc):
        yield url, streamlit_pid(proc.pid)


def streamlit_pid(pid: int) -> int:
    """The dashboards' server process: the child ``dwh serve`` (``pid``) runs and waits for."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return int(children[0]) if children else pid


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def servers_cpu(pids: list[int]) -> float:
    return sum(cpu_seconds(pid) for pid in pids)


async def level(urls: list[str], pids: list[int], users: int, seconds: float, seed: int) -> dict:
    """``users`` simultaneous users for ``seconds`` after the last one has loaded its page,
    each page's users shared evenly among the servers ``urls``."""
    rng = random.Random(seed)
    ramp = min(10.0, users * 0.2)
    until = time.perf_counter() + ramp + seconds
    loads, updates = [], []
    crowd = [
        User(urls[i // len(PAGES) % len(urls)], PAGES[i % len(PAGES)], random.Random(rng.random()))
        for i in range(users)
    ]
    cpu_before, wall_before = servers_cpu(pids), time.perf_counter()
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.gather(
        *(u.run(i * ramp / users, until, loads, updates) for i, u in enumerate(crowd))
    )
    wall = time.perf_counter() - wall_before
    client = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "users": users,
        "updates": len(updates),
        "updates_per_s": round(len(updates) / wall, 1),
        **{f"p{p}_s": percentile(updates, p) for p in (50, 90, 99)},
        "max_s": percentile(updates, 100),
        "first_load_p50_s": percentile(loads, 50),
        "first_load_max_s": percentile(loads, 100),
        "errors": sum(u.errors for u in crowd),
        "server_cpu_percent": round(100 * (servers_cpu(pids) - cpu_before) / wall),
        "client_cpu_percent": round(
            100
            * (client.ru_utime + client.ru_stime - client_before.ru_utime - client_before.ru_stime)
            / wall
        ),
    }


def levels(http_urls: list[str], pids: list[int], seconds: float) -> dict:
    """Levels N = 5, 10, 25, 50, 100, ... until the p99 passes 1 s; the largest N within it."""
    urls = [url.replace("http://", "ws://") + "/_stcore/stream" for url in http_urls]
    # the pages' first runs on every server, not measured
    asyncio.run(level(urls, pids, 2 * len(urls), 0, seed=0))
    tried, held = [], 0
    plan = [5, 10, 25, 50, 100, 200, 400]
    while plan:
        users = plan.pop(0)
        result = asyncio.run(level(urls, pids, users, seconds, seed=users))
        print(json.dumps(result), flush=True)
        tried.append(result)
        if result["p99_s"] is not None and result["p99_s"] <= TARGET_S and not result["errors"]:
            held = users
        elif users == 5:
            plan = [1, 2, 3, 4]
        else:
            break
        time.sleep(5)  # the last runs of the level finish
    return {
        "clients": "websocket clients speaking Streamlit's protocol (see bench/sessions.py)",
        "think_time_s": [2, 5],
        "seconds_per_level": seconds,
        "target_p99_s": TARGET_S,
        "largest_users_within_target": held,
        "levels": tried,
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def person_quarters(home: Path) -> int:
    """The person-quarters of the national register in the publication served from ``home``."""
    build = Publication.load((home / "serving" / "current").resolve()).build_record()
    return sum(d["rows_accepted"] or 0 for d in build["deliveries"] if d["institution"] == "rr")


def simultaneous_users(home: Path, seconds: float, replicas: int | None = None) -> dict:
    """The levels on ``replicas`` servers of ``home`` (None: one), with the load average
    before and after, saved (at the top of the file for None, else under ``replicas``)."""
    result = {"person_quarters": person_quarters(home), "load_average_before": load_average()}
    with ExitStack() as stack:
        servers = [stack.enter_context(serve(home)) for _ in range(replicas or 1)]
        result |= levels([url for url, _ in servers], [pid for _, pid in servers], seconds)
    result["load_average_after"] = load_average()
    result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    saved = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if replicas is None:
        saved = result | {"replicas": saved.get("replicas", {})}
    else:
        saved.setdefault("replicas", {})[str(replicas)] = result | {"replicas": replicas}
    RESULTS.write_text(json.dumps(saved, indent=2) + "\n")
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--replicas", type=int, help="servers of the publication")
    args = parser.parse_args()
    simultaneous_users(args.home, args.seconds, args.replicas)


if __name__ == "__main__":
    main()
