"""The mobility page (Streamlit's AppTest, in process): its table and heat-map hold
mobility_figures' values, statuses and flags, read directly from the publication's public file,
in every language and with the filters of a shared link."""

import json

import pytest
from altair.utils.schemapi import validate_jsonschema
from streamlit.testing.v1 import AppTest
from test_dashboards import APP, STEWARD, VEGA_LITE, _chart, _check, _fine, _published

PAGE = "views/mobility.py"
# the page's words, written out here
TITLE = {"nl": "Mobiliteit", "fr": "Mobilité", "en": "Mobility"}
HEADERS = {  # from, to, persons
    "nl": ("Van (31/12 vorig jaar)", "Naar (31/12)", "Personen"),
    "fr": ("De (31/12 an passé)", "Vers (31/12)", "Personnes"),
    "en": ("From (31/12 year before)", "To (31/12)", "Persons"),
}
OUT = {"nl": "niet in de bevolking", "fr": "hors population", "en": "not in the population"}
TOTAL = {"nl": "Totaal", "fr": "Total", "en": "Total"}


@pytest.fixture
def page(in_built):
    def open_page(lang: str, params: dict) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["lang"] = lang
        at.session_state["user"] = STEWARD
        at.run()
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(PAGE)
        at.run()
        _fine(at)
        return at

    return open_page


def _codes(lang: str, level: str) -> dict[str, str]:
    """Label -> code of the positions shown at ``level`` (the categories or the main groups:
    "other" names both n4 and G4), OUT and the total, in ``lang``."""
    rows = _published(
        f"select position_code, label_{lang} as label, 'G' || main_group_code as main_group, "
        f"main_group_label_{lang} as group_label from dim_socio_economic_position"
    )
    if level == "categories":
        codes = dict(zip(rows.label, rows.position_code, strict=True))
    else:
        codes = dict(zip(rows.group_label, rows.main_group, strict=False))
    return codes | {OUT[lang]: "OUT", TOTAL[lang]: "_T"}


def _busiest(year: int, unit: str, sex: str, nat: str, codes: list[str]) -> str:
    """The age class (not the total) with the most published cells between ``codes``: which
    small cells are published depends on the run's key."""
    return _published(
        "select age_class from mobility_figures where year = ? and geo_code = ? and sex = ? "
        "and nationality_group = ? and age_class <> '_T' and list_contains(?, from_position) "
        "and list_contains(?, to_position) group by age_class "
        "order by count(*) filter (where status = 'published') desc, age_class limit 1",
        [year, unit, sex, nat, codes, codes],
    ).age_class[0]


@pytest.mark.parametrize(
    ("lang", "unit", "level", "sex", "age", "nat"),
    [
        ("en", "01000", "main_groups", "_T", "_T", "_T"),
        ("fr", "04000", "categories", "F", None, "BE"),  # the busiest age class
        ("nl", "02000", "main_groups", "M", "_T", "NEU"),
    ],
)
def test_the_table_and_heat_map_are_the_published_figures(page, lang, unit, level, sex, age, nat):
    year = int(_published("select max(year) as y from mobility_figures").y[0])
    if age is None:
        age = _busiest(year, unit, sex, nat, list(_codes(lang, level).values()))
    params = {"m_year": str(year), "m_unit": unit, "m_level": level}
    at = page(lang, params | {"m_sex": sex, "m_age": age, "m_nat": nat})
    assert TITLE[lang] in at.title[0].value
    shown_positions = {
        "categories": "position not like 'G%' and position <> '_T'",
        "main_groups": "position like 'G%'",
    }[level]
    expected = _published(
        "with shown as (select distinct position from local_figures where "
        f"{shown_positions} union select 'OUT' union select '_T') "
        "select f.* from mobility_figures f where year = ? and geo_code = ? and sex = ? and "
        "age_class = ? and nationality_group = ? "
        "and from_position in (select * from shown) and to_position in (select * from shown)",
        [year, unit, sex, age, nat],
    ).set_index(["from_position", "to_position"])
    sides = 19 if level == "categories" else 4
    assert len(expected) == (sides + 2) ** 2 - 1  # OUT to OUT is no transition
    assert (expected.status == "published").sum() >= 3
    source, target, persons = HEADERS[lang]
    codes = _codes(lang, level)
    table = at.dataframe[0].value
    assert len(table) == len(expected)
    for _, row in table.iterrows():
        want = expected.loc[(codes[row[source]], codes[row[target]])]
        _check(row[persons], want.persons, want.status, want.is_provisional, lang)
    chart = _chart(at, 0)
    assert len(chart) == len(expected)
    chart = chart.set_index(["from_position", "to_position"])
    published = expected[expected.status == "published"]
    assert (chart.loc[published.index, persons] == published.persons).all()
    withheld = expected[expected.status == "withheld"].index
    assert (chart.loc[withheld, "label"] == "x").all()
    for spec in at.get("vega_lite_chart"):
        validate_jsonschema(json.loads(spec.proto.spec), VEGA_LITE)


def test_a_link_with_unknown_values_opens_the_defaults(page):
    """A link is user input: values that are not options fall back to the page's defaults
    (Belgium, the last year, main groups, totals)."""
    at = page("en", {"m_year": "1900", "m_unit": "'; drop table x", "m_level": "all"})
    year = int(_published("select max(year) as y from mobility_figures").y[0])
    assert at.selectbox(key="m_year").value == year
    assert at.selectbox(key="m_unit").value == "01000"
    assert at.radio(key="m_level").value == "main_groups"
    assert len(at.dataframe[0].value) == 6 * 6 - 1
