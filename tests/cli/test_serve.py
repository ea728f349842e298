"""`dwh serve` stops its Streamlit server when it is stopped (SIGTERM, SIGINT), and refuses a
port that is taken before anything starts (`make run PORT=...` checks first)."""

import os
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from dwh.serving.local import DWH, free_port, healthy


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(c) for c in path.read_text().split()] if path.exists() else []


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_its_server_on_a_signal(dwh_home, signum):
    port = free_port()
    proc = subprocess.Popen(
        [DWH, "serve", "--port", str(port)],
        env={**os.environ, "DWH_HOME": str(dwh_home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert healthy(proc, f"http://127.0.0.1:{port}")
        servers = _children(proc.pid)
        assert len(servers) == 1 and "server.py" in Path(f"/proc/{servers[0]}/cmdline").read_text()
        proc.send_signal(signum)
        assert proc.wait() == 0
        assert not Path(f"/proc/{servers[0]}").exists()  # stopped and reaped
        assert not _listening(port)
    finally:
        proc.kill()
        proc.wait()


def test_serve_refuses_a_taken_port_before_starting(dwh_home):
    env = {**os.environ, "DWH_HOME": str(dwh_home), "COLUMNS": "200"}
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        for args in (["--check-port"], []):
            taken = subprocess.run(
                [DWH, "serve", "--port", str(port), *args], capture_output=True, text=True, env=env
            )
            assert taken.returncode == 1
            assert f"Port {port} on 127.0.0.1 is taken" in taken.stderr
            assert "Dashboards on" not in taken.stderr
    free = subprocess.run(
        [DWH, "serve", "--port", str(port), "--check-port"], capture_output=True, text=True, env=env
    )
    assert free.returncode == 0 and f"Port {port} on 127.0.0.1 is free." in free.stderr
