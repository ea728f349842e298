"""The Typer application every command group registers on, and what the commands share:
the console, progress bars, failing with a message, the acting user."""

import getpass
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

app = typer.Typer(
    help="lmsp-dwh: a pseudonymised statistical datawarehouse on the labour "
    "market and social protection.",
    no_args_is_help=True,
)
console = Console(stderr=True)


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


As = Annotated[
    str,
    typer.Option(
        "--as", help="The user acting; their password is asked for (or read from standard input)."
    ),
]


def read_password(prompt: str, confirm: bool = False) -> str:
    """A password from the terminal, hidden, or one line of standard input when it is not a
    terminal (a script): never from the command line, where the process list shows it."""
    if sys.stdin.isatty():
        return typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm)
    return sys.stdin.readline().rstrip("\n")


def acting_user(name: str) -> dict:
    """The user ``--as`` names, once they have given their password: the command line believes
    no name, and the audit log records the user as authenticated, via the command line."""
    from dwh.requests import users

    client = f"cli:{getpass.getuser()}"
    try:
        user = users.authenticate(name, read_password(f"Password of {name}"), client, via="cli")
    except users.Throttled as e:
        fail(e)
    if user is None:
        console.print(f"[red]Wrong user name or password for {name}.[/]")
        raise typer.Exit(1)
    return user


def fail(error: Exception):
    console.print(f"[red]{error}[/]")
    raise typer.Exit(1) from None
