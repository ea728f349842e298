"""The labels of the dashboards as data: every key the code uses exists in Dutch, French and
English with the same placeholders, and no key is unused."""

import ast
import re
import string
import sys

import yaml

from dwh.core import paths
from dwh.requests import form
from dwh.serving import catalogue

DASHBOARDS = paths.PROJECT_DIR / "dashboards"
LANGUAGES = {"nl", "fr", "en"}


def _gap_statuses() -> set[str]:
    """The statuses that show no figure, from the dashboards' own table of markers."""
    sys.path.insert(0, str(DASHBOARDS))
    try:
        import marks

        return set(marks.gap_markers())
    finally:
        sys.path.remove(str(DASHBOARDS))


# Keys the code makes from a prefix and a value (t(f"f_{field}"), ...), from the code's own
# lists (the request form's population filters: the geography, sexes and positions; the
# flag words of the statuses that show no figure).
FAMILIES = {
    "f_": {f"f_{name}" for name in (*form.TEXTS, *catalogue.GEOGRAPHY, "sexes", "positions")},
    "err_": {f"err_{code}" for code in form.MESSAGES},
    "flag_": {f"flag_{status}" for status in _gap_statuses()},
}


def _value_keys() -> set[str]:
    """Keys the pages take from values: kinds and structures of requests, and the
    registration statuses of the deliveries (the accepted values of the dbt mart)."""
    marts = yaml.safe_load((paths.PROJECT_DIR / "models" / "marts" / "_marts.yml").read_text())
    model = next(m for m in marts["models"] if m["name"] == "source_registration")
    column = next(c for c in model["columns"] if c["name"] == "registration_status")
    statuses = column["data_tests"][0]["accepted_values"]["arguments"]["values"]
    return {*form.KINDS, *form.STRUCTURES, *statuses}


LABEL_FILES = ["i18n.py", *sorted(p.name for p in DASHBOARDS.glob("labels_*.py"))]


def _entries() -> list[tuple[str, dict]]:
    """Every (key, entry) written in the label files, in order (a key written twice shows)."""
    entries = []
    for name in LABEL_FILES:
        tree = ast.parse((DASHBOARDS / name).read_text())
        node = next(
            n
            for n in tree.body
            if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", None) == "TEXT"
        )
        entries += list(ast.literal_eval(node.value).items())
    return entries


def _text() -> dict:
    return dict(_entries())


def test_no_key_is_written_twice():
    keys = [key for key, _ in _entries()]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})


def _uses() -> tuple[set[str], set[str], set[str]]:
    """Literal keys given to t(), prefixes of f-string keys, and every string literal of the
    pages (not of the labels' own file, where every key is written)."""
    literal, prefixes, strings = set(), set(), set()
    for path in DASHBOARDS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and path.name not in LABEL_FILES:
                strings.add(node.value)
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t"):
                continue
            if not node.args:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant):
                literal.add(arg.value)
            elif isinstance(arg, ast.JoinedStr) and isinstance(arg.values[0], ast.Constant):
                prefixes.add(arg.values[0].value)
    return literal, prefixes, strings


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_entry_has_three_languages_with_the_same_placeholders():
    for key, entry in _text().items():
        assert set(entry) == LANGUAGES, key
        assert all(entry[lang].strip() for lang in LANGUAGES), key
        assert len({frozenset(_placeholders(entry[lang])) for lang in LANGUAGES}) == 1, key


def test_every_key_the_code_uses_exists():
    literal, prefixes, _ = _uses()
    assert prefixes <= set(FAMILIES), f"a new family of keys: {prefixes - set(FAMILIES)}"
    used = literal | set().union(*FAMILIES.values()) | _value_keys()
    missing = used - set(_text())
    assert not missing, missing


def test_no_key_is_unused():
    literal, _, strings = _uses()
    reachable = literal | set().union(*FAMILIES.values()) | _value_keys() | strings
    unused = set(_text()) - reachable
    assert not unused, unused


def test_form_problems_are_codes_the_pages_translate(monkeypatch):
    import streamlit as st

    monkeypatch.syspath_prepend(str(DASHBOARDS))
    import requests_view

    problems = form.validate({}, {}, [], {level: set() for level in catalogue.GEOGRAPHY})
    assert problems["purpose"] == "at least 200 characters"  # the command line's English
    shown = {}
    for lang in LANGUAGES:
        monkeypatch.setitem(st.session_state, "lang", lang)
        shown[lang] = {field: requests_view.message(p) for field, p in problems.items()}
    assert shown["nl"]["purpose"] == "minstens 200 tekens"
    assert shown["fr"]["purpose"] == "au moins 200 caractères"
    assert shown["fr"]["periods"] == "choisissez au moins un trimestre"
    assert shown["en"] == {field: str(p) for field, p in problems.items()}
    assert not any(re.search(r"\b(at least|choose|the)\b", m) for m in shown["nl"].values())
