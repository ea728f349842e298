"""The synthetic version of a request: a released synthetic dataset cut to the request's
population, quarters, variables and structure by the extract's own shaping code.

Asked for by the request's owner (or a steward) whatever the committee decides, but not once
the request is withdrawn, rejected or expired; the stored request is checked again in full.
The data come only from a synthetic release of the served publication that passed the gate:
the one of the covering period if it exists; made now through
:func:`synthesis.synthesize.synthesize` only when asked (``make``: the command line, where a
steward may synthesize a period anyway), never from the researcher's page. The cut is a
function of that release and the request alone: no real row is read, so comparing the cut
with the public release tells nothing of any real person (a cut that left out the synthetic
persons equal to a real unique would point at them). Synthetic persons keep their synthetic
ids; nobody is sampled out. Written to ``synthetic/requests/<number>/`` in one rename; a
refused cut writes nothing and says what to do.
"""

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from dwh.core.files import sha256_file
from dwh.extracts import produce
from dwh.extracts.codebook import codebook, codebook_markdown
from dwh.requests import form, workflow
from dwh.serving.publication import current
from synthesis import real, release
from synthesis.config import Gate, Period, Run
from synthesis.synthesize import GateRefused, synthesize

SOURCE = "syn.main.fct_person_quarter"  # the synthetic release, attached as ``syn``
REFUSED_STATUSES = workflow.ENDS  # withdrawn, rejected, expired


class CutRefused(Exception):
    """No synthetic version of this request; the message says why and what to change (in
    English, for the console), ``code`` and ``params`` say it for the pages' languages and
    ``errors`` holds a request's wrong fields."""

    def __init__(self, message: str, code: str, errors: dict | None = None, **params):
        super().__init__(message)
        self.code, self.params, self.errors = code, params, errors or {}


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
        raise CutRefused(
            f"{number} is {request['status']}: no synthetic version",
            "ended",
            number=number,
            status=request["status"],
        )
    body = request["body"]
    if request["kind"] not in form.KINDS or body.get("kind") != request["kind"]:
        raise CutRefused(f"{number} is of no known kind", "kind", number=number)
    if errors := form.check(body):
        raise CutRefused(
            f"{number} is not a valid request: {form.InvalidRequest(errors)}",
            "invalid",
            errors,
            number=number,
        )
    return request


def _release(period: Period, publication, make: bool, seed: int, gate: Gate, attacks: int):
    """The released dataset of ``period`` from the served publication (whatever its seed);
    with ``make``, synthesized now through the gate when there is none."""
    out = release.root() / period.label
    if (out / "report.json").exists():
        summary = json.loads((out / "report.json").read_text())["summary"]
        if summary["publication"] == publication.id:
            return out
    if not make:
        raise CutRefused(
            f"there is no synthetic release of {period.label} for the served figures yet: ask "
            f"the data steward to make it (dwh synthesize --period {period.label})",
            "no_release",
            period=period.label,
        )
    try:
        synthesize(Run(period, seed=seed, gate=gate, attacks=attacks))
    except GateRefused as e:
        raise CutRefused(
            f"the synthetic release of {period.label} was refused by the gate: "
            + "; ".join(e.failures),
            "gate",
            period=period.label,
        ) from None
    except real.SynthesisError as e:
        raise CutRefused(
            f"no synthetic release of {period.label}: {e}", "failed", period=period.label
        ) from None
    return out


def cut(
    number: str,
    actor: dict,
    seed: int = 1,
    gate: Gate | None = None,
    attacks: int = 500,
    make: bool = False,
) -> Path:
    """Write the synthetic version of request ``number`` and return its folder (``make``: see
    the module's docstring; ``seed``, ``gate`` and ``attacks`` are the release's, if made)."""
    gate = gate or Gate()
    request = _request(number, actor)
    body = request["body"]
    publication = current()
    if publication is None:
        raise CutRefused("nothing is published yet", "unpublished")
    period = covering(body["periods"])
    source = _release(period, publication, make, seed, gate, attacks)
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
        with produce.connect(publication.warehouse, partial, attached) as con:
            produce.shape(con, "pseudonymised", body, None, SOURCE)
            if not con.execute("select count(*) from extract").fetchone()[0]:
                raise CutRefused(
                    "no synthetic person falls in the population asked: widen the population "
                    "(more regions, ages or positions) or ask other quarters",
                    "empty",
                )
            con.execute("use wh")  # the code lists of the codebook (published dimensions)
            book = _codebook(con, request, source, publication.id)
            if request["kind"] == "anonymous_sample":  # delivered with no identifier
                con.execute("alter table extract drop column pseudonym")
                book["variables"] = [v for v in book["variables"] if v["name"] != "pseudonym"]
            produce.write(con, "select * from extract", partial, body["format"], book)
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
    return out


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
