"""Downloads of the figures pages hold what is shown, and nothing a spreadsheet would run."""

import io

import pandas as pd

from dwh.core import paths


def test_formulas_in_text_cells_are_made_inert(monkeypatch):
    monkeypatch.syspath_prepend(str(paths.PROJECT_DIR / "dashboards"))
    import figures

    shown = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "Leuven"],
            "persons": [10, 20, -3, 40, 50, 60],
        }
    )
    csv, excel = figures.downloads(shown)
    back = pd.read_csv(io.BytesIO(csv))
    assert back["name"].tolist() == [
        "'=HYPERLINK(\"http://x\")", "'+1+2", "'-2+3", "'@SUM(A1)", "'\tx", "Leuven"
    ]  # fmt: skip
    assert back["persons"].tolist() == [10, 20, -3, 40, 50, 60]  # numbers stay numbers
    assert pd.read_excel(io.BytesIO(excel))["name"].str.startswith("'").sum() == 5
