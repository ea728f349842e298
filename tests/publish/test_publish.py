"""Publication: atomic, refused after a failed build, invisible to readers while it happens."""

import json
import shutil
import threading

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dwh import review
from dwh.build.run import build
from dwh.cli import app as cli
from dwh.core import paths
from dwh.publish import PublishError, publish
from dwh.serving.publication import PUBLIC, current, link
from dwh.simulate.run import Imperfections, simulate


@pytest.fixture
def home(built, tmp_path, monkeypatch):
    copy = tmp_path / "home"
    shutil.copytree(built, copy, symlinks=True)
    monkeypatch.setenv("DWH_HOME", str(copy))
    return copy


def test_nothing_to_publish_in_a_new_home(dwh_home):
    with pytest.raises(PublishError, match="nothing is built yet"):
        publish()


def test_failed_build_is_not_published_and_the_served_copy_stays(home):
    """The failing deliveries: a small population of 2025 (a build's time is mostly that of
    its quarters), with a truncated file."""
    served = current()
    before = (served.folder / "publication.json").read_text()
    shutil.rmtree(home / "deliveries")
    simulate(300, [2025], 3, Imperfections.none(), home / "deliveries")
    slip = home / "deliveries" / "sfp" / "2025" / "_delivery.json"
    data = json.loads(slip.read_text())
    data["rows"] += 10
    slip.write_text(json.dumps(data))
    record = build(docs=False)
    assert record["status"] == "failed"
    assert any("sfp_2025.csv: truncated" in e for e in record["rejected_files"])
    with pytest.raises(PublishError, match="the last build failed"):
        publish()
    assert current() == served
    # the review shows the rejected file with its error, and nothing to publish
    found = review.load()
    assert (found.verdict, found.built) == ("failed", False)
    (error,) = record["rejected_files"]
    assert found.rejected[["institution", "year", "error"]].values.tolist() == [
        ["sfp", 2025, error]
    ]
    shown = CliRunner().invoke(cli, ["review"]).output
    assert f"rejected: {error}" in shown and "The last build failed" in shown
    at = AppTest.from_file(str(paths.PROJECT_DIR / "dashboards" / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["user"] = {"name": "sam", "role": "steward", "email": None, "via": "web"}
    at.run()
    at.switch_page("views/stewards.py")
    at.run()
    assert [e.value for e in at.error] == [f"Rejected file: {error}"]
    assert "The last build failed: it cannot be published." in [i.value for i in at.info]
    assert not [b for b in at.button if b.key == "sw_publish"]
    assert (served.folder / "publication.json").read_text() == before
    assert json.loads(before)["disclosure"] == {"threshold": 5, "noise": 2}
    with duckdb.connect(str(link() / PUBLIC), read_only=True) as con:
        assert con.execute("select count(*) from local_figures").fetchone()[0] > 0


def test_readers_keep_working_during_publication(home):
    first = current()
    errors, reads, seen = [], [0], set()
    stop = threading.Event()
    opened_before = duckdb.connect(str(link() / PUBLIC), read_only=True)

    def reader():
        while not stop.is_set():
            try:
                with duckdb.connect(str(link() / PUBLIC), read_only=True) as con:
                    con.execute("select sum(persons) from global_figures").fetchone()
                    seen.add(con.execute("select count(*) from source_status").fetchone())
                reads[0] += 1
            except Exception as e:  # noqa: BLE001 (any failure is what the test looks for)
                errors.append(repr(e))

    history = home / "serving" / "history.jsonl"
    published_before = len(history.read_text().splitlines())
    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for _ in range(3):
        publish(keep=2)
    stop.set()
    for t in threads:
        t.join()
    assert errors == [] and reads[0] > 0
    assert current() != first
    assert opened_before.execute("select count(*) from local_figures").fetchone()[0] > 0
    kept = [p for p in (home / "serving" / "publications").iterdir()]
    assert len(kept) == 2 and current().folder in kept
    assert len(history.read_text().splitlines()) == published_before + 3
