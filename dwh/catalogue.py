"""The variable catalogue researchers choose from: the columns of ``fct_person_quarter`` as the
dbt project documents them, with their code lists (labels in NL/FR/EN from the seeds of the
served publication), their source and the periods available."""

import re
from functools import cache

import duckdb
import yaml

from dwh import paths

# Column -> (code list seed, code column, label columns in nl/fr/en order)
CODE_LISTS = {
    "nis_code": ("ref_municipalities", "nis_code", ("name_nl", "name_fr", "name_fr")),
    "arrondissement_code": (
        "ref_arrondissements",
        "arrondissement_code",
        ("name_nl", "name_fr", "name_fr"),
    ),
    "province_code": ("ref_provinces", "province_code", ("name_nl", "name_fr", "name_fr")),
    "region_code": ("ref_regions", "region_code", ("name_nl", "name_fr", "name_en")),
    "sex": ("ref_sexes", "sex", ("label_nl", "label_fr", "label_en")),
    "age_class": ("ref_age_classes", "age_class", ("label_nl", "label_fr", "label_en")),
    "nationality_group": (
        "ref_nationality_groups",
        "nationality_group",
        ("label_nl", "label_fr", "label_en"),
    ),
    "position_code": (
        "ref_socio_economic_positions",
        "position_code",
        ("label_nl", "label_fr", "label_en"),
    ),
    "main_group_code": (
        "ref_position_main_groups",
        "main_group_code",
        ("label_nl", "label_fr", "label_en"),
    ),
}
# The areas a request's population may name, and the column each is a code of.
GEOGRAPHY = {
    "regions": "region_code",
    "provinces": "province_code",
    "arrondissements": "arrondissement_code",
    "municipalities": "nis_code",
}
SOURCES = {
    "nis_code": "National Register (RR/RN)",
    "arrondissement_code": "National Register (RR/RN), Statbel REFNIS",
    "province_code": "National Register (RR/RN), Statbel REFNIS",
    "region_code": "National Register (RR/RN), Statbel REFNIS",
    "sex": "National Register (RR/RN)",
    "age": "National Register (RR/RN)",
    "age_class": "National Register (RR/RN)",
    "nationality_group": "National Register (RR/RN)",
    "household_id": "National Register (RR/RN)",
    "position_code": "derived from all institutions (precedence rules)",
    "main_group_code": "derived from all institutions (precedence rules)",
    "is_registered_job_seeker": "VDAB, Le Forem, Actiris, ADG",
}
JOB_SOURCE = "RSZ/ONSS (DmfA), main job of the quarter"
ALWAYS = ("pseudonym", "ref_date", "quarter", "year")  # in every extract, not chosen


_DOC_REF = re.compile(r"\{\{\s*doc\(\s*['\"](\w+)['\"]\s*\)\s*\}\}")
_DOC_BLOCK = re.compile(r"\{%-?\s*docs\s+(\w+)\s*-?%\}(.*?)\{%-?\s*enddocs\s*-?%\}", re.S)


@cache
def _doc_blocks() -> dict[str, str]:
    """The doc blocks of ``models/docs.md`` (shared column descriptions), each on one line."""
    text = (paths.PROJECT_DIR / "models" / "docs.md").read_text()
    return {name: " ".join(body.split()) for name, body in _DOC_BLOCK.findall(text)}


def _rendered(description: str) -> str:
    """A description with each ``{{ doc('name') }}`` replaced by its block, as dbt renders it."""
    return _DOC_REF.sub(lambda m: _doc_blocks()[m.group(1)], description)


@cache
def _documented() -> dict[str, dict]:
    marts = yaml.safe_load((paths.PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text())
    model = next(m for m in marts["models"] if m["name"] == "fct_person_quarter")
    return {
        c["name"]: {**c, "description": _rendered(c.get("description", ""))}
        for c in model["columns"]
    }


def descriptions() -> dict[str, str]:
    """Every column of fct_person_quarter with its description."""
    return {name: c.get("description", "") for name, c in _documented().items()}


def variables() -> dict[str, dict]:
    """Every variable a request may name: description, type, source, code list seed."""
    return {
        name: {
            "description": column.get("description", ""),
            "type": column.get("data_type", ""),
            "source": SOURCES.get(name, JOB_SOURCE),
            "code_list": CODE_LISTS[name][0] if name in CODE_LISTS else None,
        }
        for name, column in _documented().items()
        if name not in ALWAYS
    }


def codes(con: duckdb.DuckDBPyConnection, name: str) -> list[dict]:
    """The code list of a variable with its labels (code, nl, fr, en)."""
    table, code, labels = CODE_LISTS[name]
    rows = con.execute(
        f"select cast({code} as varchar), {', '.join(labels)} from {table} order by 1"
    ).fetchall()
    return [{"code": r[0], "nl": r[1], "fr": r[2], "en": r[3]} for r in rows]


def quarters(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        q
        for (q,) in con.execute(
            "select distinct quarter from fct_person_quarter order by 1"
        ).fetchall()
    ]


def published() -> dict:
    """What the served publication offers a request: its quarters and geography codes."""
    from dwh import publish

    served = publish.served()
    if served is None:
        return {"quarters": [], "geography": {level: set() for level in GEOGRAPHY}}
    db = f"{served['folder']}/warehouse.duckdb"
    with duckdb.connect(db, read_only=True) as con:
        geography = {
            level: {
                c
                for (c,) in con.execute(f"select {column} from {CODE_LISTS[column][0]}").fetchall()
            }
            for level, column in GEOGRAPHY.items()
        }
        return {"quarters": quarters(con), "geography": geography}
