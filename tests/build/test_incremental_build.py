"""A steward's year, as issue #16 tells it: two years built and published, a third added and
built incrementally, reviewed and published; one institution's file corrected and rebuilt; a
delivery removed and rebuilt; rolled back and forward. After each incremental build the
warehouse equals a full build of the same deliveries, table for table and row for row, and
the figures of the quarters nothing touched are the ones already published."""

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from rows import differing, fingerprint

from dwh import review
from dwh.build.run import QUARTER_ENDS, build
from dwh.core import paths
from dwh.deliveries import SLIP
from dwh.publish import PublishError, publish, rollback
from dwh.serving.publication import current
from dwh.simulate.run import Imperfections, simulate

YEARS = [2023, 2024, 2025]


@pytest.fixture(scope="module")
def delivered(tmp_path_factory) -> Path:
    """Three years of a small population, simulated once; the steward receives them by year."""
    out = tmp_path_factory.mktemp("delivered")
    simulate(200, YEARS, 11, Imperfections.none(), out)
    return out


def _receive(delivered: Path, home: Path, year: int):
    for folder in delivered.glob(f"*/{year}"):
        shutil.copytree(folder, home / "deliveries" / folder.parent.name / str(year))


def _build(home: Path, monkeypatch, **options) -> dict:
    monkeypatch.setenv("DWH_HOME", str(home))
    record = build(docs=False, tests=False, **options)
    assert record["status"] == "success", record
    return record


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> list[str]:
    return [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_catalog = ? "
            "and table_type = 'BASE TABLE' order by 1",
            [schema],
        ).fetchall()
    ]


def _same_as_a_full_build(home: Path, monkeypatch, name: str):
    """A full build of the same deliveries in a home of its own (not output-checked: it is
    only compared): the same tables, each with the same rows (EXCEPT ALL both ways,
    duplicates counted)."""
    full = home.parent / f"full-{name}"
    shutil.copytree(home / "deliveries", full / "deliveries")
    assert _build(full, monkeypatch, check=False)["output_check"] is None
    with pytest.raises(PublishError, match="output check"):
        publish()  # a build that was not output-checked is never published
    monkeypatch.setenv("DWH_HOME", str(home))
    with duckdb.connect(str(home / "build" / "warehouse.duckdb"), read_only=True) as con:
        con.execute(f"attach '{full / 'build' / 'warehouse.duckdb'}' as reference (read_only)")
        # dbt started from another home's saved parse: the staging views still read this
        # home's landing zone
        landing = con.execute(
            "select sql from duckdb_views() where database_name = 'reference' "
            "and sql like '%/landing/%'"
        ).fetchall()
        assert landing and all(str(full / "build" / "landing") in sql for (sql,) in landing)
        tables = _tables(con, "warehouse")
        assert tables == _tables(con, "reference") and "local_figures" in tables
        for table in tables:
            # when a delivery was ingested is the one thing a full build tells otherwise
            rows = "select *"
            if table == "source_registration":
                rows = "select * exclude (ingested_at)"
            a, b = f"{rows} from warehouse.main.{table}", f"{rows} from reference.main.{table}"
            assert differing(con, a, b) == (0, 0), (name, table)


def _quarters(year: int) -> list[str]:
    return [f"{year}-{end}" for end in QUARTER_ENDS]


def _figures(before: str | None = None) -> tuple[int, int]:
    """The served local figures (of the quarters before ``before``), by their fingerprint:
    the same rows give the same, other rows another."""
    with duckdb.connect(str(current().public), read_only=True) as con:
        return fingerprint(
            con,
            "select geo_code, quarter, position, sex, age_class, persons, status "
            "from local_figures where ? is null or quarter < ?",
            [before, before],
        )


def _inasti_gaps() -> set[str]:
    """The quarters whose served figures are not available for want of INASTI's file."""
    with duckdb.connect(str(current().public), read_only=True) as con:
        return {
            quarter
            for (quarter,) in con.execute(
                "select distinct quarter from local_figures where status = 'not_available' "
                "and unavailable_sources like '%inasti%'"
            ).fetchall()
        }


def test_a_year_added_a_file_corrected_and_one_removed_rebuild_only_their_quarters(
    delivered, tmp_path, monkeypatch
):
    home = tmp_path / "home"
    for year in YEARS[:2]:
        _receive(delivered, home, year)
    first = _build(home, monkeypatch)
    assert first["rebuilt_quarters"] == "all"
    publish()
    published = _figures()
    assert _inasti_gaps() == set()

    # a third year: only its deliveries are read, only its quarters built
    _receive(delivered, home, 2025)
    added = _build(home, monkeypatch)
    assert added["rebuilt_quarters"] == _quarters(2025)
    kept = {d["period"] for d in added["deliveries"] if d["kept"]}
    assert kept == {"2023", "2024"}
    _same_as_a_full_build(home, monkeypatch, "added")
    looked = review.load()
    assert looked.verdict == "publishable"
    rows = looked.deliveries.assign(year=looked.deliveries.year.astype(str))
    assert set(rows[rows.year == "2025"].change) == {"new"}
    assert set(rows[rows.year != "2025"].change) == {"unchanged"}
    publish(user="sam")
    assert _figures("2025Q1") == published  # the older quarters' published noise stays

    # ONEM corrects its 2024 file: five rows fewer, its slip says so
    folder = home / "deliveries" / "onem" / "2024"
    slip = json.loads((folder / SLIP).read_text())
    lines = (folder / slip["file"]).read_text(encoding="latin-1").splitlines(keepends=True)
    (folder / slip["file"]).write_text("".join(lines[:-5]), encoding="latin-1")
    (folder / SLIP).write_text(json.dumps({**slip, "rows": slip["rows"] - 5}))
    corrected = _build(home, monkeypatch)
    assert corrected["rebuilt_quarters"] == _quarters(2024)
    _same_as_a_full_build(home, monkeypatch, "corrected")

    # a delivery withdrawn: its year's figures it decides become not available
    shutil.rmtree(home / "deliveries" / "inasti" / "2023")
    removed = _build(home, monkeypatch)
    assert removed["rebuilt_quarters"] == _quarters(2023)
    _same_as_a_full_build(home, monkeypatch, "removed")
    second = current().id
    third = publish(user="sam")["id"]
    assert _inasti_gaps() == {f"2023Q{q}" for q in range(1, 5)}

    # rolled back to the publication of the third year, then forward again
    latest = _figures()
    rollback(user="sam")
    assert current().id == second and _figures() != latest
    rollback(third, user="sam")
    assert current().id == third and _figures() == latest
    history = (paths.serving_dir() / "history.jsonl").read_text().splitlines()
    actions = [(h["action"], h["user"]) for h in map(json.loads, history)]
    assert actions[-3:] == [("publish", "sam"), ("rollback", "sam"), ("rollback", "sam")]
