"""The synthetic version of a request: a released synthetic dataset cut to the request's
population, quarters, variables and structure by the extract's own shaping code.

Asked for by the request's owner (or a steward) whatever the committee decides, but not once
the request is withdrawn, rejected or expired; the stored request is checked again in full.
The data come only from a synthetic release that passed the gate (the one of the covering
period and seed if it exists, else made now with :func:`synthesis.synthesize.synthesize`).
Synthetic persons keep their synthetic ids; nobody is sampled out. The gate's privacy checks
are recomputed on the cut: synthetic persons whose cut row equals a row that only one real
person has in the real cut of the same request are left out (as the synthesis redraws those
reproducing a real unique; how many stays in the internal record), then none may be left, the
distance to closest record of the cut's persons must pass the gate's bound, and no
municipality x position x quarter whose figure is withheld may show. A refused cut writes
nothing and says what to change. Written to ``synthetic/requests/<number>/`` in one rename.
"""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dwh.core.files import sha256_file
from dwh.extracts import produce
from dwh.extracts.codebook import codebook, codebook_markdown
from dwh.extracts.table import columns, ident
from dwh.requests import form, workflow
from dwh.serving.publication import current
from synthesis import evaluate, real, release
from synthesis.config import Gate, Period, Run
from synthesis.synthesize import GateRefused, synthesize

SOURCE = "syn.main.fct_person_quarter"  # the synthetic release, attached as ``syn``
REFUSED_STATUSES = workflow.ENDS  # withdrawn, rejected, expired


class CutRefused(Exception):
    """No synthetic version of this request; the message says why and what to change."""


def folder(number: str) -> Path:
    return release.root() / "requests" / number


def covering(periods: list[str]) -> Period:
    """The period a release is made of: the quarter asked, or the years of the quarters."""
    if len(periods) == 1:
        return Period.parse(periods[0])
    first, last = min(periods)[:4], max(periods)[:4]
    return Period.parse(first if first == last else f"{first}-{last}")


def _request(number: str, actor: dict) -> dict:
    """The stored request, for its owner or a steward, checked again in full."""
    if actor["role"] not in ("researcher", "steward"):
        raise workflow.NotFound(f"no request {number}")
    request = workflow.get(number, actor)  # NotFound for anyone else's request
    if request["status"] in REFUSED_STATUSES:
        raise CutRefused(f"{number} is {request['status']}: no synthetic version")
    body = request["body"]
    if request["kind"] not in form.KINDS or body.get("kind") != request["kind"]:
        raise CutRefused(f"{number} is of no known kind")
    if errors := form.check(body):
        raise CutRefused(f"{number} is not a valid request: {form.InvalidRequest(errors)}")
    return request


def _release(period: Period, publication, seed: int, gate: Gate, attacks: int) -> Path:
    """The released dataset of ``period`` and ``seed`` from the served publication: the one
    under synthetic/ if there is one, else synthesized now (through the gate)."""
    out = release.root() / period.label
    if (out / "report.json").exists():
        summary = json.loads((out / "report.json").read_text())["summary"]
        if summary["seed"] == seed and summary["publication"] == publication.id:
            return out
    try:
        synthesize(Run(period, seed=seed, gate=gate, attacks=attacks))
    except GateRefused as e:
        raise CutRefused(
            f"the synthetic release of {period.label} was refused by the gate: "
            + "; ".join(e.failures)
        ) from None
    except real.SynthesisError as e:
        raise CutRefused(f"no synthetic release of {period.label}: {e}") from None
    return out


def cut(
    number: str, actor: dict, seed: int = 1, gate: Gate | None = None, attacks: int = 500
) -> Path:
    """Write the synthetic version of request ``number`` and return its folder."""
    gate = gate or Gate()
    request = _request(number, actor)
    body = request["body"]
    publication = current()
    if publication is None:
        raise CutRefused("nothing is published yet")
    period = covering(body["periods"])
    source = _release(period, publication, seed, gate, attacks)
    out = folder(number)
    partial, old = out.with_name(f".{number}.partial"), out.with_name(f".{number}.old")
    shutil.rmtree(partial, ignore_errors=True)
    (partial / ".tmp").mkdir(parents=True)
    try:
        synthetic_db = partial / ".tmp" / "synthetic.duckdb"
        with duckdb.connect(str(synthetic_db)) as con:
            con.execute(
                "create table fct_person_quarter as from read_parquet(?)",
                [str(source / "data.parquet")],
            )
        attached = {"syn": synthetic_db, "pub": publication.public}
        with produce._connect(publication.warehouse, partial, attached) as con:
            internal = _checked_cut(con, body, gate, seed)
            con.execute("use wh")  # the code lists of the codebook
            book = _codebook(con, request, source, publication.id)
            if request["kind"] == "anonymous_sample":  # delivered with no identifier
                con.execute("alter table extract drop column pseudonym")
                book["variables"] = [v for v in book["variables"] if v["name"] != "pseudonym"]
            produce._write(con, "select * from extract", partial, body["format"], book)
        shutil.rmtree(partial / ".tmp")
        (partial / "codebook.json").write_text(json.dumps(book, indent=2, default=str))
        (partial / "codebook.md").write_text(_first_line(book) + codebook_markdown(book))
        manifest = {
            "request": number,
            "synthetic": True,
            "release": source.name,
            "publication": publication.id,
            "produced_at": book["synthetic"]["produced_at"],
            "files": {f.name: sha256_file(f) for f in sorted(partial.iterdir())},
        }
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # a refused or failed cut leaves nothing
        raise
    if out.exists():
        out.rename(old)
    partial.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    release.internal(f"requests/{number}", {"release": source.name, **internal})
    return out


def _checked_cut(con, body: dict, gate: Gate, seed: int) -> dict:
    """Temp table ``extract``: the synthetic cut, through the gate's privacy checks. Returns
    what was counted from the real data (for the internal record only)."""
    # the real cut of the same request, everybody under their warehouse pseudonym (in memory)
    produce._shape(con, "pseudonymised", body, None)
    con.execute("create or replace temp table real_cut as from extract")
    produce._shape(con, "pseudonymised", body, None, SOURCE)
    values = [c for c in columns(con) if c != "pseudonym"]
    same = " and ".join(f"e.{ident(c)} is not distinct from u.{ident(c)}" for c in values)
    listed = ", ".join(ident(c) for c in values)
    con.execute(
        f"create or replace temp table real_uniques as select {listed} from real_cut "
        f"group by {listed} having count(*) = 1"
    )
    matching = f"select e.pseudonym from extract e join real_uniques u on {same}"
    persons = con.execute("select count(distinct pseudonym) from extract").fetchall()[0][0]
    left_out = con.execute(f"select count(distinct pseudonym) from ({matching})").fetchall()[0][0]
    con.execute(f"delete from extract where pseudonym in ({matching})")
    kept = persons - left_out
    if kept == 0:
        raise CutRefused(
            "no synthetic person falls in the population asked (or each one equals a real "
            "person unique in it): widen the population (more regions, ages or positions) or "
            "ask coarser variables (age class instead of age, region instead of municipality)"
        )
    replicated = con.execute(f"select count(*) from ({matching})").fetchall()[0][0]
    where, params = produce._population(body)
    con.execute(
        f"create or replace temp table cut_rows as select * from {SOURCE} where {where} "
        "and pseudonym in (select pseudonym from extract)",
        params,
    )
    withheld = real.withheld_shown(con, "cut_rows")["withheld"]
    distance = _dcr(con, body, seed)
    measures = {
        "replicated_uniques": replicated,
        "dcr_protection": distance["dcr_protection"],
        "withheld_cells_shown": withheld,
    }
    failures = [
        f"{name} is {value:.4g} on the cut ({Gate.bound(name, getattr(gate, name))} "
        f"required): {ADVICE[name]}"
        for name, value in measures.items()
        if not Gate.passes(name, value, getattr(gate, name))
    ]
    if failures:
        raise CutRefused("the synthetic version was refused: " + "; ".join(failures))
    return {
        "synthetic_persons_in_cut": persons,
        "left_out_equal_to_a_real_unique": left_out,
        "measures": measures,
        "dcr": distance,
    }


ADVICE = {
    "replicated_uniques": "ask coarser variables or a larger population",
    "dcr_protection": "the synthetic persons of this population lie closer to its real persons "
    "than real persons lie to each other; widen the population (more regions, ages or "
    "positions) or ask for another seed (dwh synthesize --request NUMBER --seed S)",
    "withheld_cells_shown": "synthetic persons live where the figures withhold their position, "
    "which the release gate should never allow: report it to the data steward",
}


def _dcr(con, body: dict, seed: int) -> dict:
    """The gate's distance to closest record on the cut's first quarter: its synthetic persons
    against half of the real persons of the same population, over the other half of them."""
    where, params = produce._population(body)
    first = min(body["periods"])
    real_rows = con.execute(
        f"select *, hash(pseudonym) % 2 as half from {produce.WAREHOUSE} "
        f"where {where} and quarter = ?",
        [*params, first],
    ).df()
    synthetic = con.execute("select * from cut_rows where quarter = ?", [first]).df()
    reference = real_rows[real_rows.half == 0].drop(columns="half")
    # no larger than the reference half: the distance's sample is drawn from both
    holdout = real_rows[real_rows.half == 1].drop(columns="half").head(len(reference))
    if reference.empty or holdout.empty or synthetic.empty:
        raise CutRefused(
            f"too few persons in the population asked in {first} to measure the distance to "
            "the closest real person: widen the population or start with another quarter"
        )
    return evaluate.dcr(reference, holdout, synthetic, seed)


def _codebook(con, request: dict, source: Path, publication: str) -> dict:
    """The extract's codebook of the cut, saying first that the data are synthetic."""
    book = codebook(con, request, ["no sampling: every synthetic person of the population asked"])
    for entry in book["variables"]:
        if entry["name"] == "pseudonym":
            entry["label"] = "Synthetic id of a synthetic person (no real person has it)."
            entry["source"] = "synthetic"
    label = source.name
    synthetic = {
        "synthetic": True,
        "notice": release.BANNER,
        "release": f"synthetic/{label}",
        "gate_report": f"synthetic/{label}/report.md",
        "publication": publication,
        "produced_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return {"synthetic": synthetic, **book}


def _first_line(book: dict) -> str:
    s = book["synthetic"]
    return (
        f"{s['notice']} Synthetic version of request {book['request']}, cut from the synthetic "
        f"release {s['release']} (publication {s['publication']}; gate report "
        f"{s['gate_report']}).\n\n"
    )
