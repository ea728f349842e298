"""What every figure on the dashboards carries: labels, the table, downloads, footnotes."""

import io

import pandas as pd
import streamlit as st

from i18n import lang, t
from queries import WITHHELD, query, shown


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


def displayed(df: pd.DataFrame, pub: dict) -> pd.DataFrame:
    """The table as shown: withheld counts as the marker, never a number."""
    display = df.copy()
    if t("persons") in display:
        display[t("persons")] = shown(display[t("persons")], pub)
    return display


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell that a spreadsheet would run as a formula (=, +, -, @,
    tab, carriage return first) prefixed with an apostrophe (OWASP's CSV injection rule)."""
    out = frame.copy()
    for column in out.select_dtypes(include="object").columns:
        out[column] = out[column].map(
            lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_STARTS) else v
        )
    return out


def downloads(display: pd.DataFrame) -> tuple[bytes, bytes]:
    """CSV and Excel files holding exactly the table shown, formulas made inert."""
    safe = inert(display)
    excel = io.BytesIO()
    safe.to_excel(excel, index=False)
    return safe.to_csv(index=False).encode(), excel.getvalue()


def table(df: pd.DataFrame, key: str, pub: dict, period: str):
    """Show a table with CSV and Excel downloads of what is shown, and the footnotes."""
    display = displayed(df, pub)
    st.dataframe(display, hide_index=True, width="stretch")
    csv, excel = downloads(display)
    left, right = st.columns(2)
    left.download_button(t("download_csv"), csv, f"{key}.csv", "text/csv", key=f"{key}-csv")
    right.download_button(
        t("download_xlsx"),
        excel,
        f"{key}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}-xlsx",
    )
    footnotes(pub, period)


def footnotes(pub: dict, period: str):
    st.caption(t("source", pub=pub.id, period=period))
    limits = pub.disclosure
    st.caption(
        t(
            "disclosure",
            marker=WITHHELD,
            threshold=limits["threshold"],
            above=limits["threshold"] + 1,
            noise=limits["noise"],
        )
    )
