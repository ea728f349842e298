"""What a request says, and its validation: one problem per wrong field, checked on the
server side whatever the form or file it came from. Texts are stored verbatim (shown as
text, never as markup or SQL).

A problem is its English message (what the command line prints) carrying a code and its
values, which the pages translate (``err_<code>`` in ``dashboards/i18n.py``)."""

import re
from datetime import date, timedelta

KINDS = ("anonymous_sample", "pseudonymised")
STRUCTURES = ("person_quarter", "person")
FORMATS = ("parquet", "csv", "stata", "spss")
TEXTS = {  # field: (minimum, maximum) length
    "requester": (2, 200),
    "organisation": (2, 200),
    "principal_investigator": (2, 200),
    "purpose": (200, 10_000),
    "publication_plan": (20, 5_000),
    "legal_basis": (10, 2_000),
    "security": (20, 5_000),
}
MAX_RETENTION_YEARS = 5
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MESSAGES = {  # code: English message
    "too_short": "at least {minimum} characters",
    "too_long": "at most {maximum:,} characters",
    "dpo_email": "the e-mail address of the data protection officer",
    "one_of": "one of {choices}",
    "population": "describe the population",
    "unknown_codes": "unknown {level} codes",
    "ages": "ages from 0 to 120, the minimum not above the maximum",
    "no_period": "choose at least one quarter",
    "not_published": "not published: {items}",
    "percent": "a percentage above 0 and at most 100",
    "no_variable": "choose at least one variable",
    "not_in_catalogue": "not in the catalogue: {items}",
    "unjustified": "justify every variable: {items}",
    "date": "a date (YYYY-MM-DD) by which the data are destroyed",
    "future": "a date in the future",
    "retention": "at most {years} years from today",
}


class Problem(str):
    """What is wrong with a field: its English message, with ``code`` and ``values``."""

    def __new__(cls, code: str, **values):
        problem = super().__new__(cls, MESSAGES[code].format(**values))
        problem.code, problem.values = code, values
        return problem


def _items(values) -> str:
    return ", ".join(map(str, values))


def blank() -> dict:
    """An empty request with every field, as the form and the YAML template have them."""
    return {
        **{field: "" for field in TEXTS},
        "dpo_contact": "",
        "kind": "anonymous_sample",
        "population": {
            "regions": [],
            "provinces": [],
            "arrondissements": [],
            "municipalities": [],
            "age_min": 0,
            "age_max": 120,
            "sexes": [],
            "positions": [],
            "household_members": False,
        },
        "periods": [],
        "structure": "person_quarter",
        "sample": {"percent": 100.0, "stratify_by_region": False},
        "variables": {},
        "destroy_by": "",
        "format": "parquet",
    }


def validate(body: dict, variables: dict, quarters: list[str], geography: dict[str, set]) -> dict:
    """Field -> problem for every wrong field (empty when the request is valid).

    ``variables``: the catalogue; ``quarters``: the quarters published; ``geography``:
    the valid codes of regions, provinces, arrondissements and municipalities."""
    errors = {}
    for field, (low, high) in TEXTS.items():
        value = body.get(field)
        if not isinstance(value, str) or len(value.strip()) < low:
            errors[field] = Problem("too_short", minimum=low)
        elif len(value) > high:
            errors[field] = Problem("too_long", maximum=high)
    if not isinstance(body.get("dpo_contact"), str) or not EMAIL.fullmatch(body["dpo_contact"]):
        errors["dpo_contact"] = Problem("dpo_email")
    if body.get("kind") not in KINDS:
        errors["kind"] = Problem("one_of", choices=_items(KINDS))
    if body.get("structure") not in STRUCTURES:
        errors["structure"] = Problem("one_of", choices=_items(STRUCTURES))
    if body.get("format") not in FORMATS:
        errors["format"] = Problem("one_of", choices=_items(FORMATS))
    errors.update(_population(body.get("population"), geography))
    periods = body.get("periods")
    if not isinstance(periods, list) or not periods:
        errors["periods"] = Problem("no_period")
    elif unknown := [p for p in periods if p not in quarters]:
        errors["periods"] = Problem("not_published", items=_items(unknown[:5]))
    sample = body.get("sample") or {}
    percent = sample.get("percent")
    if not isinstance(percent, int | float) or isinstance(percent, bool) or not 0 < percent <= 100:
        errors["sample"] = Problem("percent")
    chosen = body.get("variables")
    if not isinstance(chosen, dict) or not chosen:
        errors["variables"] = Problem("no_variable")
    else:
        if unknown := [v for v in chosen if v not in variables]:
            errors["variables"] = Problem("not_in_catalogue", items=_items(unknown[:5]))
        elif missing := [v for v, why in chosen.items() if not str(why or "").strip()]:
            errors["variables"] = Problem("unjustified", items=_items(missing))
    errors.update(_retention(body.get("destroy_by")))
    return errors


def _population(population, geography: dict[str, set]) -> dict:
    if not isinstance(population, dict):
        return {"population": Problem("population")}
    errors = {}
    for level, known in geography.items():
        codes = population.get(level, [])
        if not isinstance(codes, list) or any(str(c) not in known for c in codes):
            errors[f"population.{level}"] = Problem("unknown_codes", level=level)
    low, high = population.get("age_min"), population.get("age_max")
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in (low, high)) or not (
        0 <= low <= high <= 120
    ):
        errors["population.age"] = Problem("ages")
    return errors


def _retention(text) -> dict:
    try:
        destroy_by = date.fromisoformat(str(text))
    except ValueError:
        return {"destroy_by": Problem("date")}
    if destroy_by <= date.today():
        return {"destroy_by": Problem("future")}
    if destroy_by > date.today() + timedelta(days=365 * MAX_RETENTION_YEARS):
        return {"destroy_by": Problem("retention", years=MAX_RETENTION_YEARS)}
    return {}
