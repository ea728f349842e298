"""The dashboards' web server (``dwh serve``): the Streamlit app with what Streamlit's own
server does not give.

- security headers on every answer (no framing, no sniffing, no referrer, a restrictive
  policy for features and objects);
- ``/_stcore/metrics`` closed;
- ``/delivery/<token>``: a researcher's delivery, for a short-lived single-use token minted in
  their signed-in session (``dwh.extracts.downloads``), never a file anyone can fetch;
- error details off: a visitor sees that something went wrong, never a traceback.

Run as ``python dashboards/server.py --port 8501 --address 127.0.0.1`` (``dwh serve`` does).
"""

import argparse
import json
import threading
import time
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from dwh.extracts.downloads import redeem
from dwh.extracts.files import ExtractError

APP = Path(__file__).with_name("app.py")
HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
    (b"content-security-policy", b"frame-ancestors 'none'; object-src 'none'; base-uri 'self'"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
CLOSED = ("/_stcore/metrics",)
# the answer to a delivery link that is not valid, in the three languages (no session to ask)
NOT_VALID = (
    "Deze downloadlink is niet (meer) geldig.\n"
    "Ce lien de téléchargement n'est pas (ou plus) valide.\n"
    "This download link is not valid (any more).\n"
)


# the figure pages run once as the server starts (warm_up), before it says it is healthy
WARMED = (
    *("", "global_figures", "local_figures", "profile", "disability", "households", "mobility"),
    "cohorts",
)
READY = threading.Event()


class Hardened:
    """ASGI middleware: closes ``CLOSED`` paths, adds ``HEADERS`` to every HTTP answer, and
    answers the health check with 503 until the pages have run once (``READY``)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"].rstrip("/").endswith(CLOSED):
            return await PlainTextResponse("Not found", 404)(scope, receive, send)
        if scope["path"].rstrip("/").endswith("/_stcore/health") and not READY.is_set():
            return await PlainTextResponse("warming up", 503)(scope, receive, send)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((n, v) for n, v in HEADERS if n not in names),
                ]
            await send(message)

        return await self.app(scope, receive, with_headers)


async def download(request) -> Response:
    """A delivery for a valid token; the same answer for every token that is not."""
    try:
        name, data = await run_in_threadpool(redeem, request.path_params["token"])
    except (ExtractError, LookupError):
        return PlainTextResponse(NOT_VALID, 404)
    return Response(
        data,
        media_type="application/zip",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "cache-control": "no-store",
        },
    )


def app() -> st.App:
    return st.App(
        str(APP),
        routes=[Route("/delivery/{token}", download)],
        middleware=[Middleware(Hardened)],
    )


def warm():
    """Import what the pages use before the first visitor comes (each took a second or more
    of the first page's load: bench/dashboards.py)."""
    import altair  # noqa: F401
    import duckdb  # noqa: F401
    import openpyxl  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401


def run_page(url: str, page: str) -> bool:
    """Run ``page`` once in a session of its own, as a browser would ask for it (Streamlit's
    websocket protocol); whether it finished without an error on the page."""
    from streamlit.proto.Alert_pb2 import Alert
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    ask = BackMsg()
    ask.rerun_script.page_name = page
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(stream, subprotocols=["streamlit"], origin=url, max_size=None) as ws:
        ws.send(ask.SerializeToString())
        fine = True
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=300))
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                name = element.WhichOneof("type")  # a traceback, or the app's error message
                fine &= name != "exception" and not (
                    name == "alert" and element.alert.format == Alert.Format.ERROR
                )
            elif kind == "script_finished":
                return fine and msg.script_finished == msg.FINISHED_SUCCESSFULLY


def warm_up(url: str):
    """Run each figure page once before the first visitor: its caches (the publication's
    tables, the default filters' figures), its modules and the publication's file pages in
    memory; then the health check says the server is ready. A page that fails is logged and
    does not keep the server from serving."""
    try:
        for _ in range(600):  # until the server listens
            try:
                ran = {page: run_page(url, page) for page in WARMED}
                break
            except OSError:
                time.sleep(0.1)
        else:
            ran = {}
        print(f"Pages run before the first visitor: {json.dumps(ran)}", flush=True)
    except Exception as error:  # the warm-up is an optimisation: never keep the server down
        print(f"Warm-up failed ({type(error).__name__}): serving anyway", flush=True)
    finally:
        READY.set()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--address", default="127.0.0.1")
    args = parser.parse_args()
    warm()
    url = f"http://{'127.0.0.1' if args.address in ('0.0.0.0', '') else args.address}:{args.port}"
    threading.Thread(target=warm_up, args=(url,), daemon=True).start()
    app().run(
        config={
            "server.port": args.port,
            "server.address": args.address,
            "server.headless": True,
            # a served app does not change under it: no watching of its files (and no
            # "source changed" prompt if someone edits the checkout while it serves)
            "server.fileWatcherType": "none",
            "server.runOnSave": False,
            "server.enableStaticServing": True,
            "browser.gatherUsageStats": False,
            "client.showErrorDetails": "none",
            "client.toolbarMode": "minimal",
            # tables download through the pages' own buttons (formulas made inert), not the
            # table toolbar's raw CSV
            "client.disableDataExport": True,
            # no full garbage collection after every page run: 0.2 s of CPU a run on the
            # national publication (Python still collects as it goes)
            "runner.postScriptGC": False,
            # the pages write every element explicitly: no rewriting of each script's syntax
            # tree for "magic" (0.06 s a page for each new session)
            "runner.magicEnabled": False,
        }
    )


if __name__ == "__main__":
    main()
