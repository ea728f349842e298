"""Looking for raw national numbers everywhere a build or a publication writes: every column
of every DuckDB table and Parquet file, and every other file as text."""

import re
from pathlib import Path

import duckdb

from dwh.deliveries import SOURCES

_ELEVEN = re.compile(r"(?<![0-9])[0-9]{11}(?![0-9])")


def delivered_numbers(home: Path) -> set[str]:
    """Every 11-digit value in the delivered files (national numbers above all)."""
    numbers = set()
    for source in SOURCES.values():
        for path in (home / "deliveries" / source.institution).glob("*/*"):
            if not path.name.startswith("_"):
                numbers |= set(_ELEVEN.findall(path.read_text(source.encoding)))
    return numbers


def _elevens(con, sql_from: str, params=()) -> set[str]:
    """The runs of exactly 11 digits in any column of ``sql_from``, each value read as text
    (DuckDB looks, so that only the few long values come back)."""
    rows = con.execute(
        f"""
        with cells as (select cast(columns(*) as varchar) from {sql_from})
        select distinct run from (
            select unnest(regexp_extract_all(value, '[0-9]+')) as run
            from (unpivot cells on columns(*) into name name value value)
            where length(value) >= 11
        ) where length(run) = 11
        """,
        list(params),
    ).fetchall()
    return {run for (run,) in rows}


def found_in(home: Path, numbers: set[str], extra_text: str = "") -> list[str]:
    """Where any of ``numbers`` appears under ``home`` (its deliveries and key aside), and in
    ``extra_text`` (a command's output)."""
    places = [] if not numbers & set(_ELEVEN.findall(extra_text)) else ["console"]
    for path in sorted(home.rglob("*")):
        parts = path.relative_to(home).parts
        if not path.is_file() or parts[0] in ("deliveries", "secrets") or path.is_symlink():
            continue
        if path.suffix == ".duckdb":
            with duckdb.connect(str(path), read_only=True) as con:
                tables = con.execute(
                    "select table_name from information_schema.tables "
                    "where table_catalog = current_database()"
                ).fetchall()
                found = set().union(*(_elevens(con, f'"{t}"') for (t,) in tables))
        elif path.suffix == ".parquet":
            with duckdb.connect() as con:
                found = _elevens(con, "read_parquet(?)", [str(path)])
        elif path.suffix in (".wal", ".pyc"):
            continue
        else:
            found = set(_ELEVEN.findall(path.read_bytes().decode("utf-8", "replace")))
        if hits := numbers & found:
            places.append(f"{path.relative_to(home)} ({len(hits)})")
    return places
