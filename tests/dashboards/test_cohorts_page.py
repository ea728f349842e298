"""The cohorts page (Streamlit's AppTest, in process): its tables and charts hold
cohort_figures' values, statuses and flags, read directly from the publication's public file,
in two languages and with the filters of a shared link."""

import json

import pytest
from altair.utils.schemapi import validate_jsonschema
from streamlit.testing.v1 import AppTest
from test_dashboards import APP, STEWARD, VEGA_LITE, _chart, _check, _fine, _published

PAGE = "views/cohorts.py"
# the page's words, written out here
TITLE = {"nl": "Cohorten", "fr": "Cohortes", "en": "Cohorts"}
HEADERS = {  # year, position on the later day, persons; group, share class
    "nl": ("Jaar", "Positie op 31/12", "Personen", "Groep", "Aandeel van de kwartalen"),
    "fr": ("Année", "Position au 31/12", "Personnes", "Groupe", "Part des trimestres"),
    "en": ("Year", "Position on 31/12", "Persons", "Group", "Share of the quarters"),
}
OUT = {"nl": "niet meer in de bevolking", "fr": "plus dans la population",
       "en": "no longer in the population"}  # fmt: skip
SHARES = {  # the share classes as each language writes them
    "nl": ["0 %", "1-24 %", "25-49 %", "50-74 %", "75-99 %", "100 %"],
    "fr": ["0 %", "1-24 %", "25-49 %", "50-74 %", "75-99 %", "100 %"],
    "en": ["0%", "1-24%", "25-49%", "50-74%", "75-99%", "100%"],
}
CLASSES = ["P000", "P001", "P025", "P050", "P075", "P100"]


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
    """Label -> code of the positions shown at ``level`` (main groups or categories) and OUT."""
    rows = _published(
        f"select position_code, label_{lang} as label, 'G' || main_group_code as main_group, "
        f"main_group_label_{lang} as group_label from dim_socio_economic_position"
    )
    if level == "categories":
        codes = dict(zip(rows.label, rows.position_code, strict=True))
    else:
        codes = dict(zip(rows.group_label, rows.main_group, strict=False))
    return codes | {OUT[lang]: "OUT"}


def _busiest(cohort: int, unit: str, sex: str, codes: list[str], groups: bool) -> tuple[str, str]:
    """The category and age class (not the totals), or the main group of all ages, whose
    cohort has the most published cells among ``codes``: which small cells are published
    depends on the run's key and on the simulated flows."""
    start = "like 'G%' and age_class = '_T'" if groups else "not like 'G%' and age_class <> '_T'"
    row = _published(
        "select from_position, age_class from cohort_figures where cohort_year = ? "
        f"and geo_code = ? and sex = ? and measure = 'position' and from_position {start} "
        "and from_position <> '_T' and list_contains(?, to_position) "
        "group by from_position, age_class "
        "order by count(*) filter (where status = 'published') desc, from_position, age_class "
        "limit 1",
        [cohort, unit, sex, codes],
    ).iloc[0]
    return row.from_position, row.age_class


@pytest.mark.parametrize(
    ("lang", "unit", "start", "level", "sex", "age"),
    [
        ("fr", "01000", None, "main_groups", "_T", "_T"),  # the busiest main group
        ("nl", "03000", None, "categories", "F", None),  # the busiest category and age
    ],
)
def test_the_tables_and_charts_are_the_published_figures(page, lang, unit, start, level, sex, age):
    cohort = int(_published("select max(cohort_year) as y from cohort_figures").y[0])
    if start is None:
        codes = list(_codes(lang, level).values())
        start, age = _busiest(cohort, unit, sex, codes, level == "main_groups")
    end = cohort + 1
    params = {"c_year": str(cohort), "c_start": start, "c_unit": unit, "c_level": level,
              "c_sex": sex, "c_age": age, "c_end": str(end)}  # fmt: skip
    at = page(lang, params)
    assert TITLE[lang] in at.title[0].value
    figures = _published(
        "select * from cohort_figures where cohort_year = ? and geo_code = ? and "
        "from_position = ? and sex = ? and age_class = ?",
        [cohort, unit, start, sex, age],
    )
    year, later, persons, group, share = HEADERS[lang]
    codes = _codes(lang, level)
    # where the cohort is: every later year x every shown position and OUT
    shown = 4 if level == "main_groups" else 19
    where = figures[(figures.measure == "position") & figures.to_position.isin(codes.values())]
    where = where.set_index(["year", "to_position"])
    assert len(where) == (shown + 1) * len(figures.year.unique())
    assert (where.status == "published").sum() >= 2
    table = at.dataframe[0].value
    assert len(table) == len(where)
    for _, row in table.iterrows():
        want = where.loc[(int(row[year]), codes[row[later]])]
        _check(row[persons], want.persons, want.status, want.is_provisional, lang)
    chart = _chart(at, 0).set_index(["year", "to_position"])
    assert len(chart) == len(where)
    published = where[where.status == "published"]
    assert (chart.loc[published.index, persons] == published.persons).all()
    assert chart.loc[where[where.status != "published"].index, persons].isna().all()
    # the shares of the quarters up to the chosen year: every group x every class
    shares = figures[(figures.measure != "position") & (figures.to_position != "_T")]
    shares = shares[shares.year == end].set_index(["measure", "to_position"])
    assert len(shares) == 5 * 5  # a year after: no share below a quarter
    groups = _codes(lang, "main_groups")  # the main groups' labels, whatever the level
    classes = dict(zip(SHARES[lang], CLASSES, strict=True))
    table = at.dataframe[1].value
    assert len(table) == len(shares)
    for _, row in table.iterrows():
        want = shares.loc[(groups[row[group]], classes[row[share]])]
        _check(row[persons], want.persons, want.status, want.is_provisional, lang)
    chart = _chart(at, 1).set_index(["measure", "to_position"])
    published = shares[shares.status == "published"]
    assert len(published) >= 1
    assert (chart.loc[published.index, persons] == published.persons).all()
    for spec in at.get("vega_lite_chart"):
        validate_jsonschema(json.loads(spec.proto.spec), VEGA_LITE)


def test_a_link_with_unknown_values_opens_the_defaults(page):
    """A link is user input: values that are not options fall back to the page's defaults
    (the last cohort, job seekers, Belgium, main groups, the last year)."""
    at = page("en", {"c_year": "1900", "c_start": "'; drop table x", "c_unit": "x",
                     "c_level": "all", "c_end": "2"})  # fmt: skip
    cohort = int(_published("select max(cohort_year) as y from cohort_figures").y[0])
    assert at.selectbox(key="c_year").value == cohort
    assert at.selectbox(key="c_start").value == "G2"
    assert at.selectbox(key="c_unit").value == "01000"
    assert at.radio(key="c_level").value == "main_groups"
    assert at.selectbox(key="c_end").value == cohort + 1
    assert len(at.dataframe[0].value) == 5 and len(at.dataframe[1].value) == 25
