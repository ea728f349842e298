"""``dwh review`` and ``dwh publish``: the last build against the served publication, then
publish it, roll back to a kept publication, or show who did which."""

import sys
from numbers import Integral
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from dwh.cli.app import acting_user, app, console, fail

HIGHLIGHT = "bold red"  # a change beyond the threshold, a rejected file


@app.command()
def review(
    threshold: Annotated[
        float, typer.Option(help="Flag indicators whose rate changes by more than this (%).")
    ] = 5.0,
    all_: Annotated[
        bool,
        typer.Option(
            "--all", help="Every delivery and every revised figure, not only what changed."
        ),
    ] = False,
):
    """What the last build would publish: rejected files, quarantined rows by reason with
    pseudonymised examples (the new deliveries first), rows per delivery and the indicators of
    Belgium and its regions against the served publication."""
    from dwh import review as reviewing

    found = reviewing.load(threshold)
    out = _console()
    if found is None:
        out.print("Nothing built yet: run [bold]dwh build[/].")
        return
    record, served = found.record, found.served
    out.print(
        f"Last build: {record['status']} at {record['started_at']}; served: "
        + (f"publication {served.id} (build of {served.build_started_at})" if served else "nothing")
    )
    for _, row in found.rejected.iterrows():
        out.print(f"rejected: {row.error}", style=HIGHLIGHT, soft_wrap=True, markup=False)
    rows = found.deliveries
    shown = rows if all_ else rows[(rows.change != "unchanged") | (rows.status != "received")]
    out.print(_deliveries(shown))
    if not found.built:
        out.print(
            "The build made no warehouse (it stopped at a rejected file): no quarantined "
            "rows or figures to show."
        )
        out.print(_verdict(found.verdict))
        return
    reasons, examples = found.reasons, found.examples
    if not all_ and not reasons.empty:
        reasons, examples = reasons[reasons.new], examples[examples.new]
        if len(reasons) < len(found.reasons):
            out.print("Deliveries unchanged since the served publication: see --all.")
    out.print(_rows("Quarantined rows by reason (new deliveries first)", reasons, _REASONS))
    out.print(_rows("Examples (pseudonymised)", examples, _EXAMPLES))
    if served is None:
        out.print("Nothing is served yet: no figures to compare.")
    else:
        out.print(_indicators(found.latest, f"Indicators, last quarter (beyond {threshold} %)"))
        revised = found.revisions if all_ else found.revisions[found.revisions.beyond]
        out.print(
            _indicators(
                revised,
                f"Revised quarters beyond {threshold} % "
                f"({len(found.revisions)} figures revised in all)",
            )
        )
    out.print(_verdict(found.verdict))


@app.command()
def publish(
    publication: Annotated[
        str | None,
        typer.Argument(
            help="With --rollback: the kept publication to serve (by default the one before "
            "the served one)."
        ),
    ] = None,
    rollback: Annotated[
        bool,
        typer.Option(
            "--rollback", help="Serve an earlier, kept publication again (verified first)."
        ),
    ] = False,
    history: Annotated[
        bool, typer.Option("--history", help="Who published or rolled back what.")
    ] = False,
    keep: Annotated[int, typer.Option(help="Publications kept for rollback.")] = 3,
    as_: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="A steward to record in the history; their password is asked for (by "
            "default the system account is recorded).",
        ),
    ] = None,
):
    """Swap the last successful build into the serving copy, atomically; or, with --rollback,
    serve a kept publication again."""
    from dwh.serving.publication import current

    if history:
        _history()
        return
    if publication and not rollback:
        raise typer.BadParameter("a publication is only named with --rollback")
    from dwh.publish import PublishError
    from dwh.publish import publish as run
    from dwh.publish import rollback as roll_back

    user = _steward(as_) if as_ else None

    try:
        if rollback:
            roll_back(publication, user)
        else:
            run(keep, user)
    except PublishError as e:
        console.print(f"[red]Not {'rolled back' if rollback else 'published'}:[/] {e}")
        raise typer.Exit(1) from None
    served = current()
    if rollback:
        console.print(
            f"Serving {served.id} again (published {served.published_at}, build of "
            f"{served.build_started_at}); its files match their checksums."
        )
        return
    flags = served.build_record()["output_check"]["flags"]
    small = sum(f["cells"] for f in flags if f["rule"] == "threshold")
    console.print(
        f"Published {served.id}: {served.warehouse} (microdata) and "
        f"{served.public} (disclosure-controlled figures). Output check: acro's threshold "
        f"rule flags {small:,} cells (zeros included), each withheld or published above the "
        "threshold; nothing disclosive."
    )


def _console() -> Console:
    """Standard output, 160 columns wide when it is not a terminal (a pipe, a file)."""
    return Console(width=None if sys.stdout.isatty() else 160)


def _steward(name: str) -> str:
    user = acting_user(name)
    if user["role"] != "steward":
        fail(ValueError(f"{name} is not a steward"))
    return user["name"]


def _history():
    from dwh.review import history
    from dwh.serving.publication import current

    served = current()
    table = Table(title="Publications served (latest first)")
    for column in ("time", "action", "publication", "user", "via", "previous"):
        table.add_column(column)
    for _, e in history().iterrows():
        mark = " (served)" if served and e.publication == served.id else ""
        table.add_row(
            e.time, e.action, e.publication + mark, e.user or "", e.via or "", e.previous or ""
        )
    _console().print(table)


_COUNTS = ("rows_received", "rows_accepted", "rows_quarantined")
_REASONS = ("institution", "year", "reason_code", "reason_description", "rows_quarantined")
_EXAMPLES = (
    "institution", "year", "reason_code", "line_number", "reason_column", "pseudonym",
    "row_content",
)  # fmt: skip


def _text(value) -> str:
    """A cell: empty when missing, integers with thousands separators."""
    import pandas as pd  # loaded with the review already; not by `dwh --help`

    if pd.isna(value):
        return ""
    return f"{value:,}" if isinstance(value, Integral) else str(value)


def _table(title: str, headers: tuple[str, ...], right: tuple[str, ...] = ()) -> Table:
    """A table whose cells fold rather than being cut off (a pipe is 80 columns wide)."""
    table = Table(title=title)
    for header in headers:
        table.add_column(header, justify="right" if header in right else "left", overflow="fold")
    return table


def _deliveries(rows) -> Table:
    """Per delivery: what changed and its rows, the served build's in brackets when they
    differ."""
    headers = ("institution", "year", "change", "status", "received", "accepted", "quarantined")
    table = _table("Deliveries: last build (served)", (*headers, "error"), headers[4:])
    for _, row in rows.iterrows():
        counts = []
        for column in _COUNTS:
            text, before = _text(row[column]), _text(row[f"{column}_served"])
            counts.append(text if before == text else f"{text} ({before or '-'})")
        table.add_row(
            row.institution,
            str(row.year),
            row.change,
            _text(row.status),
            *counts,
            _text(row.error),
            style=HIGHLIGHT if row.status == "rejected" else None,
        )
    return table


def _rows(title: str, frame, columns: tuple[str, ...]) -> Table:
    table = _table(title, columns)
    for _, row in frame.iterrows():
        table.add_row(*(_text(row[c]) for c in columns))
    return table


def _indicators(frame, title: str) -> Table:
    """Per indicator and region: the served rate, the built one and the change, those beyond
    the threshold highlighted."""
    headers = ("indicator", "region", "served", "rate", "built", "rate ", "change %", "")
    table = _table(title, headers, ("rate", "rate ", "change %"))
    for _, row in frame.iterrows():
        table.add_row(
            row.indicator,
            row.name_en,
            _text(row.quarter_served),
            _rate(row.rate_served, row.status_served),
            row.quarter,
            _rate(row.rate, row.status),
            _text(row.change) and f"{row.change:+.2f}",
            "beyond" if row.beyond else "",
            style=HIGHLIGHT if row.beyond else None,
        )
    return table


def _rate(rate, status) -> str:
    """A rate with two decimals, or why there is none (withheld, not available)."""
    return _text(status) if _text(rate) == "" else f"{rate:.2f}"


def _verdict(verdict: str) -> str:
    return {
        "publishable": "Publish it with [bold]dwh publish[/].",
        "served": "The last build is the served publication.",
        "failed": "[red]The last build failed[/]: it cannot be published.",
        "disclosive": "[red]The last build is disclosive[/] (`dwh status`): it cannot be "
        "published.",
        "spark": "The last build ran on Spark: the dashboards serve DuckDB builds.",
    }[verdict]
