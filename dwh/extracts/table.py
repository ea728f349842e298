"""The temp table ``extract`` an extract is built in: its columns, and names quoted as SQL
identifiers (only catalogue names ever reach the SQL, and quoted even then)."""


def ident(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def columns(con) -> list[str]:
    """The columns of the temp table ``extract``."""
    return [r[0] for r in con.execute("describe extract").fetchall()]


def has(con, column: str) -> bool:
    return column in columns(con)
