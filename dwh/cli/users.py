"""``dwh users``: users of the request pages and their roles."""

from typing import Annotated

import typer
from rich.console import Console

from dwh.cli.app import app, console, fail, read_password

users_app = typer.Typer(help="Users of the request pages and their roles.", no_args_is_help=True)
app.add_typer(users_app, name="users")


@users_app.command("add")
def users_add(
    name: str,
    role: Annotated[str, typer.Option(help="researcher, steward or committee.")],
    email: Annotated[str | None, typer.Option(help="For notifications by e-mail.")] = None,
):
    """Create a user; the password is asked for (at least 12 characters, not a common one, not
    holding the name), or read from standard input in a script, never from the command line."""
    from dwh.requests import users

    try:
        users.add(name, role, read_password("Password", confirm=True), email)
    except users.UserError as e:
        fail(e)
    console.print(f"User {name} ({role}) created.")


@users_app.command("list")
def users_list():
    """The users and their roles."""
    from rich.table import Table

    from dwh.requests import users

    table = Table("name", "role", "e-mail", "created")
    for u in users.all_users():
        table.add_row(u["name"], u["role"], u["email"] or "", u["created_at"])
    Console().print(table)
