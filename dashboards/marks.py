"""How the flags of published figures show on charts: withheld, not available, provisional."""

import altair as alt
import pandas as pd

from i18n import t


def gap_labels(*statuses: str) -> dict[str, str]:
    """The label of each status that shows no figure (withheld, not available, not
    applicable; only ``statuses`` when given), with its marker, for charts' legends."""
    labels = {
        "withheld": t("flag_label", marker="x", flag=t("flag_withheld")),
        "not_available": t(
            "flag_label", marker=t("not_available_marker"), flag=t("flag_not_available")
        ),
        "not_applicable": t(
            "flag_label", marker=t("not_applicable_marker"), flag=t("flag_not_applicable")
        ),
    }
    return {k: v for k, v in labels.items() if k in statuses} if statuses else labels


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
