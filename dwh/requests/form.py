"""What a request says, and its validation: one problem per wrong field, checked on the
server side whatever the form or file it came from. Texts are stored verbatim (shown as
text, never as markup or SQL).

A problem is its English message (what the command line prints) carrying a code and its
values, which the pages translate (``err_<code>`` in ``dashboards/i18n.py``)."""

import json
from datetime import date, timedelta

import yaml

from dwh.serving import catalogue

KINDS = ("anonymous_sample", "pseudonymised")
STRUCTURES = ("person_quarter", "person", "spells")
# the variables a spell is a run of (the position, at either level)
SPELL_POSITIONS = ("position_code", "main_group_code")
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
MAX_REQUEST_BYTES = 100_000  # the whole request as JSON
MAX_YAML_BYTES = 200_000  # a request written in YAML, comments included
MAX_JUSTIFICATION = 2_000  # characters justifying one variable
MAX_EMAIL = 254
MAX_ITEMS = 1_000  # codes in one population filter, quarters, variables
# An anonymous sample holds at most half the persons: a sample of everybody is the population
# (its counts are the true counts); in at most half, each person is as likely out as in, and
# the sample's counts are only lower bounds (re-checked by the extract, with the whole form).
MAX_ANONYMOUS_PERCENT = 50
# Problems a draft may not have either: its size, its fields and their types (a draft may be
# incomplete, never malformed).
SHAPE = ("not_a_request", "too_large", "unknown_fields", "too_many", "not_text", "too_long")
SHAPE_ONE_OF = ("kind", "structure", "format")  # fields stored as they are, drafts included
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
    "not_a_request": "a mapping of the request's fields",
    "not_for_kind": "only in pseudonymised extracts: {items}",
    "unknown_fields": "unknown fields: {items}",
    "too_large": "the request is larger than {maximum:,} bytes",
    "too_many": "at most {maximum:,} items",
    "not_text": "text of at most {maximum:,} characters for each variable",
    "spells_position": "spells are runs of a position: choose position_code or main_group_code",
    "spells_consecutive": "spells need consecutive quarters, without gaps",
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
        "sample": {"percent": 10.0, "stratify_by_region": False},
        "variables": {},
        "destroy_by": "",
        "format": "parquet",
    }


class InvalidRequest(ValueError):
    """A request with wrong fields: ``errors`` maps each field to its problem."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))


class _NoAliases(yaml.SafeLoader):
    """YAML without anchors and aliases: a few bytes of aliases can expand to gigabytes."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("anchors and aliases are not accepted in a request")
        return super().compose_node(parent, index)


def read_yaml(text: str) -> dict:
    """A request written in YAML, read with limits: at most ``MAX_YAML_BYTES``, no aliases,
    a mapping; its fields are then checked like the form's."""
    if len(text.encode()) > MAX_YAML_BYTES:
        raise InvalidRequest({"request": Problem("too_large", maximum=MAX_YAML_BYTES)})
    try:
        body = yaml.load(text, Loader=_NoAliases)  # noqa: S506 (a SafeLoader)
    except (yaml.YAMLError, RecursionError):
        body = None
    if not isinstance(body, dict):
        raise InvalidRequest({"request": Problem("not_a_request")})
    return json.loads(json.dumps(body, default=str))  # a YAML date becomes its ISO text


def check(body) -> dict[str, str]:
    """Validate a request against the served publication's catalogue, quarters and areas.

    Run at the door (form, YAML) and again wherever a stored request is acted on: when a
    draft is submitted, at every decision, and by the extract."""
    if not isinstance(body, dict):
        return {"request": Problem("not_a_request")}
    offer = catalogue.published()
    return validate(
        body, catalogue.variables(), offer["quarters"], offer["geography"], offer["filters"]
    )


def validate(
    body: dict,
    variables: dict,
    quarters: list[str],
    geography: dict[str, set],
    filters: dict[str, set] | None = None,
) -> dict:
    """Field -> problem for every wrong field (empty when the request is valid).

    ``variables``: the catalogue; ``quarters``: the quarters published; ``geography``:
    the valid codes of regions, provinces, arrondissements and municipalities; ``filters``:
    the valid codes of the other population filters (sexes, positions). Unknown fields,
    oversize values and values of the wrong type are problems too: nothing unchecked is kept.
    """
    try:
        size = len(json.dumps(body, default=str).encode())
    except (TypeError, ValueError):
        size = MAX_REQUEST_BYTES + 1
    if size > MAX_REQUEST_BYTES:
        return {"request": Problem("too_large", maximum=MAX_REQUEST_BYTES)}
    errors = _unknown(body, blank())
    for field, (low, high) in TEXTS.items():
        value = body.get(field)
        if not isinstance(value, str) or len(value.strip()) < low:
            errors[field] = Problem("too_short", minimum=low)
        elif len(value) > high:
            errors[field] = Problem("too_long", maximum=high)
    if not _is_email(body.get("dpo_contact")):
        errors["dpo_contact"] = Problem("dpo_email")
    if body.get("kind") not in KINDS:
        errors["kind"] = Problem("one_of", choices=_items(KINDS))
    if body.get("structure") not in STRUCTURES:
        errors["structure"] = Problem("one_of", choices=_items(STRUCTURES))
    if body.get("format") not in FORMATS:
        errors["format"] = Problem("one_of", choices=_items(FORMATS))
    errors.update(_population(body.get("population"), geography, filters))
    periods = body.get("periods")
    if not isinstance(periods, list) or not periods:
        errors["periods"] = Problem("no_period")
    elif len(periods) > MAX_ITEMS:
        errors["periods"] = Problem("too_many", maximum=MAX_ITEMS)
    elif unknown := [p for p in periods if p not in quarters]:
        errors["periods"] = Problem("not_published", items=_items(unknown[:5]))
    sample = body.get("sample") if isinstance(body.get("sample"), dict) else {}
    errors.update(_unknown(sample, blank()["sample"], "sample."))
    if not isinstance(sample.get("stratify_by_region", False), bool):
        errors["sample.stratify_by_region"] = Problem("one_of", choices="true, false")
    percent = sample.get("percent")
    if not isinstance(percent, int | float) or isinstance(percent, bool) or not 0 < percent <= 100:
        errors["sample"] = Problem("percent")
    elif body.get("kind") == "anonymous_sample" and percent > MAX_ANONYMOUS_PERCENT:
        errors["sample"] = Problem("not_for_kind", items=f"samples above {MAX_ANONYMOUS_PERCENT}%")
    chosen = body.get("variables")
    if not isinstance(chosen, dict) or not chosen:
        errors["variables"] = Problem("no_variable")
    elif len(chosen) > MAX_ITEMS:
        errors["variables"] = Problem("too_many", maximum=MAX_ITEMS)
    elif any(not isinstance(why, str) or len(why) > MAX_JUSTIFICATION for why in chosen.values()):
        errors["variables"] = Problem("not_text", maximum=MAX_JUSTIFICATION)
    else:
        if unknown := [v for v in chosen if v not in variables]:
            errors["variables"] = Problem("not_in_catalogue", items=_items(unknown[:5]))
        elif missing := [v for v, why in chosen.items() if not str(why or "").strip()]:
            errors["variables"] = Problem("unjustified", items=_items(missing))
        elif barred := [v for v in chosen if body.get("kind") not in variables[v]["kinds"]]:
            errors["variables"] = Problem("not_for_kind", items=_items(barred))
    errors.update(_retention(body.get("destroy_by")))
    if body.get("structure") == "spells" and "periods" not in errors and "structure" not in errors:
        errors.update(_spells(chosen, periods))
    return errors


def _spells(chosen, periods: list[str]) -> dict:
    """Spells are runs of a position over consecutive quarters: a position variable and
    quarters without gaps."""
    errors = {}
    if isinstance(chosen, dict) and not set(SPELL_POSITIONS) & set(chosen):
        errors["structure"] = Problem("spells_position")
    numbers = sorted(quarter_number(p) for p in periods)
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        errors["periods"] = Problem("spells_consecutive")
    return errors


def quarter_number(quarter: str) -> int:
    """A quarter (``2025Q1``) as a count of quarters, so that consecutive quarters differ by
    one."""
    return int(quarter[:4]) * 4 + int(quarter[5:]) - 1


def _population(population, geography: dict[str, set], filters: dict[str, set] | None) -> dict:
    if not isinstance(population, dict):
        return {"population": Problem("population")}
    errors = _unknown(population, blank()["population"], "population.")
    # every filter of codes: the geography, then sexes and positions (their codes unchecked
    # when the caller gives none)
    code_filters = {**geography, **(filters or dict.fromkeys(catalogue.FILTERS))}
    for key, known in code_filters.items():
        codes = population.get(key, [])
        if not isinstance(codes, list) or len(codes) > MAX_ITEMS:
            errors[f"population.{key}"] = Problem("too_many", maximum=MAX_ITEMS)
        elif known is not None and any(str(c) not in known for c in codes):
            errors[f"population.{key}"] = Problem("unknown_codes", level=key)
    if not isinstance(population.get("household_members", False), bool):
        errors["population.household_members"] = Problem("one_of", choices="true, false")
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


def _unknown(given: dict, known: dict, prefix: str = "") -> dict:
    """A problem naming the fields of ``given`` that ``known`` does not have."""
    if not isinstance(given, dict):
        return {}
    unknown = [str(k)[:40] for k in given if k not in known]
    return (
        {f"{prefix}fields": Problem("unknown_fields", items=_items(unknown[:5]))} if unknown else {}
    )


def _is_email(text) -> bool:
    """An e-mail address: one '@', no white space, a dot in the domain (no regular expression,
    so no input can make the check slow)."""
    if not isinstance(text, str) or not 3 <= len(text) <= MAX_EMAIL:
        return False
    local, at, domain = text.rpartition("@")
    return (
        at == "@"
        and bool(local)
        and "@" not in local
        and not any(c.isspace() for c in text)
        and "." in domain.strip(".")
        and not domain.startswith(".")
        and not domain.endswith(".")
    )
