"""The dashboards, page by page, in every language (Streamlit's AppTest, in process)."""

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dwh.core import paths

APP = str(paths.PROJECT_DIR / "dashboards" / "app.py")
STEWARD = {"name": "sam", "role": "steward", "email": None, "via": "web"}
PAGES = {
    "views/home.py": {"nl": "Arbeidsmarkt", "fr": "Marché du travail", "en": "Labour market"},
    "views/global_figures.py": {
        "nl": "Globale cijfers",
        "fr": "Chiffres globaux",
        "en": "Global figures",
    },
    "views/local_figures.py": {
        "nl": "Lokale cijfers",
        "fr": "Chiffres locaux",
        "en": "Local figures",
    },
    "views/synthetic.py": {"nl": "Synthetische", "fr": "synthétiques", "en": "Synthetic"},
    "views/stewards.py": {"nl": "Beheerders", "fr": "Gestionnaires", "en": "Data stewards"},
}


@pytest.fixture
def app(in_built):
    def open_page(page: str, lang: str = "nl") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["lang"] = lang
        at.session_state["user"] = STEWARD  # the stewards' page is for signed-in stewards
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, at.exception
        return at

    return open_page


def _numbers(at: AppTest, column: str) -> list[str]:
    return [
        v
        for frame in at.dataframe
        if column in frame.value
        for v in frame.value[column].astype(str)
    ]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_every_page_renders_in_every_language(app, page, lang):
    at = app(page, lang)
    assert PAGES[page][lang] in at.title[0].value
    if page not in ("views/synthetic.py", "views/stewards.py"):
        captions = " ".join(c.value for c in at.caption)
        assert {"nl": "Bron", "fr": "Source", "en": "Source"}[lang] in captions


def test_withheld_counts_never_show_a_small_number(app):
    for page in ("views/global_figures.py", "views/local_figures.py"):
        at = app(page, "en")
        if page == "views/local_figures.py":
            at.selectbox(key="l_indicator").set_value("n21").run()
            at.multiselect(key="l_units").set_value(["21004", "63023"]).run()
        values = _numbers(at, "Persons")
        assert values, (page, [list(f.value.columns) for f in at.dataframe], at.exception)
        for value in values:
            assert value == "x" or int(value.replace(" ", "")) > 5, value


def test_a_year_is_withheld_when_one_of_its_quarters_is(app, in_built):
    """The yearly view averages the four quarters, and withholds a year with a withheld
    quarter (averaging the published ones only would show small counts as 6 or more)."""
    import duckdb

    from dwh.serving.publication import current

    at = app("views/global_figures.py", "en")
    at.toggle(key="g_year").set_value(True).run()
    at.radio(key="g_level").set_value("categories").run()
    at.selectbox(key="g_nat").set_value("NEU").run()
    shown = at.dataframe[0].value
    with duckdb.connect(str(current().public), read_only=True) as con:
        expected = con.execute(
            "select left(quarter, 4) as year, case when count(persons) = count(*) then "
            "round(avg(persons)) end as persons, count(persons) between 1 and count(*) - 1 "
            "as mixed from global_figures where geo_level = 'country' and sex = '_T' and "
            "age_class = '_T' and nationality_group = 'NEU' and position like 'n%' group by "
            "position, left(quarter, 4)"
        ).df()
    assert expected["mixed"].any()  # a year with both withheld and published quarters
    for year, rows in shown.groupby("Year"):
        values = expected[expected["year"] == str(year)]["persons"]
        want = sorted("x" if pd.isna(v) else f"{int(v):,}".replace(",", " ") for v in values)
        assert sorted(rows["Persons"].astype(str)) == want, year


def test_filters_change_the_figures(app):
    at = app("views/global_figures.py", "en")
    before = at.dataframe[0].value.copy()
    at.selectbox(key="g_sex").set_value("F").run()
    after = at.dataframe[0].value
    assert not at.exception
    assert list(before.columns) == list(after.columns) and not before.equals(after)
    at.radio(key="g_level").set_value("categories").run()
    assert len(at.dataframe[0].value) > len(after)


def test_local_page_explains_a_merged_municipality(app):
    at = app("views/local_figures.py", "en")
    at.selectbox(key="l_quarter").set_value("2025Q1").run()
    at.multiselect(key="l_units").set_value(["11007"]).run()  # Borsbeek, merged into Antwerpen
    assert any("merged into" in i.value and "11002" in i.value for i in at.info)
    comparison = at.dataframe[0].value
    assert "11002" in set(comparison["NIS"]) and "01000" in set(comparison["NIS"])


def test_downloads_hold_exactly_the_table_shown(app):
    import sys

    sys.path.insert(0, str(paths.PROJECT_DIR / "dashboards"))
    from figures import downloads

    at = app("views/global_figures.py", "en")
    shown = at.dataframe[0].value.reset_index(drop=True)
    csv, excel = downloads(shown)
    pd.testing.assert_frame_equal(pd.read_csv(io.BytesIO(csv), dtype=str), shown.astype(str))
    pd.testing.assert_frame_equal(pd.read_excel(io.BytesIO(excel), dtype=str), shown.astype(str))


def test_a_new_publication_is_shown_without_restarting(app, in_built):
    from dwh.publish import publish

    first = app("views/home.py", "en").metric[0].value
    publish()
    second = app("views/home.py", "en").metric[0].value
    assert first != second


@pytest.mark.parametrize(
    "page",
    ["views/home.py", "views/global_figures.py", "views/local_figures.py", "views/stewards.py"],
)
def test_a_page_without_a_publication_says_what_to_run(dwh_home, page):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["user"] = STEWARD
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        "No figures are published yet. Run `dwh build` and `dwh publish`."
    ]
    assert not at.dataframe
