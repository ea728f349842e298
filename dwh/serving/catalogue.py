"""The variable catalogue researchers choose from: the columns of ``fct_person_quarter`` as the
dbt project documents them (read from dbt's ``manifest.json`` of the served publication), with
their code lists (labels in NL/FR/EN from the seeds of the same publication), their source and
the periods available."""

import json
from functools import cache
from pathlib import Path

import duckdb

from dwh.serving.publication import current

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
# The other filters of a request's population, and the column each is a code of.
FILTERS = {"sexes": "sex", "positions": "position_code"}
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
# Variables offered in pseudonymised extracts only: a household pseudonym links the members of
# a household, and a one-person household's is a person's.
PSEUDONYMISED_ONLY = ("household_id",)
# Anonymous samples. Every variable is a quasi-identifier (what someone may know of a person
# from elsewhere: where they live, their age, sex and nationality, their household, their
# job) except the position, the sensitive variable. Each belongs to a hierarchy of levels,
# finest first, and is delivered at the level asked or a coarser one; ``None``: left out. A
# variable of no hierarchy here (a new column of the model, say) is a quasi-identifier
# delivered as it is or left out.
HIERARCHIES = {
    "geography": ("nis_code", "arrondissement_code", "province_code", "region_code", None),
    "age": ("age", "age_class", "age_band", None),
    "sex": ("sex", None),
    "nationality": ("nationality_group", None),
    "household": ("household_id", None),
    "gross_wage": ("gross_wage", "gross_wage_band", None),
    "total_gross_wage": ("total_gross_wage", "total_gross_wage_band", None),
    "position": ("position_code", "main_group_code"),
}
SENSITIVE = "position"  # at least two of them in each group of the quasi-identifiers
# Levels that are not columns of fct_person_quarter: SQL on its columns, label, source column.
DERIVED = {
    "age_band": (
        "case when age < 25 then '00-24' when age < 55 then '25-54' when age < 65 then '55-64' "
        "else '65+' end",
        "Age band on the reference date: 00-24, 25-54, 55-64, 65+ (age recoded).",
        "age",
    ),
    "gross_wage_band": (
        "cast(floor(gross_wage / 1000) * 1000 as integer)",
        "Main job: gross quarterly wage in euro, rounded down to a multiple of 1,000.",
        "gross_wage",
    ),
    "total_gross_wage_band": (
        "cast(floor(total_gross_wage / 1000) * 1000 as integer)",
        "Gross wage of all jobs in the quarter in euro, rounded down to a multiple of 1,000.",
        "total_gross_wage",
    ),
}
ALWAYS = ("pseudonym", "ref_date", "quarter", "year")  # in every extract, not chosen


def _documented() -> dict[str, dict]:
    """The columns of ``fct_person_quarter`` in the served publication's manifest (none when
    nothing is published: there is nothing to ask for)."""
    served = current()
    return {} if served is None else _manifest_columns(str(served.manifest))


@cache
def _manifest_columns(manifest: str) -> dict[str, dict]:
    nodes = json.loads(Path(manifest).read_text())["nodes"].values()
    model = next(
        n for n in nodes if n["resource_type"] == "model" and n["name"] == "fct_person_quarter"
    )
    return model["columns"]


def descriptions() -> dict[str, str]:
    """Every column of fct_person_quarter with its description."""
    return {name: c.get("description", "") for name, c in _documented().items()}


def variables() -> dict[str, dict]:
    """Every variable a request may name: description, type, source, code list seed."""
    return {
        name: {
            "description": column.get("description", ""),
            "type": column.get("data_type") or "",
            "source": SOURCES.get(name, JOB_SOURCE),
            "code_list": CODE_LISTS[name][0] if name in CODE_LISTS else None,
            "kinds": ["pseudonymised"]
            if name in PSEUDONYMISED_ONLY
            else ["anonymous_sample", "pseudonymised"],
            "quasi_identifier": hierarchy(name)[0] != SENSITIVE,
            "generalises_to": list(_coarser(name)),
        }
        for name, column in _documented().items()
        if name not in ALWAYS
    }


def hierarchy(name: str) -> tuple[str, tuple]:
    """The hierarchy of a variable: its name and its levels, finest first (``None``: left
    out); a variable of none is a quasi-identifier of its own, delivered as is or left out."""
    for hierarchy_name, levels in HIERARCHIES.items():
        if name in levels:
            return hierarchy_name, levels
    return f"{name} (alone)", (name, None)


def _coarser(name: str) -> tuple:
    levels = hierarchy(name)[1]
    return levels[levels.index(name) + 1 :]


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
    """What the served publication offers a request: its quarters, and the codes of the
    geography and of the other population filters."""
    served = current()
    if served is None:
        return {
            "quarters": [],
            "geography": {level: set() for level in GEOGRAPHY},
            "filters": {key: set() for key in FILTERS},
        }

    def codes_of(con, column: str) -> set[str]:
        table, code, _ = CODE_LISTS[column]
        return {str(c) for (c,) in con.execute(f"select {code} from {table}").fetchall()}

    with duckdb.connect(str(served.warehouse), read_only=True) as con:
        return {
            "quarters": quarters(con),
            "geography": {level: codes_of(con, c) for level, c in GEOGRAPHY.items()},
            "filters": {key: codes_of(con, c) for key, c in FILTERS.items()},
        }
