"""Output checking of the published figures, as statistical offices do it.

SACRO's ``acro`` (the output checker of trusted research environments) applies its rules for
frequency tables to the true count behind every cell of ``local_figures`` and
``global_figures``: the threshold rule flags counts below the threshold + 1, the zeros rule
empty cells. Its dominance and p% rules are for magnitude tables (sums of wages): none is
published. Each rule is answered by the cell key (``ANSWERS``; README, "Output checking"), and
the check verifies on the built tables what the cell key promises (``VIOLATIONS``): no
published value from 1 to the threshold, no published zero, every published cell the sum of
the published values of its master cells (so every additive relation holds: geography, main
groups and totals, breakdown totals, local against global), every master cell's value as the
method makes it. Any violation makes the build disclosive, and ``dwh publish`` refuses it.

acro's rules run in a child process working in the build's ``tmp/output-check`` folder,
removed afterwards (acro's log in the build's ``output-check.log``; nothing in the repository
or the caller's folder). It gets counts of cells, never a person.
"""

import itertools
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from dwh.core import paths

FIGURES = (
    "local_figures",
    "global_figures",
    "disability_figures",
    "household_figures",
    "mobility_figures",
    "cohort_figures",
)
# The master cells each figures table is summed from (README, "Disability": the disability
# figures have master cells of their own, without a position).
MASTERS = {
    "local_figures": "int_figure_cells",
    "global_figures": "int_figure_cells",
    "disability_figures": "int_disability_cells",
    "household_figures": "int_household_cells",
    "mobility_figures": "int_mobility_cells",
    "cohort_figures": "int_cohort_cells",
}
# Columns of a table's cells, beside the reference date, that its master cells carry and that
# are never summed over (cohort_figures: the cohort's year and what is counted).
KEYS = {"cohort_figures": ("cohort_year", "measure")}
# What a table and its master cells count, when not persons (column and published_<column>).
UNIT = {"household_figures": "households", "int_household_cells": "households"}
# The column of int_figure_cells holding each geographic level's code, coarsest first.
GEOGRAPHY = {
    "country": "'01000'",
    "region": "region_code",
    "province": "province_code",
    "arrondissement": "arrondissement_code",
    "municipality": "nis_code",
}
# The other public models, each reviewed by hand: what they hold, and why it needs no check.
REVIEWED = {
    "dim_age_class": "a code list",
    "dim_geography": "a code list",
    "dim_municipality": "a code list, with Statbel's published inhabitants of 2020",
    "dim_nationality_group": "a code list",
    "dim_sex": "a code list",
    "dim_socio_economic_position": "a code list",
    "source_status": "whether each institution delivered each year, no counts",
    "dim_indicator": "the indicators' definitions, no counts",
    "dim_disability_status": "a code list",
    "dim_household_type": "a code list",
    "dim_household_size": "a code list",
}
INDICATORS = "indicators"  # numerators and denominators: checked like the figures' cells
# Columns of a figures table that are not a dimension of its cells.
CELL = (
    "geo_level",
    "geo_code",
    "ref_date",
    "quarter",
    "year",
    "position",
    "from_position",  # mobility_figures: the pair of positions is the cell's "position"
    "to_position",
    "persons",
    "households",
    "is_suppressed",
    "status",
    "is_provisional",
    "unavailable_sources",
    "provisional_sources",
)
PAIR = ("from", "to")  # mobility_figures' positions: on the earlier and the later day
LOG = "output-check.log"  # acro's log, in the build folder
COUNTS = "FrequencyTable"  # acro's analysis for a table of counts
MAGNITUDES = "Sum"  # ... and for a table of sums (a mean's checks are the same)

# How the cell key answers each rule acro applies (by acro's name of the check).
ANSWERS = {
    "MinimumThresholdCheck": (
        "threshold",
        "the published value is not the count: master cells of 1 to {t} count 0 or {t1}, so a "
        "cell is withheld or at least {t1} (no published value from 1 to {t})",
    ),
    "PresenceOfZeroCheck": (
        "zeros",
        "a true zero sums to 0 and is withheld, like many small counts: no published zero",
    ),
    "RequiredZeroCheck": ("zeros", "acro's setting: zeros are disclosive (the zeros rule)"),
    "PresenceOfLinkedTableCheck": (
        "differencing",
        "every published cell is the sum of its master cells' values (verified), so tables "
        "combined say no more than the master cells; the joint attack pins no small count",
    ),
    "NKCheck": ("dominance", "no magnitude table is published"),
    "PPercentCheck": ("p%", "no magnitude table is published"),
}
# What the check verifies, by rule: what a violating cell is.
VIOLATIONS = {
    "threshold": "published with a value from 1 to {t}",
    "zeros": "published as 0",
    "additivity": "not the sum of the published values of their master cells",
    "cell key": "with a value the method cannot give",
    "unanswered": "flagged by an acro rule the cell key does not answer",
}


class OutputCheckError(Exception):
    """The output check could not run; the build is not publishable."""


def unreviewed(public: list[str]) -> list[str]:
    """Public models the check neither checks nor has reviewed (a new table of the
    dashboards): none may be published until it is one or the other."""
    return [t for t in public if t not in (*FIGURES, INDICATORS) and t not in REVIEWED]


def check(db: Path, memory_limit: str | None = None) -> dict:
    """Check the built warehouse ``db``; returns the report (``disclosive`` says if it fails).

    Runs acro in a child process working in the build's tmp folder, removed afterwards."""
    from dwh.publish import disclosure_parameters

    started = time.perf_counter()
    threshold, noise = disclosure_parameters().values()
    work = paths.build_dir() / "tmp" / "output-check"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    stat = db.stat()
    env = {**os.environ, "MPLCONFIGDIR": str(work), "MPLBACKEND": "Agg"}
    args = [str(db), str(threshold), str(noise), memory_limit or ""]
    with (paths.build_dir() / LOG).open("w") as log:
        done = subprocess.run(
            [sys.executable, "-m", "dwh.build.output_check", *args],
            cwd=work,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    report_file = work / "report.json"
    if done.returncode != 0 or not report_file.exists():
        raise OutputCheckError(
            f"the output check stopped (exit {done.returncode}): see {paths.build_dir() / LOG}"
        )
    report = json.loads(report_file.read_text())
    shutil.rmtree(work)
    report["warehouse"] = {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def unchanged(report: dict, db: Path) -> bool:
    """Whether ``db`` is still the file the report checked."""
    stat = db.stat()
    return report["warehouse"] == {"bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def violation_lines(report: dict) -> list[str]:
    """One line per violation: the rule, the table and the number of cells."""
    if "error" in report:
        return [report["error"]]
    return [
        f"{v['rule']} rule, {v['table']}: {v['cells']:,} cell{'s' * (v['cells'] != 1)} {v['what']}"
        for v in report["violations"]
    ]


def show(console: Console, report: dict | None):
    """What acro flags, per rule and table, how each is answered, and any violation."""
    if report is None:
        console.print("Output check: not run (the build failed before it).")
        return
    if "error" in report:
        console.print(f"[red]Output check failed:[/] {report['error']}", soft_wrap=True)
        return
    acro = report["acro"]
    table = Table(
        title=f"Output check (acro {acro['version']}, threshold rule: counts below "
        f"{acro['safe_threshold']}; {report['seconds']} s)"
    )
    for name in ("table", "rule", "flagged", "withheld", "published", "finest"):
        text = name in ("table", "rule")
        table.add_column(name, justify="left" if text else "right", no_wrap=text)
    for flag in report["flags"]:
        table.add_row(
            flag["table"],
            flag["rule"],
            *(f"{flag[k]:,}" for k in ("cells", "withheld", "published", "finest")),
        )
    console.print(table)
    for rule, answer in report["answers"].items():
        console.print(f"  {rule}: {answer}", soft_wrap=True, markup=False)
    if report["disclosive"]:
        for line in violation_lines(report):
            console.print(f"  [red]disclosive[/] {line}", soft_wrap=True)
    else:
        console.print("  [green]Nothing disclosive[/]: every rule answered, every promise kept.")


# The child process: everything below runs with acro imported.


def _cells(con, table: str) -> dict:
    """Per published cell of ``table``: its true count, its published value (0 when
    withheld), whether withheld, the sum of its master cells' values, and whether it is at the
    table's finest level. Recomputed from its master cells (``MASTERS``), independently of the
    dbt models; the position, its main groups and total only for a table that has them."""
    masters = MASTERS[table]
    columns = [row[0] for row in con.execute(f"describe {table}").fetchall()]
    day = ", ".join(["ref_date", *KEYS.get(table, ())])  # the cell's key beside its position
    dims = [c for c in columns if c not in CELL and c not in KEYS.get(table, ())]
    levels = [row[0] for row in con.execute(f"select distinct geo_level from {table}").fetchall()]
    unknown = set(levels) - set(GEOGRAPHY)
    if unknown:
        raise OutputCheckError(f"{table}: unknown geographic levels {sorted(unknown)}")
    levels = [level for level in GEOGRAPHY if level in levels]
    if not levels:  # an empty table (the mobility of a build of one year): no cell to check
        return con.execute(
            "select cast(0 as bigint) as true_count, cast(0 as bigint) as published, "
            "false as withheld, false as unavailable, cast(0 as bigint) as masters, "
            "false as finest where false"
        ).fetchnumpy()
    listed = ", ".join(dims)
    finest = [f"f.{d} <> '_T'" for d in dims]
    if "position" in columns:
        keys = "position_code, main_group_code, "
        positions = ("position_code", "'G' || main_group_code", "'_T'")
        finest += ["f.position not like 'G%'", "f.position <> '_T'"]
        published = f"(select * from {table})"
    elif "from_position" in columns:  # the pair, each side a category, main group or total
        keys = "from_position_code, from_main_group_code, to_position_code, to_main_group_code, "
        sides = [(f"{s}_position_code", f"'G' || {s}_main_group_code", "'_T'") for s in PAIR]
        positions = tuple(f"{a} || '>' || {b}" for a, b in itertools.product(*sides))
        finest += [f"f.{s}_position not like 'G%' and f.{s}_position <> '_T'" for s in PAIR]
        published = f"(select *, from_position || '>' || to_position as position from {table})"
    else:  # one "position": every person (household) of the table
        keys, positions = "", ("'_T'",)
        published = f"(select *, '_T' as position from {table})"
    unit, counted = UNIT.get(table, "persons"), UNIT.get(masters, "persons")
    if unit != "persons":
        published = f"(select *, {unit} as persons from {published})"
    by_geography = " union all ".join(
        f"select '{level}' as geo_level, {GEOGRAPHY[level]} as geo_code, {day}, "
        f"{keys}{listed}, {counted} as persons, published_{counted} as published_persons "
        f"from {masters}"
        for level in levels
    )
    by_position = " union all ".join(
        f"select geo_level, geo_code, {day}, {position} as position, {listed}, persons, "
        "published_persons from by_geography"
        for position in positions
    )
    totals = ", ".join(f"coalesce({d}, '_T') as {d}" for d in dims)
    finest = " and ".join(finest)
    return con.execute(
        f"""
        with by_geography as ({by_geography}),
        by_position as ({by_position}),
        summed as (
            select geo_level, geo_code, {day}, position, {totals},
                sum(persons) as persons, sum(published_persons) as published
            from by_position
            group by geo_level, geo_code, {day}, position, cube({listed})
        )
        select
            cast(coalesce(s.persons, 0) as bigint) as true_count,
            cast(coalesce(f.persons, 0) as bigint) as published,
            f.persons is null as withheld,
            f.status = 'not_available' as unavailable,
            cast(coalesce(s.published, 0) as bigint) as masters,
            f.geo_level = ? and {finest} as finest
        from {published} as f
        left join summed as s using (geo_level, geo_code, {day}, position, {listed})
        """,
        [levels[-1]],
    ).fetchnumpy()


def _indicator_cells(con) -> dict:
    """Per numerator and denominator of ``indicators``: its published value (0 when withheld),
    whether withheld or not available, and the sum of the published values of the master cells
    of its positions and age band, recomputed from int_figure_cells and the indicators' seeds."""
    geography = " union all ".join(
        f"select '{level}' as geo_level, {column} as geo_code, c.* from contributions as c"
        for level, column in GEOGRAPHY.items()
    )
    return con.execute(
        f"""
        with contributions as (
            select t.indicator, t.term, m.*
            from int_figure_cells as m
            join ref_age_classes as a using (age_class)
            join ref_indicators as i on a.min_age >= i.age_from and a.max_age <= i.age_to
            join ref_indicator_terms as t on t.indicator = i.indicator and t.position in
                (m.position_code, 'G' || m.main_group_code, '_T')
        ),
        by_geography as ({geography}),
        summed as (
            select geo_level, geo_code, ref_date, indicator, term,
                coalesce(sex, '_T') as sex, coalesce(nationality_group, '_T') as nationality_group,
                sum(persons) as persons, sum(published_persons) as published
            from by_geography
            group by geo_level, geo_code, ref_date, indicator, term, cube(sex, nationality_group)
        ),
        terms as (
            select *, 'numerator' as term, numerator as value from indicators
            union all
            select *, 'denominator' as term, denominator as value from indicators
        )
        select
            cast(coalesce(s.persons, 0) as bigint) as true_count,
            cast(coalesce(f.value, 0) as bigint) as published,
            f.value is null as withheld,
            f.status = 'not_available' as unavailable,
            cast(coalesce(s.published, 0) as bigint) as masters,
            false as finest
        from terms as f
        left join summed as s
            using (geo_level, geo_code, ref_date, indicator, term, sex, nationality_group)
        """
    ).fetchnumpy()


def _master_violations(con, masters: str, threshold: int, noise: int) -> int:
    """Master cells whose published value the method cannot give for their true count."""
    unit = UNIT.get(masters, "persons")
    return con.execute(
        f"""
        select count(*) from (
            select {unit} as persons, published_{unit} as published_persons from {masters}
        )
        where not coalesce(case
            when persons = 0 then published_persons = 0
            when persons <= $t then published_persons in (0, $t + 1)
            else published_persons between greatest($t + 1, persons - $d) and persons + $d
        end, false)
        """,
        {"t": threshold, "d": noise},
    ).fetchone()[0]


def _flags(rules, checks: list[str], table: str, cells: dict) -> list[dict]:
    """acro's rules for frequency tables on the true counts of ``table``'s cells: the cells
    each flags, how many of them are withheld or published, and how many at the finest level."""
    import pandas as pd
    from acro.sdcchecks import SDCEvidence
    from acro.tablemodeldetails import TableModelDetails

    counts = SDCEvidence(interim_tables={"count_table": pd.DataFrame(cells["true_count"])})
    flags = []
    for name in checks:
        apply = rules.check_to_method[name]
        _, summary, mask = apply(COUNTS, counts, TableModelDetails(command="crosstab"))
        flagged = mask.to_numpy()[:, 0]
        flags.append(
            {
                "table": table,
                "rule": ANSWERS.get(name, ("unanswered",))[0],
                "check": name,
                "cells": int(flagged.sum()),
                "withheld": int((flagged & cells["withheld"]).sum()),
                "published": int((flagged & ~cells["withheld"]).sum()),
                "finest": int((flagged & cells["finest"]).sum()),
                "acro": summary.strip(),
            }
        )
    return flags


def _violations(table: str, cells: dict, threshold: int) -> dict[str, int]:
    """Cells of ``table`` that break what the cell key promises, by rule."""
    import numpy as np

    published, withheld, masters = (cells[k] for k in ("published", "withheld", "masters"))
    # a figure not available (a delivery missing) is no count at all: nothing to add up
    summed = cells["unavailable"] | np.where(withheld, masters == 0, published == masters)
    return {
        "threshold": int((~withheld & (published >= 1) & (published <= threshold)).sum()),
        "zeros": int((~withheld & (published == 0)).sum()),
        "additivity": int((~summed).sum()),
    }


def _acro_rules(threshold: int):
    """acro's rules (``SDCChecks``) with its own settings (its ``default.yaml``, as
    ``acro.ACRO()`` reads them) and the project's threshold. Only its checks module is
    imported: the package's ``__init__`` imports its table and regression sessions, which
    import statsmodels and matplotlib (11 of the check's 14 seconds on a small warehouse)."""
    import importlib.util
    import types

    import yaml

    spec = importlib.util.find_spec("acro")
    if "acro" not in sys.modules:  # the package without its __init__: its modules import
        package = types.ModuleType("acro")  # each other relatively, and need nothing more
        package.__path__, package.__spec__ = list(spec.submodule_search_locations), spec
        sys.modules["acro"] = package
    from acro.sdcchecks import SDCChecks

    config = yaml.safe_load((Path(spec.origin).with_name("default.yaml")).read_text())
    config["safe_threshold"] = threshold + 1
    return SDCChecks(config)


def _report(db: str, threshold: int, noise: int, memory_limit: str) -> dict:
    import logging
    from importlib.metadata import version

    import duckdb

    logging.getLogger("acro").setLevel(logging.WARNING)
    rules = _acro_rules(threshold)
    counted = rules.get_sdctokens_for_analysis(COUNTS)["checks_needed"]
    on_cells = [c for c in counted if rules.checks[c]["evidence"] == ["count_table"]]
    magnitude = rules.get_sdctokens_for_analysis(MAGNITUDES)["checks_needed"]
    dominance = [c for c in magnitude if c not in counted]
    flags, found = [], []
    config = {"temp_directory": str(Path.cwd() / "duckdb.tmp")}
    if memory_limit:
        config["memory_limit"] = memory_limit
    with duckdb.connect(db, read_only=True, config=config) as con:
        for table in FIGURES:
            cells = _cells(con, table)
            flags += _flags(rules, on_cells, table, cells)
            found += [(rule, table, n) for rule, n in _violations(table, cells, threshold).items()]
        cells = _indicator_cells(con)
        flags += _flags(rules, on_cells, INDICATORS, cells)
        found += [(r, INDICATORS, n) for r, n in _violations(INDICATORS, cells, threshold).items()]
        for masters in sorted(set(MASTERS.values())):
            found.append(("cell key", masters, _master_violations(con, masters, threshold, noise)))
    found += [(f["rule"], f["table"], f["cells"]) for f in flags if f["rule"] == "unanswered"]
    violations = [
        {"rule": rule, "table": table, "cells": n, "what": VIOLATIONS[rule].format(t=threshold)}
        for rule, table, n in found
        if n
    ]
    settings = ("safe_threshold", "zeros_are_disclosive", "safe_nk_n", "safe_nk_k", "safe_pratio_p")
    return {
        "acro": {"version": version("acro"), **{k: rules.risk_appetite[k] for k in settings}},
        "threshold": threshold,
        "checks": {COUNTS: counted, MAGNITUDES: dominance},
        "magnitude_tables": [],
        "flags": flags,
        "answers": {
            f"{ANSWERS[c][0]} ({c})": ANSWERS[c][1].format(t=threshold, t1=threshold + 1)
            for c in [*counted, *dominance]
            if c in ANSWERS
        },
        "violations": violations,
        "disclosive": bool(violations),
    }


if __name__ == "__main__":
    db, threshold, noise, memory_limit = sys.argv[1:]
    report = _report(db, int(threshold), int(noise), memory_limit)
    Path("report.json").write_text(json.dumps(report, indent=2) + "\n")
