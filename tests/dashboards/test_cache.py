"""The pages' cache (``queries.cached``): its keys are digests of the arguments' pickles, so
equal arguments share one computation and any difference of value computes again."""

import pandas as pd
import pytest

from dwh.core import paths


def test_equal_arguments_share_a_result_and_any_change_computes_again(monkeypatch):
    monkeypatch.syspath_prepend(str(paths.PROJECT_DIR / "dashboards"))
    import queries

    calls = []

    @queries.cached(100)
    def total(frame: pd.DataFrame, units: list, labels: dict, shown: tuple) -> float:
        calls.append(1)
        return float(frame.persons.sum()) + len(units) + len(labels) + len(shown)

    frame = pd.DataFrame({"geo_code": ["01000", "02000"], "persons": [10, 20]})
    args = (["01000"], {"G1": "werkend"}, ("G1",))
    assert total(frame, *args) == 33
    assert total(frame.copy(), ["01000"], {"G1": "werkend"}, ("G1",)) == 33  # equal, not same
    assert len(calls) == 1
    changed = frame.copy()
    changed.loc[1, "persons"] = 21
    assert total(changed, *args) == 34  # one value of the frame
    assert total(frame.rename(columns={"geo_code": "nis"}), *args) == 33  # a column's name
    assert total(frame.astype({"persons": "float64"}), *args) == 33  # a column's type
    assert total(frame, ["01000", "02000"], *args[1:]) == 34  # a list
    assert total(frame, args[0], {"G1": "au travail"}, args[2]) == 33  # a dict's value
    assert total(frame, *args[:2], ("G2",)) == 33  # a tuple
    assert len(calls) == 7


def test_the_last_public_files_stay_open_and_each_query_reads_its_own_file(tmp_path, monkeypatch):
    """``queries.held``: the last two publications' files are held open (a query joins the open
    database), an older one is let go, and every query still reads the file it names."""
    import duckdb

    monkeypatch.syspath_prepend(str(paths.PROJECT_DIR / "dashboards"))
    import queries

    monkeypatch.setattr(queries, "_HELD", {})
    files = []
    for i in range(3):
        files.append(str(tmp_path / f"public{i}.duckdb"))
        with duckdb.connect(files[-1]) as con:
            con.execute("create table t as select cast(? as integer) as v", [i])
    for file in files:
        queries.held(file)
    assert list(queries._HELD) == files[1:]
    for i, file in enumerate(files):
        with duckdb.connect(file, read_only=True) as con:
            assert con.execute("select v from t").fetchone() == (i,)
    with pytest.raises(duckdb.ConnectionException, match="different configuration"):
        duckdb.connect(files[2])  # held: opening it otherwise is refused
    with duckdb.connect(files[0]) as con:  # let go: it opens for writing again
        con.execute("insert into t values (9)")
    for con in queries._HELD.values():
        con.close()
