"""``dwh status``: what is waiting for the next build; deliveries received, accepted and
quarantined; the last build and its output check; what is served."""

from collections import Counter

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from dwh.build import output_check
from dwh.build import record as build
from dwh.core import paths
from dwh.ingest.waiting import waiting
from dwh.serving.publication import current


def show(console: Console, since: bool = True):
    """Everything ``dwh status`` shows; without ``since``, not what is waiting (every delivery
    file is read for its checksum: left out right after a build)."""
    record = build.read_record()
    if since:
        _waiting(console, record)
    if record is None:
        console.print(
            "Nothing built yet. Run [bold]dwh simulate[/] (or put deliveries in "
            f"{paths.deliveries()}), then [bold]dwh build[/]."
        )
    else:
        _deliveries(console, record)
        _build(console, record)
    pub = current()
    if pub is None:
        console.print("Served: nothing published yet ([bold]dwh publish[/]).")
    else:
        console.print(
            f"Served: publication {pub.id}, published {pub.published_at}, "
            f"from the build of {pub.build_started_at} ({pub.folder})."
        )


def _waiting(console: Console, record: dict | None):
    """Deliveries new or changed since the last build (by checksum), expected but absent,
    removed."""
    changes = waiting(paths.deliveries(), build.deliveries_of(record) if record else [])
    if not changes:
        console.print("Waiting: nothing, every delivery is as the last build ingested it.")
        return
    table = Table(title="Waiting for the next build (since the last build)")
    for name in ("institution", "year", "what", "file"):
        table.add_column(name)
    colours = {"new": "green", "changed": "cyan", "absent": "yellow", "removed": "red"}
    for w in changes:
        cells = (escape(w.institution), escape(w.period), f"[{colours[w.state]}]{w.state}[/]")
        table.add_row(*cells, w.file)
    console.print(table)


def _deliveries(console: Console, record: dict):
    table = Table(title="Deliveries (rows received = accepted + quarantined)")
    for name in ("institution", "year", "status", "received", "accepted", "quarantined", "note"):
        table.add_column(
            name, justify="right" if name in ("received", "accepted", "quarantined") else "left"
        )
    colours = {"received": "green", "missing": "yellow", "rejected": "red"}
    for d in sorted(build.deliveries_of(record), key=lambda d: (d.institution, d.period)):
        status = "provisional" if d.provisional and d.status == "received" else d.status
        note = d.error or ("kept from the build before (unchanged)" if d.kept else "")
        table.add_row(
            d.institution,
            d.period,
            f"[{colours[d.status]}]{status}[/]",
            *(
                f"{n:,}" if n is not None else ""
                for n in (d.rows_received, d.rows_accepted, d.rows_quarantined)
            ),
            note,
        )
    console.print(table)


def _build(console: Console, record: dict):
    statuses = Counter(n["status"] for n in record["nodes"])
    colour = "green" if record["status"] == "success" else "red"
    console.print(
        f"Last build ({record.get('target', 'dev')}): [{colour}]{record['status']}[/] at "
        f"{record['started_at']} in "
        f"{record['seconds']} s; "
        + (
            "dbt not run (a file was rejected)"
            if record.get("dbt_success", False) is None
            else "dbt nodes: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        )
    )
    for node in record["nodes"]:
        if node["status"] not in ("success", "pass"):
            console.print(
                f"  [red]{node['status']}[/] {node['node']}: {node['message']}",
                soft_wrap=True,
                markup=False,
            )
    for error in record["rejected_files"]:
        console.print(f"  rejected: {error}", soft_wrap=True, markup=False, style="red")
    if record.get("target", "dev") == "dev":
        output_check.show(console, record.get("output_check"))
