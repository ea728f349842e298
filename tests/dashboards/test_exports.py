"""Numbers, dates, downloads and colours of the figures pages as each language writes them:
the CSV and Excel files read back as numbers with their flags and metadata, nothing in them a
spreadsheet would run, one colour per position in every language."""

import datetime
import io
import math

import openpyxl
import pandas as pd
import pytest
import streamlit as st

from dwh.core import paths

NAN = float("nan")


@pytest.fixture
def modules(monkeypatch):
    """The dashboards' modules, and a function choosing the language."""
    monkeypatch.syspath_prepend(str(paths.PROJECT_DIR / "dashboards"))
    import colours
    import figures
    import formats

    def language(lang: str):
        monkeypatch.setitem(st.session_state, "lang", lang)

    language("nl")
    return figures, formats, colours, language


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", ["0", "5", "1.234,5", "1.234.567", "-1.234,5", "", "0,3", "10.882"]),
        ("fr", ["0", "5", "1\u202f234,5", "1\u202f234\u202f567", "-1\u202f234,5", "", "0,3",
                "10\u202f882"]),
        ("en", ["0", "5", "1,234.5", "1,234,567", "-1,234.5", "", "0.3", "10,882"]),
    ],
)  # fmt: skip
def test_numbers_as_each_language_writes_them(modules, lang, expected):
    _, formats, _, language = modules
    language(lang)
    decimals = [0, 0, 1, 0, 1, 0, 1, 0]
    values = [0, 5, 1234.5, 1234567, -1234.5, NAN, 0.25, 10882.0]
    assert [formats.number(v, d) for v, d in zip(values, decimals, strict=True)] == expected
    assert formats.number(-0.04, 1) == {"nl": "0,0", "fr": "0,0", "en": "0.0"}[lang]  # no -0
    assert formats.number(2.5) == "3" and formats.number(0.285, 2).endswith("29")  # halves up
    assert formats.percent(40.45) == {"nl": "40,5%", "fr": "40,5\u202f%", "en": "40.5%"}[lang]
    assert formats.percent(None) == ""
    assert formats.parse(formats.number(1234567.5, 1)) == 1234567.5


def test_dates_as_each_language_writes_them(modules):
    _, formats, _, language = modules
    day = datetime.date(2025, 12, 31)
    expected = {"nl": "31 december 2025", "fr": "31 décembre 2025", "en": "31 December 2025"}
    for lang, text in expected.items():
        language(lang)
        assert formats.date(day) == text
    assert formats.date("2026-03-01T09:05:00+00:00", time=True) == "1 March 2026 09:05"


def test_charts_carry_the_number_locale_of_the_language(modules):
    import altair as alt

    _, formats, _, language = modules
    chart = alt.Chart(pd.DataFrame({"a": [1234.5]})).mark_bar().encode(x="a:Q")
    for lang, (decimal, thousands) in {"nl": (",", "."), "fr": (",", "\u202f")}.items():
        language(lang)
        spec = formats.localised(chart).to_dict()
        assert spec["config"]["locale"]["number"]["decimal"] == decimal
        assert spec["config"]["locale"]["number"]["thousands"] == thousands
        assert spec["config"]["numberFormat"] == ",~f"  # grouped, the value's own decimals


FRAME = pd.DataFrame(
    {
        "Gebied": ["Leuven", '=HYPERLINK("http://x")', "Namen", "Aalst", "Gent"],
        "Personen": [10882.0, 0.0, NAN, 7.0, NAN],
        "Aandeel (%)": [40.45, -3.25, NAN, 1234.5, NAN],
        "status": ["published", "published", "withheld", "published", "not_available"],
        "is_provisional": [False, False, False, True, False],
        "unavailable_sources": [None, None, None, None, "fodss"],
        "provisional_sources": [None, None, None, "onem", None],
    }
)
PERSONS = [10882, 0, None, 7, None]  # as the frame holds them
SHARES = [40.5, -3.3, None, 1234.5, None]  # rounded halves up to the one decimal shown
FLAGS = {
    "nl": [None, None, "weggelaten", "voorlopig (RVA)", "niet beschikbaar (FOD SZ)"],
    "fr": [None, None, "masqué", "provisoire (ONEM)", "non disponible (SPF SS)"],
    "en": [None, None, "withheld", "provisional (NEO)", "not available (FPS SS)"],
}
SOURCES = {
    "nl": {"fodss": "FOD SZ", "onem": "RVA"},
    "fr": {"fodss": "SPF SS", "onem": "ONEM"},
    "en": {"fodss": "FPS SS", "onem": "NEO"},
}


def test_the_table_shows_numbers_and_markers_in_the_language(modules):
    figures, _, _, language = modules
    expected = {
        "nl": (["10.882", "0", "x", "7\u00a0p", "n.b."], ["40,5", "-3,3", "x", "1.234,5\u00a0p"]),
        "fr": (["10\u202f882", "0", "x", "7\u00a0p", "n.d."], ["40,5", "-3,3", "x",
                                                                 "1\u202f234,5\u00a0p"]),
        "en": (["10,882", "0", "x", "7\u00a0p", "n.a."], ["40.5", "-3.3", "x", "1,234.5\u00a0p"]),
    }  # fmt: skip
    for lang, (persons, shares) in expected.items():
        language(lang)
        shown = figures.displayed(FRAME)
        assert list(shown.columns) == ["Gebied", "Personen", "Aandeel (%)"]  # no row flags
        assert shown["Personen"].tolist() == persons
        assert shown["Aandeel (%)"].tolist()[:4] == shares
        legend = figures.legend(FRAME, SOURCES[lang])
        assert len(legend) == 2
        assert legend[0].startswith(persons[-1]) and SOURCES[lang]["fodss"] in legend[0]
        assert legend[1].startswith("p") and SOURCES[lang]["onem"] in legend[1]
    assert figures.legend(FRAME[FRAME.status == "published"].drop(index=3)) == []
    withheld = FRAME.assign(is_provisional=FRAME.status != "published")  # no number to mark
    assert figures.displayed(withheld)["Personen"].tolist()[2:] == ["x", "7", "n.a."]
    assert len(figures.legend(withheld)) == 1


def test_a_figure_no_source_gives_is_marked_not_applicable(modules):
    """Not applicable (no source in the region) is neither withheld nor not available: its
    own marker in the table, a legend line without institutions, its word in the downloads."""
    figures, _, _, language = modules
    frame = FRAME.assign(status=["published", "published", "withheld", "published",
                                 "not_applicable"], unavailable_sources=None)  # fmt: skip
    for lang, marker, word in [
        ("nl", "n.v.t.", "niet van toepassing"),
        ("fr", "s.o.", "sans objet"),
        ("en", "n.app.", "not applicable"),
    ]:
        language(lang)
        assert figures.displayed(frame)["Personen"].tolist()[2:] == ["x", "7\u00a0p", marker]
        legend = figures.legend(frame, SOURCES[lang])
        assert len(legend) == 2 and legend[0].startswith(marker) and ":" in legend[0]
        flags = figures.flags(frame).tolist()
        assert flags[4] == word and flags[2] != word and flags[4] != flags[2]


def test_without_row_flags_a_missing_count_is_withheld(modules):
    figures, _, _, _ = modules
    shown = figures.displayed(pd.DataFrame({"n": ["a", "b"], "Personen": [1234.0, NAN]}))
    assert shown["Personen"].tolist() == ["1.234", "x"]


@pytest.mark.parametrize("lang", ["nl", "fr", "en"])
def test_downloads_read_back_as_numbers_with_flags_and_metadata(modules, in_built, lang):
    from dwh.serving.publication import current

    figures, _, _, language = modules
    language(lang)
    pub = current()
    definition = {"Aandeel (%)": "G1 / population 20-64"}
    csv, excel = figures.downloads(
        FRAME, pub, "2025Q4", definitions=definition, sources=SOURCES[lang]
    )

    if lang == "en":
        assert not csv.startswith(b"\xef\xbb\xbf")
        back = pd.read_csv(io.BytesIO(csv), sep=",", decimal=".", encoding="utf-8")
    else:  # what a Belgian Excel opens in columns: ';', a decimal comma, a BOM
        assert csv.startswith(b"\xef\xbb\xbf") and csv.splitlines()[1].count(b";") == 3
        back = pd.read_csv(io.BytesIO(csv), sep=";", decimal=",", encoding="utf-8-sig")
    flag = {"nl": "Markering", "fr": "Signe conventionnel", "en": "Flag"}[lang]
    assert list(back.columns) == ["Gebied", "Personen", "Aandeel (%)", flag]
    assert back["Personen"].dtype.kind in "if" and back["Aandeel (%)"].dtype.kind == "f"
    assert [None if pd.isna(v) else v for v in back["Personen"]] == PERSONS
    assert [None if pd.isna(v) else v for v in back["Aandeel (%)"]] == SHARES
    assert [None if pd.isna(v) else v for v in back[flag]] == FLAGS[lang]
    assert back["Gebied"][1] == '\'=HYPERLINK("http://x")'  # a formula made inert

    book = openpyxl.load_workbook(io.BytesIO(excel))
    sheets = {"nl": ["gegevens", "metadata"], "fr": ["données", "métadonnées"]}
    assert book.sheetnames == sheets.get(lang, ["data", "metadata"])
    data = book.worksheets[0]
    rows = list(data.iter_rows(values_only=True))
    assert rows[0] == ("Gebied", "Personen", "Aandeel (%)", flag)
    assert [r[1] for r in rows[1:]] == PERSONS and [r[2] for r in rows[1:]] == SHARES
    assert [r[3] for r in rows[1:]] == FLAGS[lang]
    cells = [c for column in ("B", "C") for c in data[column][1:] if c.value is not None]
    assert len(cells) == 6 and all(c.data_type == "n" for c in cells)  # numeric cells
    assert data["B2"].number_format == "#,##0"
    assert data["A3"].value == '\'=HYPERLINK("http://x")'
    meta = dict(book.worksheets[1].iter_rows(min_row=1, max_row=8, values_only=True))
    assert pub.id in meta[{"nl": "Publicatie", "fr": "Publication", "en": "Publication"}[lang]]
    threshold = {"nl": "Drempel (personen)", "fr": "Seuil (personnes)"}.get(
        lang, "Threshold (persons)"
    )
    assert meta[threshold] == 5  # the dbt var disclosure_threshold, a number
    assert "G1 / population 20-64" in meta.values() and "2025Q4" in meta.values()
    notes = [v for _, v in book.worksheets[1].iter_rows(min_row=9, values_only=True)]
    assert any(SOURCES[lang]["fodss"] in note for note in notes)


def test_formulas_in_text_cells_are_made_inert(modules):
    figures, _, _, _ = modules
    shown = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "Leuven"],
            "persons": [10, 20, -3, 40, 50, 60],
            "=1+1": ["a", "b", "c", "d", "e", "f"],
        }
    ).astype({"name": "string"})
    back = figures.exported(shown)
    assert list(back.columns) == ["name", "persons", "'=1+1", "Markering"]
    assert back["name"].tolist() == [
        "'=HYPERLINK(\"http://x\")", "'+1+2", "'-2+3", "'@SUM(A1)", "'\tx", "Leuven"
    ]  # fmt: skip
    assert back["persons"].tolist() == [10, 20, -3, 40, 50, 60]  # numbers stay numbers


def test_a_position_has_one_colour_in_every_language(modules):
    _, _, colours, _ = modules
    codes = ["n39", "n11x", "n4", "n21", "G1", "_T"]
    labels = {
        "nl": {"n39": "tegemoetkoming", "n11x": "loontrekkend", "n4": "andere",
               "n21": "werkzoekend", "G1": "werkend", "_T": "Totaal"},
        "fr": {"n39": "allocation", "n11x": "salarié", "n4": "autre", "n21": "demandeur",
               "G1": "au travail", "_T": "Total"},
    }  # fmt: skip
    colour = {}
    for lang, names in labels.items():
        scale = colours.scale(codes, names).to_dict()
        colour[lang] = dict(zip(scale["domain"], scale["range"], strict=True))
        # the positions' order, not the labels' alphabetical order
        assert scale["domain"] == [names[c] for c in ["n11x", "n21", "n39", "n4", "G1", "_T"]]
    for code in codes:
        assert colour["nl"][labels["nl"][code]] == colour["fr"][labels["fr"][code]]
    with pytest.raises(ValueError, match="n99"):
        colours.scale(["n99"], {"n99": "?"})


def test_nineteen_categories_have_nineteen_distinct_colours(modules):
    _, _, colours, _ = modules
    categories = pd.read_csv(paths.PROJECT_DIR / "seeds" / "ref_socio_economic_positions.csv")
    codes = categories.sort_values("category").position_code.tolist()
    scale = colours.scale(codes, {c: c for c in codes}).to_dict()
    assert scale["domain"] == codes and len(codes) == 19
    assert len(set(scale["range"])) == 19
    light = [_lightness(c) for c in scale["range"]]  # neighbours differ in lightness
    assert all(abs(a - b) > 0.1 for a, b in zip(light, light[1:], strict=False))


def _lightness(colour: str) -> float:
    """Relative luminance (WCAG) of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return math.fsum(w * c for w, c in zip((0.2126, 0.7152, 0.0722), linear, strict=True))


def test_published_figures_download_as_published_with_their_status(modules, in_built):
    """A municipality's figures of a quarter with FOD SZ's delivery missing (2024) and one
    with RVA's provisional (2025), read back from both files as the publication holds them."""
    import duckdb

    from dwh.serving.publication import current

    figures, _, _, language = modules
    language("en")
    pub = current()
    with duckdb.connect(str(pub.public), read_only=True) as con:
        unit = con.execute(
            "select geo_code from local_figures where geo_level = 'municipality' and "
            "quarter = '2025Q1' and sex = '_T' and age_class = '_T' group by geo_code "
            "having count(*) filter (where status = 'withheld') > 0 "
            "order by count(*) filter (where status = 'published') desc, geo_code limit 1"
        ).fetchone()[0]
        published = con.execute(
            'select quarter as "Quarter", position as "Position", persons as "Persons", '
            "status, is_provisional, unavailable_sources, provisional_sources from local_figures "
            "where geo_code = ? and quarter in ('2024Q4', '2025Q1') and sex = '_T' and "
            "age_class = '_T' order by quarter, position",
            [unit],
        ).df()
        names = dict(
            con.execute(
                "select institution_code, institution_name_en from source_status"
            ).fetchall()
        )
    assert set(published.status) == {"published", "withheld", "not_available"}
    assert published.is_provisional.any()
    csv, excel = figures.downloads(published, pub, "2024Q4 – 2025Q1", sources=names)

    persons = [None if pd.isna(v) else int(v) for v in published["Persons"]]
    back = pd.read_csv(io.BytesIO(csv))
    assert [None if pd.isna(v) else v for v in back["Persons"]] == persons
    rows = list(openpyxl.load_workbook(io.BytesIO(excel))["data"].iter_rows(values_only=True))
    assert rows[0] == ("Quarter", "Position", "Persons", "Flag")
    assert [r[2] for r in rows[1:]] == persons
    for (_, row), flag in zip(published.iterrows(), back["Flag"], strict=True):
        flag = "" if pd.isna(flag) else flag
        if row.status == "not_available":
            assert flag == "not available (Federal Public Service Social Security)"
        assert flag.startswith("withheld") == (row.status == "withheld")
        assert flag.endswith("provisional (National Employment Office)") == row.is_provisional
        assert (flag == "") == (row.status == "published" and not row.is_provisional)
