"""``dwh synthesize``: synthetic versions of the published warehouse."""

from typing import Annotated

import typer
from rich.console import Console

from dwh.cli.app import acting_user, app, console, fail, progress_bar
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
    request: Annotated[
        str | None,
        typer.Option(
            help="A request's number: its population, quarters, variables and structure, cut "
            "from the synthetic release of its period, made first (--seed, --threshold) if "
            "there is none for the served figures (needs --as)."
        ),
    ] = None,
    as_: Annotated[
        str | None,
        typer.Option("--as", help="With --request: the request's owner or a steward."),
    ] = None,
):
    """Synthesize a period from the published warehouse; release it only through the quality
    and privacy gate (under $DWH_HOME/synthetic/<period>/). With --request, the synthetic
    version of a request (under $DWH_HOME/synthetic/requests/<number>/)."""
    if list_:
        _list_synthetic()
        return
    if request is not None:
        if as_ is None:
            raise typer.BadParameter("--request needs --as NAME")
        _requested(request, as_, seed, threshold or [])
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


def _requested(number: str, name: str, seed: int, thresholds: list[str]):
    from dwh.requests import workflow
    from synthesis.config import Gate
    from synthesis.requested import CutRefused, cut

    try:
        gate = Gate.with_overrides(thresholds)
    except ValueError as e:
        raise typer.BadParameter(str(e)) from None
    user = acting_user(name)
    with progress_bar() as progress:
        progress.add_task(f"synthetic version of {number}", total=None)
        try:
            folder = cut(number, user, seed, gate, make=True)
        except (CutRefused, workflow.NotFound) as e:
            fail(e)
    console.print(f"Synthetic version of {number} in {folder}")


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
