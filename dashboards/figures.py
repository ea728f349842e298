"""What every figure on the dashboards carries: labels, the table with its markers, the
downloads (CSV and Excel as Belgian spreadsheets read them) and the footnotes."""

import io

import openpyxl
import pandas as pd
import streamlit as st

import formats
from i18n import lang, t
from marks import WITHHELD, gap_markers, gap_words
from queries import cached, query


def position_labels(positions: pd.DataFrame) -> dict[str, str]:
    """Labels of the position codes, main groups (G1-G4) and total in the chosen language."""
    labels = dict(zip(positions.position_code, positions[f"label_{lang()}"], strict=True))
    groups = positions.drop_duplicates("main_group_code")
    labels |= {
        f"G{g}": label
        for g, label in zip(
            groups.main_group_code, groups[f"main_group_label_{lang()}"], strict=True
        )
    }
    labels["_T"] = t("total")
    return labels


BREAKDOWNS = {  # column -> (its dimension table, its label)
    "sex": ("dim_sex", "sex"),
    "age_class": ("dim_age_class", "age_class"),
    "nationality_group": ("dim_nationality_group", "nationality"),
}


def breakdown(container, pub: dict, column: str, key: str) -> str:
    """A select box for one breakdown of the figures, its values labelled, total first."""
    table, label = BREAKDOWNS[column]
    values = query(pub, f"select {column} as code, label_{lang()} as label from {table}")
    labels = {"_T": t("total"), **dict(zip(values.code, values.label, strict=True))}
    return container.selectbox(t(label), list(labels), key=key, format_func=labels.get)


FLAGS = ("status", "is_provisional", "unavailable_sources", "provisional_sources")
PROVISIONAL = "p"  # after a figure resting on a provisional delivery, as Eurostat flags it


def _numbers(frame: pd.DataFrame) -> list[str]:
    """The numeric columns of a table (not its row flags)."""
    return [c for c in frame.select_dtypes("number").columns if c not in FLAGS]


def _decimals(frame: pd.DataFrame, decimals: dict | None) -> dict[str, int]:
    """Decimals of each numeric column: as given, else 0 for whole numbers and 1 otherwise."""
    given = decimals or {}
    return {
        c: given.get(c, 0 if (frame[c].dropna() % 1 == 0).all() else 1) for c in _numbers(frame)
    }


def _status(frame: pd.DataFrame) -> pd.Series:
    """Each row's status; without a status column, a missing number means withheld."""
    if "status" in frame:
        return frame["status"].fillna("published")
    return pd.Series("published", index=frame.index).mask(
        frame[_numbers(frame)].isna().any(axis=1), "withheld"
    )


def _provisional(frame: pd.DataFrame) -> pd.Series:
    if "is_provisional" not in frame:
        return pd.Series(False, index=frame.index)
    return frame["is_provisional"].fillna(False).astype(bool)


def _names(codes, sources: dict | None) -> str:
    """Institutions' names (``sources``: code -> name) of comma-separated codes."""
    found = sorted({c.strip() for text in codes if isinstance(text, str) for c in text.split(",")})
    return ", ".join((sources or {}).get(c, c) for c in found if c)


def displayed(frame: pd.DataFrame, decimals: dict | None = None) -> pd.DataFrame:
    """The table as shown: numbers written in the chosen language, a missing number as the
    marker of its row's status ("x" withheld, "n.b."/"n.d."/"n.a." not available,
    "n.v.t."/"s.o."/"n.app." not applicable), a "p" after the numbers (not the markers) of a
    provisional row; the row flags themselves not shown."""
    status, provisional = _status(frame), _provisional(frame)
    markers = status.map(gap_markers()).fillna(WITHHELD)
    display = frame.drop(columns=[c for c in FLAGS if c in frame])
    for column, places in _decimals(frame, decimals).items():
        text = pd.Series(formats.numbers(frame[column], places), index=frame.index)
        text = text.mask(frame[column].isna(), markers)
        marked = provisional & frame[column].notna()
        display[column] = text.mask(marked, text + "\u00a0" + PROVISIONAL)
    return display


def legend(frame: pd.DataFrame, sources: dict | None = None) -> list[str]:
    """The lines explaining the not-available and provisional markers that occur in the table,
    with the institutions concerned (``sources``: institution code -> name)."""
    lines, markers = [], gap_markers()
    status = _status(frame)
    provisional = _provisional(frame) & frame[_numbers(frame)].notna().any(axis=1)  # a "p" shown
    for occurs, key, marker, column in (
        (status.eq("not_available"), "legend_not_available", markers["not_available"],
         "unavailable_sources"),
        (status.eq("not_applicable"), "legend_not_applicable", markers["not_applicable"], None),
        (provisional, "legend_provisional", PROVISIONAL, "provisional_sources"),
    ):  # fmt: skip
        if occurs.any():
            names = _names(frame[column][occurs], sources) if column in frame else ""
            lines.append(
                t(key, marker=marker) + (" " + t("legend_sources", names=names) if names else "")
            )
    return lines


def flags(frame: pd.DataFrame, sources: dict | None = None) -> pd.Series:
    """Each row's flags in words for the downloads: withheld, not available, not applicable,
    provisional, with the institutions concerned in brackets; empty for a published figure."""
    gaps, marked = gap_words(), t("provisional")
    none = [None] * len(frame)
    unavailable = frame["unavailable_sources"].tolist() if "unavailable_sources" in frame else none
    feeding = frame["provisional_sources"].tolist() if "provisional_sources" in frame else none

    def named(word: str, codes) -> str:
        names = _names([codes], sources)
        return f"{word} ({names})" if names else word

    out = []
    rows = zip(_status(frame), _provisional(frame), unavailable, feeding, strict=True)
    for status, provisional, missing, provisional_codes in rows:
        words = [named(gaps[status], missing)] if status in gaps else []
        if provisional:
            words.append(named(marked, provisional_codes))
        out.append("; ".join(words))
    return pd.Series(out, index=frame.index, dtype=object)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def inert(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell and header that a spreadsheet would run as a formula
    (=, +, -, @, tab, carriage return first) prefixed with an apostrophe (OWASP's CSV
    injection rule)."""
    out = frame.rename(columns=_inert)
    for column in out.select_dtypes(include=["object", "string"]).columns:
        out[column] = out[column].map(_inert)
    return out


def exported(
    frame: pd.DataFrame,
    decimals: dict | None = None,
    sources: dict | None = None,
    flagged: tuple[str, list[str]] | None = None,
):
    """The table as downloaded: numbers as numbers, rounded as shown (whole numbers without
    decimals, nothing where withheld or not available), the flags in their own column, text
    cells made inert. ``flagged`` (header, flags) gives the flag column already written in
    the page's language (a download written on a click has no session to translate in)."""
    header, words = flagged or (t("flag"), flags(frame, sources))
    data = frame.drop(columns=[c for c in FLAGS if c in frame])
    for column, places in _decimals(frame, decimals).items():
        values = data[column].map(lambda v, d=places: formats.rounded(v, d), na_action="ignore")
        data[column] = values.astype("Int64" if places == 0 else "float64")
    data[header] = list(words)
    return inert(data)


def metadata(pub, period: str, *, definitions=None, notes=(), annual=False) -> pd.DataFrame:
    """What the Excel file says about its table: source, publication, period, definitions,
    the disclosure method with its threshold and noise, and the markers' notes."""
    limits = pub.disclosure
    rows = [
        (t("meta_source"), t("source_annual" if annual else "source", pub=pub.id, period=period)),
        (t("meta_publication"), pub.id),
        (t("published"), formats.date(pub.published_at, time=True)),
        (t("meta_period"), period),
        *((t("meta_definition", name=name), text) for name, text in (definitions or {}).items()),
        (t("meta_disclosure"), disclosure(limits)),
        (t("meta_threshold"), limits["threshold"]),
        (t("meta_noise"), limits["noise"]),
        *((t("meta_markers"), note) for note in notes),
    ]
    return inert(pd.DataFrame(rows, columns=["", ""], dtype=object))


def downloads(
    frame: pd.DataFrame,
    pub,
    period: str,
    *,
    definitions: dict | None = None,
    sources: dict | None = None,
    decimals: dict | None = None,
    annual: bool = False,
) -> tuple[bytes, bytes]:
    """CSV and Excel files of the table: in Dutch and French the CSV a Belgian Excel opens
    (``;``, decimal comma, UTF-8 with BOM), in English ``,`` and a decimal point; the Excel
    file with numeric cells and a "metadata" sheet."""
    csv, excel = _files(frame, pub, period, definitions, sources, decimals, annual)
    return csv(), excel()


def _files(frame, pub, period, definitions, sources, decimals, annual):
    """Functions writing the CSV and the Excel file, which Streamlit calls on a click (a page
    run would otherwise write every table's files for nothing); whatever needs the page's
    language is written now, the click has no session."""
    prepared = _prepared(frame, pub, pub.id, period, definitions, sources, decimals, annual, lang())
    return _writers(frame.copy(), prepared)  # a copy: the page may change its frame later


@cached(1000)
def _prepared(frame, _pub, pub_id, period, definitions, sources, decimals, annual, language):
    """What a table shows and its files say, in ``language`` (the page's: a key of the
    cache), computed once for the same table of the same publication (``pub_id``: the key
    standing for ``_pub``), whoever asks and however often."""
    notes = legend(frame, sources)
    return {
        "display": displayed(frame, decimals),
        "places": _decimals(frame, decimals),
        "notes": notes,
        "flagged": (t("flag"), flags(frame, sources).tolist()),
        "meta": metadata(_pub, period, definitions=definitions, notes=notes, annual=annual),
        "sheets": (t("sheet_data"), t("sheet_metadata")),
        "english": language == "en",
    }


def _writers(frame: pd.DataFrame, prepared: dict):
    """The CSV and Excel writers of a table and its ``_prepared`` parts."""
    english, places = prepared["english"], prepared["places"]

    def data() -> pd.DataFrame:
        return exported(frame, places, flagged=prepared["flagged"])

    def csv() -> bytes:
        text = data().to_csv(
            index=False, sep="," if english else ";", decimal="." if english else ","
        )
        return text.encode("utf-8" if english else "utf-8-sig")

    def excel() -> bytes:
        return workbook(data(), places, prepared["meta"], prepared["sheets"])

    return csv, excel


def workbook(
    data: pd.DataFrame,
    decimals: dict[str, int],
    meta: pd.DataFrame,
    sheets: tuple[str, str] = ("data", "metadata"),
) -> bytes:
    """An Excel file: the table on its first sheet (numbers in numeric cells with a thousands
    format, empty cells where withheld or not available), its metadata on the second, the
    sheets named ``sheets`` (in the page's language)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheets[0]
    sheet.append(list(data.columns))
    for row in data.itertuples(index=False):
        sheet.append([None if pd.isna(v) or v == "" else v for v in row])
    for index, column in enumerate(data.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, min(60, len(str(column)) + 4))
        if column in decimals:
            places = decimals[column]
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "#,##0" + ("." + "0" * places if places else "")
    about = book.create_sheet(sheets[1])
    for row in meta.itertuples(index=False):
        about.append(list(row))
    about.column_dimensions["A"].width = 40
    about.column_dimensions["B"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def table(
    df: pd.DataFrame,
    key: str,
    pub,
    period: str,
    *,
    sources: dict | None = None,
    definitions: dict | None = None,
    decimals: dict | None = None,
    annual: bool = False,
):
    """Show a table, its numbers written in the chosen language and its markers explained,
    with CSV and Excel downloads and the footnotes.

    ``df`` has translated headers and numeric columns (NaN where withheld or not available);
    it may carry the row flags ``status`` (published, withheld, not_available),
    ``is_provisional`` and ``unavailable_sources``/``provisional_sources`` (institution codes,
    named through ``sources``: code -> name). ``definitions`` (name -> text) go into the Excel
    file's metadata; ``decimals`` (column -> places) overrides 0 for whole numbers, else 1."""
    prepared = _prepared(df, pub, pub.id, period, definitions, sources, decimals, annual, lang())
    st.dataframe(
        prepared["display"],
        hide_index=True,
        width="stretch",
        column_config={
            c: st.column_config.TextColumn(alignment="right") for c in prepared["places"]
        },
    )
    for line in prepared["notes"]:
        st.caption(line)
    csv, excel = _writers(df.copy(), prepared)
    left, right = st.columns(2)
    # a click downloads without running the page again: a new run would drop the Excel file
    # Streamlit writes on the click (a click on the CSV, then on the Excel, lost the Excel)
    left.download_button(
        t("download_csv"), csv, f"{key}.csv", "text/csv", key=f"{key}-csv", on_click="ignore"
    )
    right.download_button(
        t("download_xlsx"),
        excel,
        f"{key}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
        on_click="ignore",
    )
    footnotes(pub, period, annual=annual)


def definitions_section(definitions: dict[str, str]):
    """The page's definitions under their heading: each name in bold, then its text."""
    st.subheader(t("definitions"))
    for name, text in definitions.items():
        st.markdown(f"**{name}**: {text}")


def disclosure(limits: dict) -> str:
    """The method of disclosure control, with the publication's threshold and noise."""
    return t(
        "disclosure",
        marker=WITHHELD,
        threshold=limits["threshold"],
        above=limits["threshold"] + 1,
        noise=limits["noise"],
    )


def footnotes(pub, period: str, *, annual: bool = False):
    """Source, publication, period and population (the yearly average of the quarters' last
    days for a year), and the disclosure method."""
    st.caption(t("source_annual" if annual else "source", pub=pub.id, period=period))
    st.caption(disclosure(pub.disclosure))
