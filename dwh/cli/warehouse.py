"""Commands of the warehouse: simulate, build, publish, status, serve."""

from typing import Annotated

import typer
from rich.console import Console

from dwh.cli.app import app, console, fail, progress_bar
from dwh.core import paths
from dwh.core.paths import Target


def _years(text: str) -> list[int]:
    first, _, last = text.partition("-")
    years = list(range(int(first), int(last or first) + 1))
    if not years or years[0] < 2019 or years[-1] > 2030:
        raise typer.BadParameter("give years from 2019 on, e.g. 2019-2025")
    return years


def _pairs(values: list[str]) -> list[tuple[str, int]]:
    out = []
    for value in values:
        inst, _, year = value.partition(":")
        if not year.isdigit():
            raise typer.BadParameter(f"{value!r}: write INSTITUTION:YEAR, e.g. fodss:2021")
        out.append((inst, int(year)))
    return out


@app.command()
def simulate(
    persons: Annotated[
        int, typer.Option(help="Residents at the start (Belgium: 11,500,000).")
    ] = 20_000,
    years: Annotated[str, typer.Option(help="Years to deliver, e.g. 2019-2025.")] = "2019-2025",
    seed: Annotated[int, typer.Option(help="The same seed gives the same files.")] = 1,
    invalid_niss: Annotated[
        float, typer.Option(help="Share of rows with wrong check digits.")
    ] = 0.0005,
    unknown_municipality: Annotated[
        float, typer.Option(help="Share of register rows with an unknown NIS code.")
    ] = 0.0005,
    duplicate: Annotated[float, typer.Option(help="Share of rows delivered twice.")] = 0.0005,
    out_of_period: Annotated[
        float, typer.Option(help="Share of rows dated outside the period.")
    ] = 0.0005,
    missing: Annotated[
        list[str] | None,
        typer.Option(help="INSTITUTION:YEAR not delivered [default: fodss:2021]."),
    ] = None,
    provisional: Annotated[
        list[str] | None,
        typer.Option(help="INSTITUTION:YEAR flagged provisional [default: onem:2020]."),
    ] = None,
    clean: Annotated[bool, typer.Option(help="No imperfections at all.")] = False,
):
    """Write the deliveries every institution would send for a synthetic population."""
    import shutil

    from dwh.simulate.run import Imperfections
    from dwh.simulate.run import simulate as run

    year_list = _years(years)
    faults = (
        Imperfections.none()
        if clean
        else Imperfections(
            invalid_niss,
            unknown_municipality,
            duplicate,
            out_of_period,
            _pairs(["fodss:2021"] if missing is None else missing),
            _pairs(["onem:2020"] if provisional is None else provisional),
        )
    )
    out = paths.deliveries()
    shutil.rmtree(out, ignore_errors=True)
    with progress_bar() as progress:
        task = progress.add_task("simulating quarters", total=4 * len(year_list))
        run(persons, year_list, seed, faults, out, lambda _: progress.advance(task))
    console.print(f"Deliveries written to {out}")


@app.command()
def build(
    memory_limit: Annotated[
        str, typer.Option(help="DuckDB memory limit of the ingest and of dbt.")
    ] = "6GB",
    docs: Annotated[bool, typer.Option(help="Generate the dbt docs (lineage, columns).")] = True,
    target: Annotated[
        Target,
        typer.Option(
            help="dbt target: dev (DuckDB, served by `dwh publish`) or spark (Apache Spark; "
            "needs `make setup-spark`, DWH_SPARK_MASTER points it at a cluster)."
        ),
    ] = "dev",
    full_refresh: Annotated[
        bool,
        typer.Option(
            help="Ingest every delivery again (by default only those new or changed since the "
            "last build: `dwh status` lists them)."
        ),
    ] = False,
):
    """Ingest the deliveries (check, pseudonymise, quarantine) and build the warehouse with dbt."""
    from dwh.build import output_check, status
    from dwh.build.run import NoDeliveries, SparkMissing, check_deliveries
    from dwh.build.run import build as run

    try:
        check_deliveries()  # before anything shows progress (build() checks again)
    except NoDeliveries as e:
        console.print(f"[red]{e}[/]")
        raise typer.Exit(1) from None
    with progress_bar() as progress:
        ingest_task = progress.add_task("ingesting deliveries", total=None)
        dbt_task = progress.add_task("dbt build", total=None, visible=False)

        def on_progress(done: int, total: int):
            progress.update(ingest_task, visible=False)
            progress.update(dbt_task, visible=True, completed=done, total=total)

        try:
            record = run(
                memory_limit,
                docs,
                lambda d: progress.advance(ingest_task),
                on_progress,
                target,
                full_refresh=full_refresh,
            )
        except (NoDeliveries, SparkMissing) as e:
            console.print(f"[red]{e}[/]")
            raise typer.Exit(1) from None
    status.show(console, since=False)
    if target == "dev":
        output_check.show(console, record["output_check"])
    if (record["output_check"] or {}).get("disclosive"):
        console.print(
            "[red]Build failed[/]: its output check flags it as disclosive (above); "
            "the served warehouse is unchanged."
        )
        raise typer.Exit(1)
    if record["dbt_success"] is None:
        console.print(
            "[red]Build failed[/]: the served warehouse is unchanged. A delivery was rejected "
            "(above), so dbt was not run.",
            soft_wrap=True,
        )
        raise typer.Exit(1)
    if record["status"] != "success":
        console.print(
            f"[red]Build failed[/]; the served warehouse is unchanged. dbt's log: "
            f"{paths.build_dir() / 'dbt.log'}"
        )
        raise typer.Exit(1)
    if target == "spark":
        console.print(f"Built on Spark: tables in {record['warehouse']}.")
    else:
        console.print(f"Built {paths.build_db()}. Publish it with [bold]dwh publish[/].")


@app.command()
def status():
    """Show deliveries (received, accepted, quarantined), the last build and what is served."""
    from dwh.build.status import show

    show(Console())


STOP_GRACE = 10  # seconds the server has to stop after SIGTERM before it is killed


def _port_taken(address: str, port: int) -> bool:
    """Whether something listens on ``address``:``port`` (bound as the server would bind)."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((address, port))
        except OSError:
            return True
    return False


def _die_with_parent():
    """In the server's process: stop (SIGTERM) when `dwh serve` dies, even killed (Linux)."""
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(AttributeError, OSError):  # not Linux: no such call
        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port of the dashboards.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    check_port: Annotated[
        bool, typer.Option(help="Only check that the port is free (exit 1 when taken).")
    ] = False,
):
    """Serve the dashboards on the published figures, read-only; the request pages and the
    stewards' page behind a sign-in (`dwh users add`). Stops its server on SIGTERM or SIGINT."""
    import os
    import signal
    import subprocess
    import sys
    import threading

    if _port_taken(address, port):
        fail(RuntimeError(f"Port {port} on {address} is taken: give another (--port, PORT=)."))
    if check_port:
        console.print(f"Port {port} on {address} is free.")
        return
    env = {**os.environ, "DWH_HOME": str(paths.home())}
    console.print(f"Dashboards on http://{address}:{port} (Ctrl+C to stop)")
    server = subprocess.Popen(
        [
            sys.executable,
            str(paths.PROJECT_DIR / "dashboards" / "server.py"),
            *("--port", str(port), "--address", address),
        ],
        env=env,
        preexec_fn=_die_with_parent,
    )

    def stop(signum, _frame):
        """Stop the server, killed if it has not stopped within STOP_GRACE seconds."""
        server.send_signal(signal.SIGTERM)
        kill = threading.Timer(STOP_GRACE, server.kill)
        kill.daemon = True
        kill.start()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    code = server.wait()
    raise typer.Exit(0 if code in (0, -signal.SIGTERM) else code)
