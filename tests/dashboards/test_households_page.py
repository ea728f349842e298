"""The households page (Streamlit's AppTest, in process): its table and chart hold the
published household_figures, value by value, in each language, and a choice the table does
not publish at the unit's level says so."""

import re

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dwh.core import paths

APP = str(paths.PROJECT_DIR / "dashboards" / "app.py")
PAGE = "views/households.py"
# how the pages write numbers and markers (the Belgian conventions, written out here)
SEPARATORS = {"nl": (".", ","), "fr": ("\u202f", ","), "en": (",", ".")}
HEADERS = {  # area, quarter, household type, households
    "nl": ("Gebied", "Kwartaal", "Type huishouden", "Huishoudens"),
    "fr": ("Territoire", "Trimestre", "Type de ménage", "Ménages"),
    "en": ("Area", "Quarter", "Household type", "Households"),
}
TOTAL = {"nl": "Totaal", "fr": "Total", "en": "Total"}


@pytest.fixture
def app(in_built):
    def open_page(lang: str, params: dict) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["lang"] = lang
        at.run()
        for key, value in params.items():
            at.query_params[key] = value
        at.switch_page(PAGE)
        at.run()
        assert not at.exception, at.exception
        assert not at.error, [e.value for e in at.error]
        return at

    return open_page


def _published(sql: str, params: list) -> pd.DataFrame:
    from dwh.serving.publication import current

    with duckdb.connect(str(current().public), read_only=True) as con:
        return con.execute(sql, params).df()


def _number(text: str, lang: str):
    text = str(text).removesuffix("\u00a0p")
    if text == "x":
        return None
    thousands, decimal = SEPARATORS[lang]
    return float(text.replace(thousands, "").replace(decimal, "."))


@pytest.mark.parametrize(
    ("lang", "params", "where"),
    [
        (  # a region and a municipality by type, every size
            "fr",
            {"h_units": ["03000", "92094"]},
            ["_T", "_T", "_T", "_T"],
        ),
        (  # Belgium and a province: households of 3, reference person a woman aged 35-44
            "nl",
            {"h_units": ["01000", "10000"], "h_size": "3", "h_sex": "F", "h_age": "35-44"},
            ["3", "F", "35-44", "_T"],
        ),
        (  # Brussels by the reference person's nationality
            "en",
            {"h_units": ["04000"], "h_nat": "NEU"},
            ["_T", "_T", "_T", "NEU"],
        ),
    ],
)
def test_the_households_table_and_chart_are_the_published_figures(app, lang, params, where):
    at = app(lang, params)
    units = params["h_units"]
    expected = _published(
        "select * from household_figures where list_contains(?, geo_code) and household_size = ? "
        "and sex = ? and age_class = ? and nationality_group = ?",
        [units, *where],
    )
    types = _published(f"select household_type, label_{lang} as label from dim_household_type", [])
    labels = dict(zip(types.label, types.household_type, strict=True)) | {TOTAL[lang]: "_T"}
    area, quarter, kind, households = HEADERS[lang]
    shown = at.dataframe[0].value
    assert len(shown) == len(expected) > 0
    assert {re.fullmatch(r".+ \(.+, (\d{5})\)", a).group(1) for a in shown[area]} == set(units)
    expected = expected.set_index(["geo_code", "quarter", "household_type"])
    published = 0
    for _, row in shown.iterrows():
        code = re.fullmatch(r".+ \(.+, (\d{5})\)", row[area]).group(1)
        want = expected.loc[(code, row[quarter], labels[row[kind]])]
        got = _number(row[households], lang)
        if pd.isna(want.households):
            assert got is None and want.status == "withheld"
        else:
            assert got == want.households
            published += 1
    assert published > 0
    proto = at.get("vega_lite_chart")[0].proto
    chart = pd.concat(pa.ipc.open_stream(d.data.data).read_pandas() for d in proto.datasets)
    chart = chart.set_index(["geo_code", quarter, "household_type"])
    assert len(chart) == len(expected)
    values = expected[expected.status == "published"]
    assert (chart.loc[values.index, households] == values.households).all()


def test_a_choice_not_published_at_the_municipality_says_so(app):
    """The reference person's breakdowns stop at the arrondissement."""
    at = app("en", {"h_units": ["92094"], "h_sex": "M"})
    assert not at.dataframe
    assert [i.value for i in at.info] == [
        "No figures for this choice: the reference person's characteristics are published "
        "down to the arrondissement, the nationality without sex and age."
    ]
