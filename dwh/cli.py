"""The ``dwh`` command line: simulate, build, publish, status, synthesize, users, requests,
extract, serve."""

from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from dwh import paths
from dwh.build import Target

app = typer.Typer(
    help="lmsp-dwh: a pseudonymised statistical datawarehouse on the labour "
    "market and social protection.",
    no_args_is_help=True,
)
console = Console(stderr=True)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


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

    from dwh.simulate import Imperfections
    from dwh.simulate import simulate as run

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
    with _progress() as progress:
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
):
    """Ingest the deliveries (check, pseudonymise, quarantine) and build the warehouse with dbt."""
    from dwh import status
    from dwh.build import SparkMissing
    from dwh.build import build as run

    with _progress() as progress:
        ingest_task = progress.add_task("ingesting deliveries", total=None)
        dbt_task = progress.add_task("dbt build", total=None, visible=False)

        def on_progress(done: int, total: int):
            progress.update(ingest_task, visible=False)
            progress.update(dbt_task, visible=True, completed=done, total=total)

        try:
            record = run(
                memory_limit, docs, lambda d: progress.advance(ingest_task), on_progress, target
            )
        except SparkMissing as e:
            console.print(f"[red]{e}[/]")
            raise typer.Exit(1) from None
    status.show(console)
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
def publish(keep: Annotated[int, typer.Option(help="Publications kept for rollback.")] = 3):
    """Swap the last successful build into the serving copy, atomically."""
    from dwh.publish import PublishError
    from dwh.publish import publish as run

    try:
        publication = run(keep)
    except PublishError as e:
        console.print(f"[red]Not published:[/] {e}")
        raise typer.Exit(1) from None
    console.print(
        f"Published {publication['id']}: {paths.serving_db()} (microdata) and "
        f"{paths.public_db()} (disclosure-controlled figures)."
    )


@app.command()
def status():
    """Show deliveries (received, accepted, quarantined), the last build and what is served."""
    from dwh.status import show

    show(Console())


@app.command()
def synthesize(
    period: Annotated[
        str | None,
        typer.Option(help="A quarter (2023Q4), a year (2023) or years (2019-2023)."),
    ] = None,
    rows: Annotated[
        int | None,
        typer.Option(help="Synthetic persons [default: the real population of the period]."),
    ] = None,
    seed: Annotated[int, typer.Option(help="The same seed gives the same data.")] = 1,
    synthesizer: Annotated[
        str, typer.Option(help="Engine: gaussian_copula, ctgan or tvae.")
    ] = "gaussian_copula",
    fit_rows: Annotated[
        int, typer.Option(help="Size of the stratified fit sample of a large population.")
    ] = 200_000,
    threshold: Annotated[
        list[str] | None,
        typer.Option(help="Override a gate threshold, e.g. quality_score=0.9 (repeatable)."),
    ] = None,
    list_: Annotated[
        bool, typer.Option("--list", help="List the released synthetic datasets.")
    ] = False,
):
    """Synthesize a period from the published warehouse; release it only through the quality
    and privacy gate (under $DWH_HOME/synthetic/<period>/)."""
    if list_:
        _list_synthetic()
        return
    if period is None:
        raise typer.BadParameter("give --period (or --list)")
    from synthesis.config import Gate, Period, Run
    from synthesis.real import SynthesisError
    from synthesis.synthesize import GateRefused
    from synthesis.synthesize import synthesize as run

    try:
        config = Run(
            Period.parse(period),
            rows,
            seed,
            synthesizer,
            fit_rows,
            Gate.with_overrides(threshold or []),
        )
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    with _progress() as progress:
        tasks = {}

        def on_progress(stage: str, done: int, total: int):
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        try:
            report = run(config, on_progress)
        except SynthesisError as e:
            console.print(f"[red]Not synthesized:[/] {e}")
            raise typer.Exit(1) from None
        except GateRefused as e:
            console.print("[red]Refused by the gate, nothing released:[/]")
            for failure in e.failures:
                console.print(f"  {failure}")
            console.print(f"Report: {e.report_folder / 'report.md'}")
            raise typer.Exit(1) from None
    summary = report["summary"]
    console.print(
        f"Released {summary['persons']:,} synthetic persons ({summary['rows']:,} rows) in "
        f"{paths.home() / 'synthetic' / summary['period']}"
    )


def _list_synthetic():
    from rich.table import Table

    from synthesis.release import released

    datasets = released()
    if not datasets:
        Console().print("No synthetic dataset released yet ([bold]dwh synthesize --period[/]).")
        return
    table = Table("period", "mode", "persons", "rows", "created", "publication", "folder")
    for d in datasets:
        table.add_row(
            d["period"],
            d["mode"],
            f"{d['persons']:,}",
            f"{d['rows']:,}",
            d["created_at"],
            d["publication"],
            str(d["folder"]),
        )
    Console().print(table)


users_app = typer.Typer(help="Users of the request pages and their roles.", no_args_is_help=True)
requests_app = typer.Typer(help="Researchers' requests and their workflow.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(requests_app, name="requests")
As = Annotated[str, typer.Option("--as", help="The user acting (see `dwh users list`).")]


def _user(name: str) -> dict:
    from dwh import users

    user = users.get(name)
    if user is None:
        console.print(f"[red]No user {name}[/] (`dwh users add`).")
        raise typer.Exit(1)
    return user


def _fail(error: Exception):
    console.print(f"[red]{error}[/]")
    raise typer.Exit(1) from None


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="researcher, steward or committee.")],
    email: Annotated[str | None, typer.Option(help="For notifications by e-mail.")] = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
):
    """Create a user (the password is asked for, or read from --password)."""
    from dwh import users

    try:
        users.add(name, role, password, email)
    except users.UserError as e:
        _fail(e)
    console.print(f"User {name} ({role}) created.")


@users_app.command("list")
def users_list():
    """The users and their roles."""
    from rich.table import Table

    from dwh import users

    table = Table("name", "role", "e-mail", "created")
    for u in users.all_users():
        table.add_row(u["name"], u["role"], u["email"] or "", u["created_at"])
    Console().print(table)


@requests_app.command("template")
def requests_template():
    """Print a commented request template (YAML) to fill in."""
    print((paths.PROJECT_DIR / "dwh" / "request_template.yaml").read_text(), end="")


@requests_app.command("catalogue")
def requests_catalogue():
    """The variables a request may name, with their source."""
    from rich.table import Table

    from dwh import catalogue

    table = Table("variable", "type", "source", "code list", "description")
    for name, v in catalogue.variables().items():
        table.add_row(name, v["type"], v["source"], v["code_list"] or "", v["description"])
    Console().print(table)


@requests_app.command("submit")
def requests_submit(
    file: Annotated[typer.FileText, typer.Argument(help="The request, in YAML.")],
    as_: As,
    draft: Annotated[bool, typer.Option(help="Save as a draft, unchecked.")] = False,
):
    """Submit a request written in YAML (`dwh requests template`)."""
    import yaml

    from dwh.submission import InvalidRequest, submit

    body = yaml.safe_load(file)
    if not isinstance(body, dict):
        _fail(ValueError("the file is not a YAML mapping of the request's fields"))
    try:
        number = submit(_user(as_), body, draft)
    except InvalidRequest as e:
        console.print("[red]The request is not valid:[/]")
        for field, message in e.errors.items():
            console.print(f"  {field}: {message}")
        raise typer.Exit(1) from None
    console.print(f"Request {number} {'saved as a draft' if draft else 'submitted'}.")


@requests_app.command("list")
def requests_list(as_: As):
    """The requests you may see, newest first."""
    from rich.table import Table

    from dwh import extract, workflow

    extract.expire_due()
    table = Table("number", "owner", "kind", "status", "updated", "destroy by")
    for r in workflow.visible(_user(as_)):
        table.add_row(
            r["number"], r["owner"], r["kind"], r["status"], r["updated_at"], r["destroy_by"] or ""
        )
    Console().print(table)


@requests_app.command("show")
def requests_show(number: str, as_: As):
    """A request, its history and what it asks for."""
    import yaml

    from dwh import workflow

    user = _user(as_)
    try:
        request = workflow.get(number, user)
        events = workflow.history(number, user)
    except workflow.NotFound as e:
        _fail(e)
    out = Console()
    out.print(f"[bold]{number}[/] {request['kind']}, {request['status']}, owner {request['owner']}")
    if request["reason"]:
        out.print(f"Reason: {request['reason']}")
    if request["deliberation_number"]:
        out.print(
            f"Deliberation {request['deliberation_number']} of {request['deliberation_date']}"
        )
    for e in events:
        out.print(
            f"  {e['at']} {e['actor']}: {e['from_status']} -> {e['to_status']} {e['note'] or ''}"
        )
    out.print(yaml.safe_dump(request["body"], allow_unicode=True, sort_keys=False), markup=False)


@requests_app.command("review")
def requests_review(
    number: str,
    as_: As,
    to: Annotated[
        str,
        typer.Option(
            help="under_review, awaiting_committee, approved, rejected, delivered or withdrawn."
        ),
    ],
    reason: Annotated[str | None, typer.Option(help="Why (required to reject).")] = None,
    remove: Annotated[
        list[str] | None, typer.Option(help="A variable the purpose does not justify.")
    ] = None,
):
    """Move a request in the workflow (stewards; researchers withdraw their own)."""
    from dwh import workflow

    user = _user(as_)
    try:
        if remove:
            workflow.minimise(number, user, remove, reason or "not justified by the purpose")
        request = workflow.move(
            number, user, to, reason=reason if to == "rejected" else None, note=reason
        )
    except (workflow.WorkflowError, workflow.NotFound) as e:
        _fail(e)
    console.print(f"{number} is now {request['status']}.")


@requests_app.command("decide")
def requests_decide(
    number: str,
    as_: As,
    approve: Annotated[bool, typer.Option("--approve/--reject")],
    deliberation: Annotated[str | None, typer.Option(help="Deliberation number.")] = None,
    date_: Annotated[
        str | None, typer.Option("--date", help="Date of the deliberation (YYYY-MM-DD).")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why (required to reject).")] = None,
):
    """The committee's deliberation on a request for pseudonymised data."""
    from dwh import workflow

    try:
        request = workflow.move(
            number,
            _user(as_),
            "approved" if approve else "rejected",
            reason=None if approve else reason,
            note=reason,
            deliberation_number=deliberation,
            deliberation_date=date_,
        )
    except (workflow.WorkflowError, workflow.NotFound, ValueError) as e:
        _fail(e)
    console.print(f"{number} is now {request['status']}.")


@requests_app.command("expire")
def requests_expire():
    """Delete the files of requests past their destroy-by date (run it daily)."""
    from dwh import extract

    for number in extract.expire_due():
        console.print(f"{number}: expired, files deleted.")


@app.command("extract")
def extract_(number: str, as_: As):
    """Produce the approved extract of a request (stewards)."""
    from dwh import extract, workflow

    with _progress() as progress:
        progress.add_task(f"extracting {number}", total=None)
        try:
            folder = extract.produce(number, _user(as_))
        except (extract.ExtractError, workflow.WorkflowError, workflow.NotFound) as e:
            _fail(e)
    console.print(f"Extract of {number} in {folder}")


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="Port of the dashboards.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    steward: Annotated[bool, typer.Option(help="Show the data stewards' page.")] = False,
):
    """Serve the dashboards (Streamlit) on the published figures, read-only."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "DWH_HOME": str(paths.home())}
    if steward:
        env["DWH_STEWARD_PAGES"] = "1"
    console.print(f"Dashboards on http://{address}:{port} (Ctrl+C to stop)")
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(paths.PROJECT_DIR / "dashboards" / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--browser.gatherUsageStats",
        "false",
        "--server.enableStaticServing",
        "true",
        "--client.toolbarMode",
        "minimal",
    ]
    raise typer.Exit(subprocess.call(command, env=env))


if __name__ == "__main__":
    app()
