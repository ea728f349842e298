"""The dashboards, page by page, in every language (Streamlit's AppTest, in process): every
table and chart of the figure pages read back and compared, value by value, with the
published tables read directly from the publication's public file."""

import json
import re

import duckdb
import pandas as pd
import pyarrow as pa
import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema
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
    "views/profile.py": {"nl": "Profiel", "fr": "Profil", "en": "profile"},
    "views/disability.py": {"nl": "Handicap", "fr": "Handicap", "en": "Disability"},
    "views/households.py": {"nl": "Huishoudens", "fr": "Ménages", "en": "Households"},
    "views/mobility.py": {"nl": "Mobiliteit", "fr": "Mobilité", "en": "Mobility"},
    "views/cohorts.py": {"nl": "Cohorten", "fr": "Cohortes", "en": "Cohorts"},
    "views/synthetic.py": {"nl": "Synthetische", "fr": "synthétiques", "en": "Synthetic"},
    "views/stewards.py": {"nl": "Beheerders", "fr": "Gestionnaires", "en": "Data stewards"},
}
CHARTS = {page: 0 for page in PAGES} | {  # charts each page opens with
    "views/global_figures.py": 2,
    "views/local_figures.py": 1,
    "views/profile.py": 2,
    "views/disability.py": 1,
    "views/households.py": 1,
    "views/mobility.py": 1,
    "views/cohorts.py": 2,
}
VEGA_LITE = load_schema()
# how the pages write numbers and markers (the Belgian conventions, written out here)
SEPARATORS = {"nl": (".", ","), "fr": ("\u202f", ","), "en": (",", ".")}
NOT_AVAILABLE = {"nl": "n.b.", "fr": "n.d.", "en": "n.a."}
NOT_APPLICABLE = {"nl": "n.v.t.", "fr": "s.o.", "en": "n.app."}
LEVELS = {
    "nl": ["gemeente", "arrondissement", "provincie", "gewest", "land"],
    "fr": ["commune", "arrondissement", "province", "région", "pays"],
    "en": ["municipality", "arrondissement", "province", "region", "country"],
}
LEVEL_CODES = ["municipality", "arrondissement", "province", "region", "country"]
HEADERS = {  # column headers of the tables, per language
    "nl": {"persons": "Personen", "residents": "Inwoners", "rate": "Graad (%)", "area": "Gebied"},
    "fr": {
        "persons": "Personnes",
        "residents": "Habitants",
        "rate": "Taux (%)",
        "area": "Territoire",
    },
    "en": {"persons": "Persons", "residents": "Residents", "rate": "Rate (%)", "area": "Area"},
}


@pytest.fixture
def app(in_built):
    def open_page(page: str, lang: str = "nl", params: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        at.session_state["lang"] = lang
        at.session_state["user"] = STEWARD  # the stewards' page is for signed-in stewards
        at.run()
        for key, value in (params or {}).items():
            at.query_params[key] = value
        at.switch_page(page)
        at.run()
        _fine(at)
        return at

    return open_page


def _fine(at: AppTest):
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def _published(sql: str, params: list | None = None) -> pd.DataFrame:
    """Rows of the served publication's public file, read directly."""
    from dwh.serving.publication import current

    with duckdb.connect(str(current().public), read_only=True) as con:
        return con.execute(sql, params or []).df()


def _read(text, lang: str):
    """A shown cell as (number or marker, provisional)."""
    text = str(text)
    provisional = text.endswith("\u00a0p")
    text = text.removesuffix("\u00a0p")
    if text in ("x", NOT_AVAILABLE[lang], NOT_APPLICABLE[lang]):
        return text, provisional
    thousands, decimal = SEPARATORS[lang]
    return float(text.replace(thousands, "").replace(decimal, ".")), provisional


def _check(shown, value, status: str, provisional: bool, lang: str, places: int = 0):
    """A shown cell is the published value at the shown precision, with the provisional
    mark when the figure is provisional, or, where the publication has no value, the marker
    of its status (an indicator withheld for its numerator still shows its denominator)."""
    got, mark = _read(shown, lang)
    if pd.notna(value):
        assert isinstance(got, float) and abs(got - value) <= 0.5 * 10**-places + 1e-9, (
            shown,
            value,
        )
        assert mark == bool(provisional), (shown, provisional)
    else:
        assert status != "published"
        marker = {
            "withheld": "x",
            "not_available": NOT_AVAILABLE[lang],
            "not_applicable": NOT_APPLICABLE[lang],
        }[status]
        assert (got, mark) == (marker, False), (shown, status)


def _chain(code: str) -> list[str]:
    """A unit and the units above it, from the published geography."""
    return _published(
        "with recursive up(code, depth) as (select ?, 0 union all select g.parent_code, "
        "depth + 1 from up join dim_geography g on g.geo_code = up.code where g.parent_code "
        "is not null) select code from up order by depth",
        [code],
    ).code.tolist()


def _chart(at: AppTest, index: int) -> pd.DataFrame:
    """The data of the index-th chart of the page."""
    proto = at.get("vega_lite_chart")[index].proto
    return pd.concat(
        pa.ipc.open_stream(d.data.data).read_pandas() for d in proto.datasets
    ).reset_index(drop=True)


def _labels(column: str, lang: str) -> dict:
    table = {"sex": "dim_sex", "indicator": "dim_indicator"}[column]
    rows = _published(f"select {column} as code, label_{lang} as label from {table}")
    return dict(zip(rows.code, rows.label, strict=True))


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_every_page_renders_in_every_language(app, page, lang):
    """Each page opens with its title, and its charts are valid Vega-Lite (the server leaves
    Altair's check of each finished chart out: formats.py)."""
    at = app(page, lang)
    assert PAGES[page][lang].lower() in at.title[0].value.lower()
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(charts) == CHARTS[page]
    for spec in charts:
        validate_jsonschema(spec, VEGA_LITE)
    if page not in ("views/synthetic.py", "views/stewards.py"):
        captions = " ".join(c.value for c in at.caption)
        assert {"nl": "Bron", "fr": "Source", "en": "Source"}[lang] in captions


INDICATOR_COMPARISONS = [
    ("fr", "92142", "employment_rate_20_64", "_T", "2025Q4"),  # Gembloux
    ("nl", "24062", "job_seeker_rate", "F", "2025Q2"),  # Leuven, provisional ONEM 2025
    ("en", "90000", "share_n39", "_T", "2024Q3"),  # a province; FOD SZ 2024 missing
    ("en", "21000", "inactivity_rate", "M", "2025Q1"),  # Brussels: no province
]


@pytest.mark.parametrize(("lang", "unit", "indicator", "sex", "quarter"), INDICATOR_COMPARISONS)
def test_local_comparison_of_an_indicator_is_the_published_one(
    app, lang, unit, indicator, sex, quarter
):
    at = app(
        "views/local_figures.py",
        lang,
        {"l_unit": unit, "l_measure": indicator, "l_sex": sex, "l_quarter": quarter},
    )
    shown = at.dataframe[0].value
    chain = _chain(unit)
    assert shown["NIS"].tolist() == chain
    dims = _published("select * from dim_indicator where indicator = ?", [indicator]).iloc[0]
    numerator = dims[f"numerator_label_{lang}"].capitalize()
    denominator = dims[f"denominator_label_{lang}"].capitalize()
    expected = _published(
        "select i.*, g.geo_level, g.name_" + lang + " as name from indicators i join "
        "dim_geography g using (geo_code) where quarter = ? and sex = ? and indicator = ? "
        "and nationality_group = '_T' and list_contains(?, geo_code)",
        [quarter, sex, indicator, chain],
    ).set_index("geo_code")
    levels = dict(zip(LEVEL_CODES, LEVELS[lang], strict=True))
    for _, row in shown.iterrows():
        want = expected.loc[row["NIS"]]
        assert row[_level_header(lang)] == levels[want.geo_level]
        assert row[HEADERS[lang]["area"]] == want["name"]
        for column, value, places in (
            (numerator, want.numerator, 0),
            (denominator, want.denominator, 0),
            (HEADERS[lang]["rate"], want.rate, 1),
        ):
            _check(row[column], value, want.status, want.is_provisional, lang, places)
    statuses = set(expected.status)
    if indicator == "share_n39":  # the missing delivery shows as not available, named
        assert statuses == {"not_available"}
        names = _published("select institution_name_en from source_status where "
                           "institution_code = 'fodss'").iloc[0, 0]  # fmt: skip
        assert any(names in c.value for c in at.caption)
    if indicator == "job_seeker_rate":
        assert expected.is_provisional.all()
    definitions = [e for e in at.expander]
    assert any(dims[f"definition_{lang}"] in m.value for e in definitions for m in e.markdown)


def _level_header(lang: str) -> str:
    return {"nl": "Niveau", "fr": "Niveau", "en": "Level"}[lang]


@pytest.mark.parametrize(
    ("lang", "unit", "position", "sex", "age", "quarter"),
    [
        ("nl", "24062", "G1", "_T", "25-34", "2025Q3"),
        ("fr", "92142", "n39", "_T", "_T", "2024Q2"),
        ("en", "11000", "n21", "F", "_T", "2025Q4"),
    ],
)
def test_local_comparison_of_a_count_is_the_published_one(
    app, lang, unit, position, sex, age, quarter
):
    at = app(
        "views/local_figures.py",
        lang,
        {
            "l_unit": unit,
            "l_measure": position,
            "l_sex": sex,
            "l_age": age,
            "l_quarter": quarter,
        },
    )
    shown = at.dataframe[0].value
    chain = _chain(unit)
    assert shown["NIS"].tolist() == chain
    figures = _published(
        "select * from local_figures where quarter = ? and sex = ? and age_class = ? and "
        "list_contains(?, position) and list_contains(?, geo_code)",
        [quarter, sex, age, [position, "_T"], chain],
    )
    own = figures[figures.position == position].set_index("geo_code")
    total = figures[figures.position == "_T"].set_index("geo_code")
    for _, row in shown.iterrows():
        count, residents = own.loc[row["NIS"]], total.loc[row["NIS"]]
        provisional = count.is_provisional or residents.is_provisional
        _check(row[HEADERS[lang]["persons"]], count.persons, count.status, provisional, lang)
        # a row has one marker: missing residents beside a missing count take the count's
        status = residents.status
        if status != "published" and count.status != "published":
            status = count.status
        _check(row[HEADERS[lang]["residents"]], residents.persons, status, provisional, lang)


def test_a_municipality_is_shown_through_the_crosswalk(app):
    """Bastogne (82039) did not exist before 2 December 2024: its predecessors stand for it;
    Borsbeek (11007), merged into Antwerpen in 2025, is shown as Antwerpen."""
    at = app(
        "views/local_figures.py",
        "en",
        {"l_unit": "82039", "l_other": "11007", "l_measure": "_T", "l_quarter": "2025Q1"},
    )
    assert any("merged into" in i.value and "11002" in i.value for i in at.info)
    assert set(at.dataframe[0].value["NIS"]) >= {"82039", "11002", "01000"}
    at.selectbox(key="l_quarter").set_value("2024Q1").run()
    _fine(at)
    notes = " ".join(i.value for i in at.info)
    assert "did not exist yet" in notes and "82003" in notes and "82005" in notes
    codes = at.dataframe[0].value["NIS"].tolist()
    assert {"82003", "82005", "82000", "11007"} <= set(codes) and "82039" not in codes
    residents = _published(
        "select * from local_figures where quarter = '2024Q1' and sex = '_T' "
        "and age_class = '_T' and position = '_T' and geo_code in ('82003', '82005')"
    ).set_index("geo_code")
    shown = at.dataframe[0].value.set_index("NIS")["Residents"]
    for code, want in residents.iterrows():
        _check(shown[code], want.persons, want.status, want.is_provisional, "en")


def test_ranking_by_level_with_numerator_denominator_and_a_minimum(app):
    quarter = "2025Q3"
    published = _published(
        "select denominator, status from indicators where geo_level = 'province' "
        "and quarter = ? and sex = '_T' and indicator = 'employment_rate_15_64' "
        "and nationality_group = '_T'",
        [quarter],
    )
    # the page's smallest minimum that leaves some provinces out and keeps three (which one
    # depends on the run's key: the denominators are perturbed counts)
    minimum = next(
        m
        for m in (100, 500, 1000, 5000)
        if 3 <= ((published.denominator >= m) | (published.status == "not_available")).sum() < 10
    )
    at = app(
        "views/local_figures.py",
        "en",
        {
            "l_measure": "employment_rate_15_64",
            "l_quarter": quarter,
            "l_level": "province",
            "l_minimum": str(minimum),
        },
    )
    ranking = at.dataframe[0].value
    expected = _published(
        "select * from indicators where geo_level = 'province' and quarter = ? and sex = '_T' "
        "and indicator = 'employment_rate_15_64' and nationality_group = '_T' "
        "and (denominator >= ? or status = 'not_available') "
        "order by rate desc nulls last, geo_code",  # ties in the order of their codes
        [quarter, minimum],
    )
    provinces = _published("select count(*) from dim_geography where geo_level = 'province'")
    assert 3 <= len(expected) < provinces.iloc[0, 0]  # the minimum leaves some out
    assert ranking["NIS"].tolist() == expected.geo_code.tolist()
    for (_, row), (_, want) in zip(ranking.iterrows(), expected.iterrows(), strict=True):
        for column, value, places in (
            ("Persons in work aged 15-64", want.numerator, 0),
            ("Residents aged 15-64", want.denominator, 0),
            ("Rate (%)", want.rate, 1),
        ):
            _check(row[column], value, want.status, want.is_provisional, "en", places)


def test_map_shows_every_municipality_and_labels_the_gaps(app):
    quarter = "2025Q2"
    at = app(
        "views/local_figures.py",
        "fr",
        {"l_measure": "n21", "l_quarter": quarter},
    )
    data = _chart(at, 0)
    expected = _published(
        "select m.nis_code, coalesce(m.merged_into_nis_code, m.nis_code) as shown_code, "
        "f.persons, f.status, f.is_provisional from dim_municipality m join local_figures f "
        "on f.geo_code = coalesce(m.merged_into_nis_code, m.nis_code) where m.valid_from = "
        "'2019-01-01' and f.quarter = ? and f.sex = '_T' and f.age_class = '_T' and "
        "f.position = 'n21'",
        [quarter],
    ).set_index("nis_code")
    data = data.set_index(data.code_2019.astype(str).str.zfill(5))
    assert set(data.index) == set(expected.index) and len(data) == 581
    gap = {"withheld": "x : masqué", "not_available": "n.d. : non disponible"}  # French spaces
    for code, want in expected.iterrows():
        got = data.loc[code]
        if want.status == "published":
            assert got.value == want.persons and pd.isna(got.gap), code
        else:
            assert pd.isna(got.value) and got.gap == gap[want.status], code
        assert got.provisional == ("provisoire" if want.is_provisional else ""), code
    assert {"x : masqué"} <= set(data.gap.dropna())  # the legend has something to explain
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    legends = [layer["encoding"]["color"] for layer in spec["layer"]]
    assert {"title": "Pas de chiffre", "domain": list(gap.values())} in [
        {"title": c["title"], "domain": c["scale"].get("domain")} for c in legends
    ]


def test_rates_of_small_populations_come_with_a_warning(app):
    """Leuven's 20-64-year-olds number a few dozen in the session's population: its rate
    moves by points with the noise; Belgium's does not (its denominator is in the thousands)."""
    warning = "with a denominator under 1,000"
    denominators = (
        _published(
            "select geo_code, denominator from indicators where indicator = "
            "'employment_rate_20_64' and sex = '_T' and nationality_group = '_T' and quarter = "
            "(select max(quarter) from indicators) and geo_code in ('24062', '01000')"
        )
        .set_index("geo_code")
        .denominator
    )
    assert denominators["24062"] < 1000 < denominators["01000"]
    at = app("views/local_figures.py", "en", {"l_unit": "24062"})
    assert any(warning in c.value for c in at.caption)
    at = app("views/local_figures.py", "en", {"l_unit": "01000"})
    assert not any(warning in c.value for c in at.caption)


def test_a_map_without_any_figure_has_no_empty_scale(app):
    """FOD SZ's 2024 file is missing: no municipality has n39 in 2024Q4, so the map has only
    the legend of the gaps (a colour scale of no value read "NaN")."""
    at = app("views/local_figures.py", "fr", {"l_measure": "n39", "l_quarter": "2024Q4"})
    data = _chart(at, 0)
    assert data.value.isna().all() and set(data.gap) == {"n.d. : non disponible"}
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert [layer["encoding"]["color"]["title"] for layer in spec["layer"]] == ["Pas de chiffre"]


def test_units_are_named_in_the_chosen_language_first_with_their_level(app):
    at = app("views/local_figures.py", "fr")
    options = at.selectbox(key="l_unit").options
    assert "Namur / Namen (province, 90000)" in options
    assert "Bruxelles-Capitale / Brussel-Hoofdstad (arrondissement, 21000)" in options
    at = app("views/local_figures.py", "nl")
    assert "Namen / Namur (provincie, 90000)" in at.selectbox(key="l_unit").options


def _global_rows(at: AppTest, index: int) -> pd.DataFrame:
    return at.dataframe[index].value.reset_index(drop=True)


@pytest.mark.parametrize(
    ("lang", "units", "sex", "age", "nationality"),
    [("en", ["01000", "02000"], "F", "25-34", "_T"), ("nl", ["03000"], "_T", "_T", "NEU")],
)
def test_global_tables_are_the_published_figures(app, lang, units, sex, age, nationality):
    at = app(
        "views/global_figures.py",
        lang,
        {"g_units": units, "g_level": "categories", "g_sex": sex, "g_age": age,
         "g_nat": nationality},
    )  # fmt: skip
    names = _published(f"select geo_code, name_{lang} as name from dim_geography")
    names = dict(zip(names.name, names.geo_code, strict=False))
    positions = _published(f"select position_code, label_{lang} as label from "
                           "dim_socio_economic_position")  # fmt: skip
    positions = dict(zip(positions.label, positions.position_code, strict=True))
    figures = _published(
        "select * from global_figures where list_contains(?, geo_code) and sex = ? and "
        "age_class = ? and nationality_group = ? and position like 'n%'",
        [units, sex, age, nationality],
    ).set_index(["geo_code", "quarter", "position"])
    composition = _global_rows(at, 0)
    quarter, area, persons = ("Quarter", "Area", "Persons") if lang == "en" else (
        "Kwartaal", "Gebied", "Personen"
    )  # fmt: skip
    assert len(composition) == len(figures)
    for _, row in composition.iterrows():
        key = (names[row[area]], row[quarter], positions[row["Positie" if lang == "nl" else
                                                             "Position"]])  # fmt: skip
        want = figures.loc[key]
        _check(row[persons], want.persons, want.status, want.is_provisional, lang)
    chart = _chart(at, 0).set_index(["geo_code", quarter, "position"])
    assert len(chart) == len(figures)
    for key, want in figures.iterrows():
        got = chart.loc[key]
        assert (got[persons] == want.persons) if want.status == "published" else (
            pd.isna(got[persons]) and got.flag.startswith("x" if want.status == "withheld"
                                                          else NOT_AVAILABLE[lang])
        ), (key, want.status)  # fmt: skip

    rates = _global_rows(at, 1)
    indicators = _labels("indicator", lang)
    by_label = {v: k for k, v in indicators.items()}
    expected = _published(
        "select * from indicators where list_contains(?, geo_code) and sex = ? and "
        "nationality_group = ? and indicator in ('employment_rate_20_64', 'job_seeker_rate', "
        "'inactivity_rate')",
        [units, sex, nationality],
    ).set_index(["geo_code", "quarter", "indicator"])
    assert len(rates) == len(expected)
    headers = {
        "en": ("Indicator", "Numerator", "Denominator", "Rate (%)"),
        "nl": ("Indicator", "Teller", "Noemer", "Graad (%)"),
    }[lang]
    for _, row in rates.iterrows():
        want = expected.loc[(names[row[area]], row[quarter], by_label[row[headers[0]]])]
        for column, value, places in zip(
            headers[1:], (want.numerator, want.denominator, want.rate), (0, 0, 1), strict=True
        ):
            _check(row[column], value, want.status, want.is_provisional, lang, places)
    lines = _chart(at, 1)
    assert sorted(lines.dropna(subset=[headers[3]])[headers[3]].round(6)) == sorted(
        expected.rate.dropna().round(6)
    )


def test_a_year_is_withheld_or_not_available_when_one_of_its_quarters_is(app):
    """The yearly view averages the four quarters, and withholds a year with a withheld
    quarter (averaging the published ones only would show small counts as 6 or more)."""
    at = app(
        "views/global_figures.py",
        "en",
        {"g_year": "true", "g_level": "categories", "g_nat": "NEU"},
    )
    shown = at.dataframe[0].value
    expected = _published(
        "select left(quarter, 4) as year, position, case when count(persons) = count(*) then "
        "round(avg(persons)) end as persons, case when bool_or(status = 'not_available') "
        "then 'not_available' when bool_or(status = 'withheld') then 'withheld' else "
        "'published' end as status, bool_or(is_provisional) as provisional, "
        "count(persons) between 1 and count(*) - 1 as mixed from global_figures where "
        "geo_level = 'country' and sex = '_T' and age_class = '_T' and "
        "nationality_group = 'NEU' and position like 'n%' group by all"
    )
    assert expected["mixed"].any()  # a year with both withheld and published quarters
    assert set(expected.status) == {"published", "withheld", "not_available"}
    labels = _published("select position_code, label_en from dim_socio_economic_position")
    codes = dict(zip(labels.label_en, labels.position_code, strict=True))
    expected = expected.set_index(["year", "position"])
    assert len(shown) == len(expected)
    for _, row in shown.iterrows():
        want = expected.loc[(str(row["Year"]), codes[row["Position"]])]
        _check(row["Persons"], want.persons, want.status, want.provisional, "en")
    captions = " ".join(c.value for c in at.caption)
    assert "yearly average" in captions and "last day of the quarter" not in captions


@pytest.mark.parametrize(
    ("lang", "unit"), [("fr", "92142"), ("nl", "44000"), ("en", "02000"), ("en", "82039")]
)
def test_profile_is_the_published_figures(app, lang, unit):
    at = app("views/profile.py", lang, {"p_unit": unit})
    if unit == "82039":  # Bastogne since 2 December 2024: its predecessors are named
        assert [i.value for i in at.info] == [
            "Bastogne exists since 2 December 2024: this page shows the quarters since then; "
            "the figures before are on the profiles of the municipalities merged into it: "
            "Bastogne (82003), Bertogne (82005)."
        ]
    groups = at.dataframe[0].value
    figures = _published(
        "select * from local_figures where geo_code = ? and sex = '_T' and age_class = '_T' "
        "and position in ('G1', 'G2', 'G3', 'G4', '_T')",
        [unit],
    )
    assert len(groups) == len(figures) == 5 * len(figures.quarter.unique())
    quarter, persons = {"fr": ("Trimestre", "Personnes"), "nl": ("Kwartaal", "Personen"),
                        "en": ("Quarter", "Persons")}[lang]  # fmt: skip
    labels = _published(
        f"select distinct main_group_code, main_group_label_{lang} as label "
        "from dim_socio_economic_position"
    )
    codes = {label: f"G{g}" for g, label in zip(labels.main_group_code, labels.label,
                                                 strict=True)}  # fmt: skip
    codes[{"fr": "Total", "nl": "Totaal", "en": "Total"}[lang]] = "_T"
    position = {"fr": "Position", "nl": "Positie", "en": "Position"}[lang]
    figures = figures.set_index(["quarter", "position"])
    for _, row in groups.iterrows():
        want = figures.loc[(row[quarter], codes[row[position]])]
        _check(row[persons], want.persons, want.status, want.is_provisional, lang)
    chart = _chart(at, 0).set_index(["quarter", "position"])
    assert len(chart) == len(figures)
    for key, want in figures.iterrows():
        got = chart[persons][key]
        assert got == want.persons if want.status == "published" else pd.isna(got), key

    chain = _chain(unit)
    latest = figures.index.get_level_values("quarter").max()
    expected = _published(
        "select i.*, d.sort_order from indicators i join dim_indicator d using (indicator) "
        "where quarter = ? and sex = '_T' and nationality_group = '_T' and "
        "list_contains(?, geo_code)",
        [latest, chain],
    )
    expected["depth"] = expected.geo_code.map(chain.index)
    expected = expected.sort_values(["sort_order", "depth"])
    table = at.dataframe[1].value
    assert len(table) == len(expected) == 13 * len(chain)
    numerator, denominator, rate = {
        "fr": ("Numérateur", "Dénominateur", "Taux (%)"),
        "nl": ("Teller", "Noemer", "Graad (%)"),
        "en": ("Numerator", "Denominator", "Rate (%)"),
    }[lang]
    for (_, row), (_, want) in zip(table.iterrows(), expected.iterrows(), strict=True):
        for column, value, places in (
            (numerator, want.numerator, 0),
            (denominator, want.denominator, 0),
            (rate, want.rate, 1),
        ):
            _check(row[column], value, want.status, want.is_provisional, lang, places)

    series = _published(
        "select rate from indicators where sex = '_T' and nationality_group = '_T' and "
        "list_contains(?, geo_code)",
        [chain],
    )
    chart = _chart(at, 1)
    assert sorted(chart[rate].dropna().round(6)) == sorted(series.rate.dropna().round(6))


def test_home_tables_are_the_published_dimensions(app):
    at = app("views/home.py", "fr")
    positions = _published("select * from dim_socio_economic_position order by category")
    shown = at.dataframe[0].value
    assert shown["code"].tolist() == positions.position_code.tolist()
    assert shown["Position"].tolist() == positions.label_fr.tolist()
    status = _published("select * from source_status")
    matrix = at.dataframe[1].value
    words = {"received": "reçue", "missing": "manquante", "rejected": "refusée",
             "provisional": "provisoire"}  # fmt: skip
    for _, row in status.iterrows():
        assert matrix.loc[row.institution_name_fr, row.year] == words[row.registration_status]


def test_a_new_publication_is_shown_without_restarting(app, in_built):
    from dwh.publish import publish

    def source(at):
        return next(c.value for c in at.caption if c.value.startswith("Source"))

    first = source(app("views/home.py", "en"))
    publish()
    second = source(app("views/home.py", "en"))
    assert first != second


@pytest.mark.parametrize(
    "page",
    [
        "views/home.py",
        "views/global_figures.py",
        "views/local_figures.py",
        "views/profile.py",
        "views/stewards.py",
    ],
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
        "No figures are published yet: come back later. "
        "(Data stewards: `dwh build`, then `dwh publish`.)"
    ]
    assert not at.dataframe


@pytest.mark.parametrize(
    ("lang", "units", "sex", "age"),
    [("fr", ["03000", "57000"], "F", "_T"), ("nl", ["01000", "11000"], "_T", "65-74")],
)
def test_disability_tables_and_charts_are_the_published_figures(app, lang, units, sex, age):
    """The disability page's table and chart hold disability_figures' values, statuses and
    flags for a region and a province or arrondissement, by sex or age class."""
    at = app("views/disability.py", lang, {"d_units": units, "d_sex": sex, "d_age": age})
    expected = _published(
        "select * from disability_figures where list_contains(?, geo_code) and sex = ? "
        "and age_class = ?",
        [units, sex, age],
    )
    assert set(expected.disability_status) == {"D1", "D2", "_T"}
    # no Walloon source gives D1: not applicable there, not a withheld zero
    walloon = expected.geo_code.isin(["03000", "57000"])
    assert set(expected[walloon & (expected.disability_status == "D1")].status) <= {
        "not_applicable"
    }
    assert walloon.any() == (lang == "fr")
    statuses = _published(f"select disability_status, label_{lang} as label from "
                          "dim_disability_status")  # fmt: skip
    statuses = dict(zip(statuses.label, statuses.disability_status, strict=True))
    statuses[{"fr": "l'un ou l'autre", "nl": "een van beide"}[lang]] = "_T"
    expected = expected.set_index(["geo_code", "quarter", "disability_status"])
    area, quarter, status, persons = {
        "fr": ("Territoire", "Trimestre", "Statut de handicap", "Personnes"),
        "nl": ("Gebied", "Kwartaal", "Handicapstatus", "Personen"),
    }[lang]
    shown = at.dataframe[0].value
    assert len(shown) == len(expected)
    for _, row in shown.iterrows():
        code = re.fullmatch(r".+ \(.+, (\d{5})\)", row[area]).group(1)  # "Namur (province, 90000)"
        want = expected.loc[(code, row[quarter], statuses[row[status]])]
        _check(row[persons], want.persons, want.status, want.is_provisional, lang)
    chart = _chart(at, 0).set_index(["geo_code", quarter, "disability_status"])
    assert len(chart) == len(expected)
    published = expected[expected.status == "published"]
    assert (chart.loc[published.index, persons] == published.persons).all()
