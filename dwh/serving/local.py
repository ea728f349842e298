"""The dashboards started from Python on this machine (the tests, the benchmarks, the README's
screenshots): ``dwh serve`` of a home on a free port, stopped when the block ends."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DWH = str(Path(sys.executable).with_name("dwh"))


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(proc: subprocess.Popen, url: str, seconds: float = 300) -> bool:
    """Wait until the server at ``url`` says it is ready (True), or ``proc`` ends or
    ``seconds`` pass (False). ``dwh serve`` says so once its pages have run once."""
    deadline = time.monotonic() + seconds
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            return urllib.request.urlopen(f"{url}/_stcore/health", timeout=5).read() == b"ok"
        except OSError:
            time.sleep(0.3)
    return False


@contextmanager
def served(home: Path, port: int | None = None, log=subprocess.DEVNULL) -> Iterator[tuple]:
    """``dwh serve`` of ``home`` on ``port`` (a free one if None), its output to ``log``,
    until the block ends: (its address, its process)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [DWH, "serve", "--port", str(port)],
        env={**os.environ, "DWH_HOME": str(home)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        if not healthy(proc, url):
            raise RuntimeError("the dashboards did not start")
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
