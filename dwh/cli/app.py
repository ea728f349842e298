"""The Typer application every command group registers on, and what the commands share:
the console, progress bars, failing with a message, the acting user."""

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


As = Annotated[str, typer.Option("--as", help="The user acting (see `dwh users list`).")]


def acting_user(name: str) -> dict:
    from dwh.requests import users

    user = users.get(name)
    if user is None:
        console.print(f"[red]No user {name}[/] (`dwh users add`).")
        raise typer.Exit(1)
    return user


def fail(error: Exception):
    console.print(f"[red]{error}[/]")
    raise typer.Exit(1) from None
