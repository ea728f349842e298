"""``dwh requests`` and ``dwh extract``: researchers' requests, their workflow and extracts."""

from typing import Annotated

import typer
from rich.console import Console

from dwh.cli.app import As, acting_user, app, console, fail, progress_bar
from dwh.core import paths

requests_app = typer.Typer(help="Researchers' requests and their workflow.", no_args_is_help=True)
app.add_typer(requests_app, name="requests")


@requests_app.command("template")
def requests_template():
    """Print a commented request template (YAML) to fill in."""
    print((paths.PROJECT_DIR / "dwh" / "requests" / "template.yaml").read_text(), end="")


@requests_app.command("catalogue")
def requests_catalogue():
    """The variables a request may name, with their source."""
    from rich.table import Table

    from dwh.serving import catalogue

    table = Table("variable", "type", "source", "code list", "description")
    for name, v in catalogue.variables().items():
        table.add_row(name, v["type"], v["source"], v["code_list"] or "", v["description"])
    Console().print(table)


@requests_app.command("submit")
def requests_submit(
    file: Annotated[typer.FileText, typer.Argument(help="The request, in YAML.")],
    as_: As,
    draft: Annotated[
        bool, typer.Option(help="Save as a draft (checked in full when submitted).")
    ] = False,
):
    """Submit a request written in YAML (`dwh requests template`)."""
    from dwh.requests.form import MAX_YAML_BYTES, InvalidRequest, read_yaml
    from dwh.requests.submission import submit

    try:
        number = submit(acting_user(as_), read_yaml(file.read(MAX_YAML_BYTES + 1)), draft)
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

    from dwh.extracts.files import expire_due
    from dwh.requests import workflow

    expire_due()
    table = Table("number", "owner", "kind", "status", "updated", "destroy by")
    for r in workflow.visible(acting_user(as_)):
        table.add_row(
            r["number"], r["owner"], r["kind"], r["status"], r["updated_at"], r["destroy_by"] or ""
        )
    Console().print(table)


@requests_app.command("show")
def requests_show(number: str, as_: As):
    """A request, its history and what it asks for."""
    import yaml

    from dwh.requests import workflow

    user = acting_user(as_)
    try:
        request = workflow.get(number, user)
        events = workflow.history(number, user)
    except workflow.NotFound as e:
        fail(e)
    out = Console(markup=False, highlight=False)  # what people wrote is shown as text
    out.print(f"{number} {request['kind']}, {request['status']}, owner {request['owner']}")
    if request["reason"]:
        out.print(f"Reason: {request['reason']}")
    if request["deliberation_number"]:
        out.print(
            f"Deliberation {request['deliberation_number']} of {request['deliberation_date']}"
        )
    for e in events:
        note = " ".join((e["note"] or "").split())  # one line per event, whatever the note holds
        out.print(
            f"  {e['at']} {e['actor']} ({e['via'] or '-'}): "
            f"{e['from_status']} -> {e['to_status']} {note}"
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
    from dwh.requests import workflow

    user = acting_user(as_)
    try:
        if remove:
            workflow.minimise(number, user, remove, reason or "not justified by the purpose")
        request = workflow.move(
            number, user, to, reason=reason if to == "rejected" else None, note=reason
        )
    except (workflow.WorkflowError, workflow.NotFound) as e:
        fail(e)
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
    from dwh.requests import workflow

    try:
        request = workflow.move(
            number,
            acting_user(as_),
            "approved" if approve else "rejected",
            reason=None if approve else reason,
            note=reason,
            deliberation_number=deliberation,
            deliberation_date=date_,
        )
    except (workflow.WorkflowError, workflow.NotFound, ValueError) as e:
        fail(e)
    console.print(f"{number} is now {request['status']}.")


@requests_app.command("expire")
def requests_expire():
    """Delete the files of requests past their destroy-by date (run it daily)."""
    from dwh.extracts.files import expire_due

    for number in expire_due():
        console.print(f"{number}: expired, files deleted.")


@requests_app.command("notify")
def requests_notify():
    """Mail the notifications not mailed yet (a mail server was down); every move tries too."""
    from dwh.requests import notify

    sent, failed = notify.send_pending()
    console.print(f"{sent} mailed, {failed} failed (tried again at the next move or run).")
    if failed:
        raise typer.Exit(1)


@app.command("extract")
def extract_(number: str, as_: As):
    """Produce the approved extract of a request (stewards)."""
    from dwh.extracts.files import ExtractError
    from dwh.extracts.produce import produce
    from dwh.requests import workflow

    with progress_bar() as progress:
        progress.add_task(f"extracting {number}", total=None)
        try:
            folder = produce(number, acting_user(as_))
        except (ExtractError, workflow.WorkflowError, workflow.NotFound) as e:
            fail(e)
    console.print(f"Extract of {number} in {folder}")
