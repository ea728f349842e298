"""``dwh synthesize``: synthetic versions of the published warehouse."""

from typing import Annotated

import typer
from rich.console import Console

from dwh.cli.app import app, console, progress_bar
from dwh.core import paths


@app.command()
def synthesize(
    period: Annotated[
        str | None,
        typer.Option(help="A quarter (2023Q4), a year (2023) or years (2019-2023)."),
    ] = None,
    rows: Annotated[
        int | None,
        typer.Option(help="Synthetic persons [default: the published total of the first quarter]."),
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
    with progress_bar() as progress:
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
