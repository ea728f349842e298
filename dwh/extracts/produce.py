"""``dwh extract``: produce the approved extract of a request from the served warehouse.

The stored request is checked again in full before anything is read (whatever path it came
by), and so is the route by which it was approved; its variables reach the SQL only as
catalogue names, quoted; the DuckDB connection can read the attached warehouse and write the
delivery folder, nothing else. Population, periods, sample and variables exactly as approved.
Persons are sampled by a project pseudonym (HMAC-SHA256 under a key derived from the master
key and the request number with HKDF), so that two projects' samples overlap only as chance
has it: the share asked exactly, in the pseudonym's order, for pseudonymised extracts; a draw
per person for anonymous samples, whose size then says nothing exact of the population's.
Pseudonymised extracts carry that pseudonym (and household pseudonyms of the project's own);
anonymous samples carry no identifier at all (rows in the order of a keyed hash), leave one
person out of every withheld cell they would show whole, and are k-anonymous and l-diverse on
every variable asked: per quarter, or on the whole trajectory. Three structures: a row per
person and quarter, a row per person (a column per quarter), and spells (a row per run of the
same position over consecutive quarters). A codebook and a manifest of SHA-256 checksums. The
delivery folder appears in one rename: a crash leaves no half delivery.
"""

import json
import shutil
from datetime import date
from pathlib import Path

import duckdb

from dwh.core import paths, pseudonym
from dwh.core.files import sha256_file
from dwh.extracts import anonymity, withheld
from dwh.extracts.codebook import codebook, codebook_markdown
from dwh.extracts.files import ExtractError
from dwh.extracts.table import columns, has, ident
from dwh.requests import form, workflow
from dwh.serving import catalogue
from dwh.serving.publication import current


def project_key(master: bytes, number: str) -> bytes:
    """The key of one project (request), derived from the master key."""
    return pseudonym.derived_key(master, f"extracts/{number}")


# The person-quarter table extracts are cut from: the served warehouse's (the synthetic version
# of a request is cut from a synthetic table of the same columns, ``synthesis/requested.py``).
WAREHOUSE = "wh.main.fct_person_quarter"


def _population(body: dict) -> tuple[str, list]:
    """The where clause (on a person-quarter table) and its parameters."""
    pop, where, params = body["population"], ["quarter in (select unnest(?))"], [body["periods"]]
    areas = [
        (column, pop[level]) for level, column in catalogue.GEOGRAPHY.items() if pop.get(level)
    ]
    if areas:
        where.append("(" + " or ".join(f"{c} in (select unnest(?))" for c, _ in areas) + ")")
        params += [[str(v) for v in codes] for _, codes in areas]
    where.append("age between ? and ?")
    params += [pop["age_min"], pop["age_max"]]
    for key, column in catalogue.FILTERS.items():
        if pop.get(key):
            where.append(f"{column} in (select unnest(?))")
            params.append(pop[key])
    return " and ".join(where), params


def _sample(con, body: dict, key: bytes | None, source: str = WAREHOUSE) -> tuple[str, list]:
    """Temp table ``kept``: the sampled persons with their project pseudonyms, drawn per
    person in the order of that pseudonym (fixed for the project, independent between
    projects); with no ``key``, every person under the id ``source`` gives them (synthetic
    persons). Returns the query of the population's rows and its parameters."""
    where, params = _population(body)
    selected = f"select * from {source} where {where}"
    if body["population"].get("household_members"):
        selected = (
            f"with chosen as ({selected}) select * from chosen union "
            f"select f.* from {source} f join (select distinct quarter, "
            "household_id from chosen) h using (quarter, household_id)"
        )
    con.execute(
        f"create or replace temp table persons as with selected as ({selected}) select pseudonym, "
        "min_by(region_code, quarter) as region_code from selected group by pseudonym",
        params,
    )
    if key is None:
        con.execute(
            "create or replace temp table kept as "
            "select pseudonym, pseudonym as project_pseudonym from persons"
        )
        return selected, params
    stratum = "region_code" if body["sample"].get("stratify_by_region") else "1"
    if body["kind"] == "anonymous_sample":
        # a draw per person (the project pseudonym read as a number in [0, 1)): the size of
        # the sample is random, so it does not tell the size of the population asked
        kept = "cast(('0x' || left(project_pseudonym, 8)) as bigint) / 4294967296.0 < ? / 100.0"
    else:  # exactly the share asked, per stratum
        kept = "r <= ceil(n * ? / 100.0)"
    con.execute(
        "create or replace temp table kept as select pseudonym, project_pseudonym from ("
        "select *, row_number() over (partition by stratum order by project_pseudonym) as r, "
        "count(*) over (partition by stratum) as n from (select pseudonym, "
        f"{stratum} as stratum, {pseudonym.sql_pseudonym('pseudonym')} "
        f"as project_pseudonym from persons)) where {kept}",
        [*pseudonym.padded_keys(key), float(body["sample"]["percent"])],
    )
    return selected, params


def _chosen(body: dict) -> list[str]:
    """The variables asked, as catalogue names."""
    known = catalogue.variables()
    return [c for c in body["variables"] if c in known and c != "pseudonym"]


def _select(con, body: dict, key: bytes | None, source: str = WAREHOUSE):
    """Temp table ``extract`` of a pseudonymised extract: the sampled persons' rows with
    project pseudonyms, and household pseudonyms of the project's own (with no ``key``, every
    person of ``source`` with the ids it holds)."""
    selected, params = _sample(con, body, key, source)
    values, keys = [], []
    for c in _chosen(body):
        if c == "household_id" and key is not None:  # a household pseudonym of the project's own
            household = pseudonym.sql_pseudonym("'household:' || s.household_id")
            values.append(f"{household} as household_id")
            keys += pseudonym.padded_keys(key)
        else:
            values.append(f"s.{ident(c)}")
    con.execute(
        f"create or replace temp table extract as with selected as ({selected}) "
        "select k.project_pseudonym as pseudonym, s.quarter, "
        f"s.ref_date, {', '.join(values)} "
        "from selected s join kept k using (pseudonym)",
        [*params, *keys],
    )


def _anonymous(con, body: dict, key: bytes) -> tuple[list[str], list[str]]:
    """Temp table ``extract`` of an anonymous sample with no identifier, but for ``row_hash``
    (dropped before delivery). A row per person and quarter: ``row_hash`` a keyed hash of each
    row, so a person's rows of different quarters cannot be linked (no trajectories). A
    trajectory (a row per person, or spells): ``row_hash`` a keyed hash of the person, whose
    values over all the quarters are checked as a whole. Returns the anonymisation's steps and
    the quarters delivered."""
    selected, params = _sample(con, body, key)
    trajectory = body["structure"] != "person_quarter"
    unit = "'person:'" if trajectory else "'row:' || s.quarter || ':'"
    row = pseudonym.sql_pseudonym(f"{unit} || s.pseudonym")
    con.execute(
        f"create temp table sampled as with selected as ({selected}) select {row} as row_hash, "
        "s.* exclude (pseudonym, household_id) from selected s join kept k using (pseudonym)",
        [*params, *pseudonym.padded_keys(key)],
    )
    asked = anonymity.hierarchies(_chosen(body))
    levels = [c for h in asked for c in h.levels if c is not None]
    values = [
        f"{catalogue.DERIVED[c][0]} as {ident(c)}" if c in catalogue.DERIVED else ident(c)
        for c in levels
    ]
    con.execute(
        "create temp table extract as select row_hash, quarter, ref_date, "
        f"{', '.join(values)} from sampled"
    )
    linked = (
        "no identifier (no pseudonym or household, rows in the order of a keyed hash); a "
        "person's trajectory is checked as a whole"
        if trajectory
        else "no identifier: no pseudonym or household, rows in the order of a keyed hash of "
        "each row, so a person's quarters cannot be linked"
    )
    steps = [
        f"a sample of {body['sample']['percent']:g}% of the persons (anonymous samples: at most "
        f"{form.MAX_ANONYMOUS_PERCENT}%); {linked}",
        # a trajectory's row_hash is the person's: one left out is out of every quarter
        withheld.leave_one_out(con),
    ]
    done, quarters = anonymity.anonymise(con, asked, body["periods"] if trajectory else None)
    return [*steps, *done], quarters or body["periods"]


def _wide(con, quarters: list[str], person: str):
    """One row per ``person`` (the column that says whose a row is): sex and nationality
    group once, other variables per quarter."""
    static = [c for c in ("sex", "nationality_group") if has(con, c)]
    varying = [c for c in columns(con) if c not in (person, "quarter", *static)]
    parts = [f"min({ident(c)}) as {ident(c)}" for c in static] + [
        f"max(case when quarter = ? then {ident(c)} end) as {ident(f'{c}_{q}')}"
        for c in varying
        for q in quarters
    ]
    params = [q for _ in varying for q in quarters]
    con.execute(
        f"create or replace temp table extract as select {person}, "
        f"{', '.join(parts)} from extract group by {person}",
        params,
    )


def _spells(con, quarters: list[str], person: str):
    """One row per spell: a maximal run of the same position over consecutive quarters of
    ``quarters`` (a quarter in which the person is not in the population asked ends it), its
    first and last quarter, their number, whether it was already running at the first quarter
    (left-censored) and still at the last (right-censored), and the other variables as they
    were in its first quarter."""
    position = next(c for c in form.SPELL_POSITIONS if has(con, c))  # the finest delivered
    others = [c for c in columns(con) if c not in (person, "quarter", "ref_date", position)]
    p = ident(position)
    con.execute(
        "create or replace temp table extract as with numbered as (select *, "
        "list_position(?, quarter) as t from extract), runs as (select *, t - row_number() over "
        f"(partition by {person}, {p} order by t) as run from numbered) select {person}, "
        "min(quarter) as spell_start, max(quarter) as spell_end, count(*) as spell_quarters, "
        f"{p}, min(t) = 1 as left_censored, max(t) = ? as right_censored"
        + "".join(f", arg_min({ident(c)}, t) as {ident(c)}" for c in others)
        + f" from runs group by {person}, {p}, run",
        [quarters, len(quarters)],
    )


def shape(con, kind: str, body: dict, key: bytes | None, source: str = WAREHOUSE) -> list[str]:
    """Temp table ``extract`` in the structure asked and in the order delivered; returns the
    anonymisation's steps (none for pseudonymised extracts). With no ``key``: every person of
    ``source`` under the ids it holds, as for a pseudonymised extract (synthetic persons)."""
    structure, steps = body["structure"], []
    if key is None:
        kind = "pseudonymised"
    if kind == "anonymous_sample":
        steps, quarters = _anonymous(con, body, key)
        person = "row_hash"
    else:
        _select(con, body, key, source)
        quarters, person = sorted(body["periods"]), "pseudonym"
    if structure == "person":
        _wide(con, quarters, person)
    elif structure == "spells":
        _spells(con, quarters, person)
    anonymous = kind == "anonymous_sample"
    con.execute(
        f"create or replace temp table extract as select *{' exclude (row_hash)' * anonymous} "
        f"from extract order by {ORDER[anonymous, structure]}"
    )
    return steps


# (anonymous, structure) -> the order of the rows delivered: anonymous samples in the order of
# a keyed hash (of the row, the person or the spell), which is then dropped
ORDER = {
    (False, "person_quarter"): "pseudonym, quarter",
    (False, "person"): "pseudonym",
    (False, "spells"): "pseudonym, spell_start",
    (True, "person_quarter"): "quarter, row_hash",
    (True, "person"): "row_hash",
    (True, "spells"): "sha256(row_hash || spell_start)",
}


def connect(
    warehouse: Path, folder: Path, attached: dict[str, Path] | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the warehouse attached read-only (as ``wh``, and any other
    database ``attached`` names), that can then read and write no file but in ``folder`` (the
    delivery being written) and cannot be reconfigured."""
    con = duckdb.connect(config={"memory_limit": "4GB", "temp_directory": str(folder / ".tmp")})
    for name, path in {"wh": warehouse, **(attached or {})}.items():
        con.execute(f"attach ? as {name} (read_only)", [str(path)])
    con.execute("set allowed_directories = [?]", [f"{folder}/"])
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con


def produce(number: str, actor: dict) -> Path:
    """Write the delivery folder of an approved request and mark the extract produced."""
    request = workflow.get(number, actor)
    if actor["role"] != "steward":
        raise ExtractError("stewards produce extracts")
    if request["status"] not in ("approved", "extract_produced"):
        raise ExtractError(f"{number} is {request['status']}: only approved requests are extracted")
    served = current()
    if served is None:
        raise ExtractError("nothing is published")
    body = request["body"]
    if request["kind"] not in form.KINDS or body.get("kind") != request["kind"]:
        raise ExtractError(f"{number} is of no known kind: nothing is extracted")
    if errors := form.check(body):
        raise ExtractError(f"{number} is not a valid request: {form.InvalidRequest(errors)}")
    if not workflow.approved_by_its_route(number, actor):
        raise ExtractError(f"{number} was not approved by the route of its kind: not extracted")
    key = project_key(pseudonym.load_key(), number)
    out, partial, old = paths.extract_folders(number)
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        with connect(served.warehouse, partial) as con:
            steps = shape(con, request["kind"], body, key)
            con.execute("use wh")  # the code lists of the codebook
            book = codebook(con, request, steps)
            write(con, "select * from extract", partial, body["format"], book)
        shutil.rmtree(partial / ".tmp", ignore_errors=True)
        (partial / "codebook.json").write_text(json.dumps(book, indent=2, default=str))
        (partial / "codebook.md").write_text(codebook_markdown(book))
        manifest = {
            "request": number,
            "publication": served.id,
            "produced_at": date.today().isoformat(),
            "destroy_by": body["destroy_by"],
            "files": {f.name: sha256_file(f) for f in sorted(partial.iterdir())},
        }
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2))
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # a failed extract leaves nothing behind
        raise
    if out.exists():
        out.rename(old)
    partial.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    if request["status"] == "approved":
        workflow.move(number, actor, "extract_produced", f"{book['rows']:,} rows")
    return out


FILES = {"parquet": "data.parquet", "csv": "data.csv", "stata": "data.dta", "spss": "data.sav"}


def write(con, query: str, folder: Path, file_format: str, book: dict):
    """The data file: Parquet and CSV by DuckDB; Stata and SPSS by pyreadstat, with the
    codebook's labels as variable labels."""
    data = folder / FILES[file_format]
    if file_format in ("parquet", "csv"):
        options = "(format parquet)" if file_format == "parquet" else "(header, delimiter ',')"
        con.execute(f"copy ({query}) to '{data}' {options}")
        return
    import pyreadstat

    frame = con.execute(query).df()
    labels = {v["name"]: v["label"][:80] for v in book["variables"]}
    write = pyreadstat.write_dta if file_format == "stata" else pyreadstat.write_sav
    write(frame, str(data), column_labels=[labels.get(c, "") for c in frame.columns])
