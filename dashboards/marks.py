"""How the flags of published figures show on charts: withheld, not available, provisional."""

import altair as alt
import pandas as pd

from i18n import t

WITHHELD = "x"  # a withheld count, as Statbel and Eurostat mark confidential cells


def gap_markers() -> dict[str, str]:
    """The marker of each status that shows no figure, in the chosen language: withheld,
    not available, not applicable (their words are the texts ``flag_<status>``)."""
    return {
        "withheld": WITHHELD,
        "not_available": t("not_available_marker"),
        "not_applicable": t("not_applicable_marker"),
    }


def gap_words() -> dict[str, str]:
    """The word of each status that shows no figure, in the chosen language (downloads'
    flag column, legends)."""
    return {status: t(f"flag_{status}") for status in gap_markers()}


def gap_labels(*statuses: str) -> dict[str, str]:
    """The label of each status that shows no figure (only ``statuses`` when given), with
    its marker, for charts' legends."""
    words = gap_words()
    return {
        status: t("flag_label", marker=marker, flag=words[status])
        for status, marker in gap_markers().items()
        if not statuses or status in statuses
    }


def flag_labels(frame: pd.DataFrame) -> pd.Series:
    """Each figure's flag in words for charts' legends: withheld, not available, provisional
    (with their markers), or "" for a published final figure."""
    gaps = gap_labels()
    provisional = frame.is_provisional.map(
        {True: t("flag_label", marker="p", flag=t("provisional")), False: ""}
    )
    return frame.status.map(gaps).fillna(provisional.fillna(""))


def tips(*fields: str) -> list[alt.Tooltip]:
    """Tooltips of typed fields ("name:N"): channel objects, which Altair takes as they are
    (a list of plain names costs it a schema search per name, most of a page's run time)."""
    return [alt.Tooltip(f) for f in fields]


def gap_marks(x: str, y: str, on_axis: bool = False) -> alt.Chart:
    """Marks of the flagged figures of a chart whose data carry ``flag`` (flag_labels): on
    the axis where a figure is withheld or not available (and, with ``on_axis``, every
    flagged one), on the value of a provisional one; one shape per flag, with a legend."""
    where = "0" if on_axis else f"isValid(datum['{y}']) ? datum['{y}'] : 0"
    return (
        alt.Chart()
        .transform_filter("datum.flag != ''")
        .transform_calculate(at=where)
        .mark_point(size=60, filled=False, color="black")
        .encode(
            x=alt.X(f"{x}:O"),
            y=alt.Y("at:Q", title=y),
            shape=alt.Shape("flag:N", title=t("flag")),
            tooltip=tips(f"{x}:O", "flag:N"),
        )
    )
