"""``dwh extract``: produce the approved extract of a request from the served warehouse.

Population, periods, sample and variables exactly as approved; a project-specific pseudonym
(HMAC-SHA256 under a key derived from the master key and the request number with HKDF, so
two projects share no identifier and a re-production gives the same ones); k-anonymity for
anonymous samples; a codebook and a manifest of SHA-256 checksums. The delivery folder
appears in one rename: a crash leaves no half delivery.
"""

import hashlib
import hmac
import json
import shutil
from datetime import date
from pathlib import Path

import duckdb

from dwh import catalogue, paths, pseudonym, publish, workflow
from dwh.ingest import sha256_file

QUASI_IDENTIFIERS = ("nis_code", "sex", "age", "nationality_group")
K = 5


class ExtractError(Exception):
    pass


def root() -> Path:
    return paths.home() / "extracts"


def project_key(master: bytes, number: str) -> bytes:
    """HKDF-SHA256 (RFC 5869) of the master key for one project."""
    prk = hmac.new(b"lmsp-dwh extracts", master, hashlib.sha256).digest()
    return hmac.new(prk, number.encode() + b"\x01", hashlib.sha256).digest()


def _population(body: dict) -> tuple[str, list]:
    """The where clause (on wh.main.fct_person_quarter) and its parameters."""
    pop, where, params = body["population"], ["quarter in (select unnest(?))"], [body["periods"]]
    areas = [
        (column, pop[level]) for level, column in catalogue.GEOGRAPHY.items() if pop.get(level)
    ]
    if areas:
        where.append("(" + " or ".join(f"{c} in (select unnest(?))" for c, _ in areas) + ")")
        params += [[str(v) for v in codes] for _, codes in areas]
    where.append("age between ? and ?")
    params += [pop["age_min"], pop["age_max"]]
    for key, column in (("sexes", "sex"), ("positions", "position_code")):
        if pop.get(key):
            where.append(f"{column} in (select unnest(?))")
            params.append(pop[key])
    return " and ".join(where), params


def _select(con, body: dict, number: str, key: bytes):
    """Temp table ``extract``: the approved rows and variables, with project pseudonyms. The
    sample is drawn per person in an order fixed by the request number; the HMAC is computed
    for the persons kept only."""
    where, params = _population(body)
    selected = f"select * from wh.main.fct_person_quarter where {where}"
    if body["population"].get("household_members"):
        selected = (
            f"with chosen as ({selected}) select * from chosen union "
            "select f.* from wh.main.fct_person_quarter f join (select distinct quarter, "
            "household_id from chosen) h using (quarter, household_id)"
        )
    con.execute(
        f"create temp table persons as with selected as ({selected}) select pseudonym, "
        "min_by(region_code, quarter) as region_code from selected group by pseudonym",
        params,
    )
    stratum = "region_code" if body["sample"].get("stratify_by_region") else "1"
    con.execute(
        "create temp table kept as select pseudonym, "
        f"left({pseudonym.sql_hmac_hex('pseudonym')}, 32) as project_pseudonym from ("
        f"select *, row_number() over (partition by {stratum} order by hash(pseudonym, ?)) as r,"
        f" count(*) over (partition by {stratum}) as n from persons) "
        "where r <= ceil(n * ? / 100.0)",
        [*pseudonym.padded_keys(key), number, float(body["sample"]["percent"])],
    )
    columns = [c for c in body["variables"] if c != "pseudonym"]
    con.execute(
        f"create temp table extract as with selected as ({selected}) "
        "select k.project_pseudonym as pseudonym, s.quarter, "
        f"s.ref_date, {', '.join(f's.{c}' for c in columns)} "
        "from selected s join kept k using (pseudonym)",
        params,
    )


def _k_anonymise(con, k: int) -> list[str]:
    """Recode, then suppress, until every combination of the quasi-identifiers in a quarter is
    shared by at least ``k`` rows; returns what was done, step by step."""
    steps = []
    if _small(con, k) and _has(con, "age"):
        con.execute(
            "create or replace temp table extract as select e.* exclude (age), "
            "a.age_class as age_class_of_age from extract e join wh.main.ref_age_classes a "
            "on e.age between a.min_age and a.max_age"
        )
        steps.append("age recoded to age classes (column age_class_of_age)")
    if _small(con, k) and _has(con, "nis_code"):
        con.execute(
            "create or replace temp table extract as select e.* exclude (nis_code), "
            "m.arrondissement_code as arrondissement_of_residence from extract e "
            "join wh.main.ref_municipalities m using (nis_code)"
        )
        steps.append("municipality recoded to arrondissement (column arrondissement_of_residence)")
    if n := _small(con, k):
        qi = ", ".join(["quarter", *_quasi_identifiers(con)])
        con.execute(
            f"delete from extract where ({qi}) in (select ({qi}) from extract group by {qi} "
            "having count(*) < ?)",
            [k],
        )
        steps.append(f"{n} rows in combinations shared by fewer than {k} rows suppressed")
    return steps


def _columns(con) -> list[str]:
    return [r[0] for r in con.execute("describe extract").fetchall()]


def _has(con, column: str) -> bool:
    return column in _columns(con)


def _quasi_identifiers(con) -> list[str]:
    present = set(_columns(con))
    names = (*QUASI_IDENTIFIERS, "age_class_of_age", "arrondissement_of_residence")
    return [c for c in names if c in present]


def _small(con, k: int) -> int:
    """Rows whose quasi-identifiers (in their quarter) fewer than ``k`` rows share."""
    identifiers = _quasi_identifiers(con)
    if not identifiers:
        return 0
    qi = ", ".join(["quarter", *identifiers])
    return con.execute(
        f"select coalesce(sum(n), 0) from (select count(*) n from extract group by {qi}) "
        "where n < ?",
        [k],
    ).fetchall()[0][0]


def _wide(con, quarters: list[str]):
    """One row per person: sex and nationality group once, other variables per quarter."""
    static = [c for c in ("sex", "nationality_group") if _has(con, c)]
    varying = [c for c in _columns(con) if c not in ("pseudonym", "quarter", *static)]
    parts = [f"any_value({c}) as {c}" for c in static] + [
        f"max(case when quarter = '{q}' then {c} end) as {c}_{q}" for c in varying for q in quarters
    ]
    con.execute(
        "create or replace temp table extract as select pseudonym, "
        f"{', '.join(parts)} from extract group by pseudonym"
    )


def _codebook(con, request: dict, steps: list[str]) -> dict:
    """Every variable of the delivered file: label, type, source, code list, counts."""
    body, known, labels = request["body"], catalogue.variables(), catalogue.descriptions()
    # a delivered column is a catalogue variable, or one of its quarters in the wide structure
    base_of = {column: v for v in known for column in (v, *_per_quarter(v, body))}
    out = {
        "request": request["number"],
        "population": body["population"],
        "periods": body["periods"],
        "structure": body["structure"],
        "sample": body["sample"],
        "anonymisation": steps,
        "rows": con.execute("select count(*) from extract").fetchall()[0][0],
        "variables": [],
    }
    for name, type_, *_ in con.execute("describe extract").fetchall():
        base = base_of.get(name, name)
        entry = {
            "name": name,
            "type": type_,
            "label": _LABELS.get(name) or labels.get(base, ""),
            "source": known.get(base, {}).get("source", "lmsp-dwh"),
        }
        if base in catalogue.CODE_LISTS:
            counts = dict(
                con.execute(
                    f"select cast({name} as varchar), count(*) from extract group by 1 order by 1"
                ).fetchall()
            )
            entry["codes"] = [
                {**c, "count": counts.get(c["code"], 0)}
                for c in catalogue.codes(con, base)
                if c["code"] in counts
            ]
        else:
            entry["summary"] = dict(
                zip(
                    ("missing", "distinct", "min", "max"),
                    con.execute(
                        f"select count(*) - count({name}), count(distinct {name}), "
                        f"cast(min({name}) as varchar), cast(max({name}) as varchar) from extract"
                    ).fetchall()[0],
                    strict=True,
                )
            )
        out["variables"].append(entry)
    return out


def _per_quarter(variable: str, body: dict) -> list[str]:
    return [f"{variable}_{q}" for q in body["periods"]]


_LABELS = {
    "pseudonym": "Project pseudonym of the person (valid for this request only).",
    "age_class_of_age": "Age class on the reference date (age recoded for k-anonymity).",
    "arrondissement_of_residence": "Arrondissement of residence (municipality recoded for "
    "k-anonymity).",
}


def _codebook_markdown(book: dict) -> str:
    lines = [
        f"# Codebook of extract {book['request']}",
        "",
        f"{book['rows']:,} rows; periods {', '.join(book['periods'])}; structure "
        f"{book['structure']}; sample {book['sample']['percent']}%"
        f"{' stratified by region' if book['sample'].get('stratify_by_region') else ''}.",
        "",
        f"Population: {json.dumps(book['population'])}.",
        "",
        "Anonymisation: " + ("; ".join(book["anonymisation"]) or "none (pseudonymised data)."),
        "",
    ]
    for v in book["variables"]:
        lines += [
            f"## {v['name']}",
            "",
            f"{v['label']}",
            "",
            f"- type: {v['type']}",
            f"- source: {v['source']}",
        ]
        for c in v.get("codes", []):
            lines.append(f"- `{c['code']}` {c['nl']} / {c['fr']} / {c['en']}: {c['count']:,}")
        if "summary" in v:
            lines.append(f"- {json.dumps(v['summary'])}")
        lines.append("")
    return "\n".join(lines)


def produce(number: str, actor: dict) -> Path:
    """Write the delivery folder of an approved request and mark the extract produced."""
    request = workflow.get(number, actor)
    if actor["role"] != "steward":
        raise ExtractError("stewards produce extracts")
    if request["status"] not in ("approved", "extract_produced"):
        raise ExtractError(f"{number} is {request['status']}: only approved requests are extracted")
    served = publish.served()
    if served is None:
        raise ExtractError("nothing is published")
    body = request["body"]
    key = project_key(pseudonym.load_key(), number)
    out, partial = root() / number, root() / f".{number}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with duckdb.connect(
        config={"memory_limit": "4GB", "temp_directory": str(partial / ".tmp")}
    ) as con:
        con.execute(
            "attach ? as wh (read_only)", [str(Path(served["folder"]) / "warehouse.duckdb")]
        )
        _select(con, body, number, key)
        steps = _k_anonymise(con, K) if request["kind"] == "anonymous_sample" else []
        if body["structure"] == "person":
            _wide(con, body["periods"])
        con.execute("use wh")  # the code lists of the codebook
        book = _codebook(con, request, steps)
        order = "pseudonym, quarter" if body["structure"] == "person_quarter" else "pseudonym"
        _write(con, f"select * from extract order by {order}", partial, body["format"], book)
    shutil.rmtree(partial / ".tmp", ignore_errors=True)
    (partial / "codebook.json").write_text(json.dumps(book, indent=2, default=str))
    (partial / "codebook.md").write_text(_codebook_markdown(book))
    manifest = {
        "request": number,
        "publication": served["id"],
        "produced_at": date.today().isoformat(),
        "destroy_by": body["destroy_by"],
        "files": {f.name: sha256_file(f) for f in sorted(partial.iterdir())},
    }
    (partial / "manifest.json").write_text(json.dumps(manifest, indent=2))
    old = root() / f".{number}.old"
    if out.exists():
        out.rename(old)
    partial.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    if request["status"] == "approved":
        workflow.move(number, actor, "extract_produced", f"{book['rows']:,} rows")
    return out


FILES = {"parquet": "data.parquet", "csv": "data.csv", "stata": "data.dta", "spss": "data.sav"}


def _write(con, query: str, folder: Path, file_format: str, book: dict):
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


def delivery(number: str, viewer: dict) -> Path:
    """The delivery folder, for its owner (or a steward) while it may be downloaded."""
    request = workflow.get(number, viewer)  # NotFound for anyone else's request
    folder = root() / number
    if viewer["role"] == "committee":
        raise workflow.NotFound(f"no delivery for {number}")
    if request["status"] not in workflow.DOWNLOADABLE or not (folder / "manifest.json").exists():
        raise ExtractError(f"{number} is {request['status']}: nothing to download")
    if date.fromisoformat(request["destroy_by"]) < date.today():
        raise ExtractError(f"{number} passed its destroy-by date")
    return folder


def expire_due(today: date | None = None) -> list[str]:
    """Delete the files of every request past its destroy-by date and mark it expired."""
    system = {"name": "system", "role": "steward"}
    due = workflow.past_destroy_by(today or date.today())
    for number in due:
        shutil.rmtree(root() / number, ignore_errors=True)
        workflow.move(number, system, "expired", "destroy-by date passed: files deleted")
    return due
