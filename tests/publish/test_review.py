"""The review before publishing, rollback and the history: the session's publication served,
and a second, small build waiting (300 persons of 2025, faulty rows, MI's file missing),
reviewed against the build's record and the tables, published, rolled back."""

import csv
import json
import re
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dwh import review
from dwh.build.run import build
from dwh.cli import app as cli
from dwh.core import paths
from dwh.core.files import sha256_file
from dwh.publish import PublishError, publish, rollback
from dwh.requests import users
from dwh.serving.publication import PUBLIC, current, link
from dwh.simulate.run import Imperfections, simulate

APP = str(paths.PROJECT_DIR / "dashboards" / "app.py")
STEWARD = {"name": "sam", "role": "steward", "email": None, "via": "web"}
RESEARCHER = {"name": "rita", "role": "researcher", "email": None, "via": "web"}
PASSWORD = "quiet-harbour-lamp-7"
FAULTS = Imperfections(
    invalid_niss=0.02,
    unknown_municipality=0.02,
    duplicate=0.02,
    out_of_period=0,  # a file of a row or two about another period would be rejected whole
    missing=[("mi", 2025)],
    provisional=[],
)
# Belgium's persons of the last quarter, every position, sex, age and nationality
FIGURE = (
    "select persons from global_figures where geo_level = 'country' and position = '_T' "
    "and sex = '_T' and age_class = '_T' and nationality_group = '_T' and quarter = '2025Q4'"
)


@pytest.fixture(scope="module")
def waiting(built, tmp_path_factory):
    """The session's home (its build served) with a second build waiting."""
    home = tmp_path_factory.mktemp("review") / "home"
    shutil.copytree(built, home, symlinks=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DWH_HOME", str(home))
        shutil.rmtree(home / "deliveries")
        simulate(300, [2025], 11, FAULTS, home / "deliveries")
        record = build(docs=False, tests=False)  # dbt's tests ran on the session's build
        assert record["status"] == "success", record
    return home


@pytest.fixture
def home(waiting, tmp_path, monkeypatch):
    copy = tmp_path / "home"
    shutil.copytree(waiting, copy, symlinks=True)
    monkeypatch.setenv("DWH_HOME", str(copy))
    return copy


def _figure(db) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(FIGURE).fetchone()[0]


def _national_numbers(home) -> set[str]:
    """Every run of 11 digits in the delivered files (national numbers, valid or not)."""
    found = set()
    for file in (home / "deliveries").rglob("*_2025.*"):
        found |= set(re.findall(r"(?<!\d)\d{11}(?!\d)", file.read_text(encoding="latin-1")))
    return found


def test_the_review_is_the_build_against_the_served_publication(home):
    found = review.load(5.0)
    record = json.loads((home / "build" / "build.json").read_text())
    served = json.loads((current().folder / "build.json").read_text())
    assert found.verdict == "publishable"
    assert found.rejected.empty
    counts = ["rows_received", "rows_accepted", "rows_quarantined"]

    def by_delivery(entries):
        return {(d["institution"], int(d["period"])): d for d in entries}

    built, before = by_delivery(record["deliveries"]), by_delivery(served["deliveries"])
    shown = found.deliveries.astype(object).where(found.deliveries.notna(), None)
    rows = {(r["institution"], r["year"]): r for r in shown.to_dict("records")}
    assert set(rows) == set(built) | set(before)
    for key, row in rows.items():
        for column in counts:
            now = built.get(key, {}).get(column)
            then = before.get(key, {}).get(column)
            assert (row[column], row[f"{column}_served"]) == (now, then), key
    # every file of 2025 is another population's; 2024 is no longer delivered, nor MI's 2025
    changes = found.deliveries.groupby("change").apply(
        lambda g: set(zip(g.institution, g.year, strict=True)), include_groups=False
    )
    delivered = {k for k, d in built.items() if d["status"] == "received"}
    assert all(year == 2025 for _, year in delivered)
    assert changes["changed"] == {k for k in delivered if before.get(k, {}).get("sha256")}
    assert changes.get("new", set()) == {k for k in delivered if k not in before}
    assert ("mi", 2025) in changes["removed"] and ("onss", 2024) in changes["removed"]
    first = found.deliveries.change[: len(delivered)]  # the new and changed deliveries first
    assert list(first) == sorted(first, key=["new", "changed"].index)

    # quarantine by reason: the ingest's counts per delivery, the seed's descriptions
    reasons = found.reasons
    assert reasons.new.all()
    per_delivery = reasons.groupby(["institution", "year"]).rows_quarantined.sum().to_dict()
    assert per_delivery == {
        k: built[k]["rows_quarantined"] for k in delivered if built[k]["rows_quarantined"]
    }
    with (paths.SEEDS_DIR / "ref_quarantine_reasons.csv").open() as f:
        described = {r["reason_code"]: r["description"] for r in csv.DictReader(f)}
    assert {"INVALID_NISS", "DUPLICATE", "UNKNOWN_MUNICIPALITY"} <= set(reasons.reason_code)
    pairs = zip(reasons.reason_code, reasons.reason_description, strict=True)
    assert all(described[code] == text for code, text in pairs)

    # examples: rows of quarantine_rows, at most three per delivery and reason, pseudonymised
    examples = found.examples
    assert examples.groupby(["institution", "year", "reason_code"]).size().max() == 3
    with duckdb.connect(str(paths.build_db()), read_only=True) as con:
        table = con.execute(
            "select institution_code, year, line_number, reason_code, pseudonym "
            "from quarantine_rows"
        ).fetchall()
    quarantined = {(i, y, n): (r, p) for i, y, n, r, p in table}
    for e in examples.itertuples():
        assert quarantined[(e.institution, e.year, e.line_number)] == (e.reason_code, e.pseudonym)
    numbers = _national_numbers(home)
    assert len(numbers) > 100  # the scan finds the delivered numbers
    shown = examples.astype(str).to_csv()
    assert not [n for n in numbers if n in shown]


def _rates(db) -> dict:
    """(rate, status) by indicator, unit and quarter: Belgium and its regions, all sexes and
    nationalities."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select indicator, geo_code, quarter, rate, status from indicators where geo_level "
            "in ('country', 'region') and sex = '_T' and nationality_group = '_T'"
        ).fetchall()
    return {(i, g, q): (r, s) for i, g, q, r, s in rows}


def test_indicators_change_against_the_served_ones(home):
    built, served = _rates(paths.build_db()), _rates(current().public)
    for threshold in (5.0, 50.0):
        found = review.load(threshold)
        assert len(found.latest) == 13 * 4  # the indicators of Belgium and its 3 regions
        latest = found.latest.astype(object).where(found.latest.notna(), None)
        for row in latest.itertuples():
            assert row.quarter == row.quarter_served == "2025Q4"
            (now, _), then = built[(row.indicator, row.geo_code, "2025Q4")], row.rate_served
            assert (then, row.status_served) == served[(row.indicator, row.geo_code, "2025Q4")]
            if now is None or then is None or then == 0:
                assert row.change is None  # no relative change
                continue
            assert row.change == round(100 * (now - then) / then, 2)
            assert row.beyond == (abs(now - then) > threshold * then / 100)
        revised = {k for k in built.keys() & served.keys() if built[k] != served[k]}
        shown = set(zip(found.revisions.indicator, found.revisions.geo_code,
                        found.revisions.quarter, strict=True))  # fmt: skip
        assert shown == revised and len(revised) > 100
    assert found.latest.beyond.sum() < review.load(5.0).latest.beyond.sum()


def test_the_command_line_review(home):
    result = CliRunner().invoke(cli, ["review", "--threshold", "50"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    record = json.loads((home / "build" / "build.json").read_text())
    onss, served = (
        next(d for d in entries if (d["institution"], d["period"]) == ("onss", "2025"))
        for entries in (record["deliveries"], current().build_record()["deliveries"])
    )
    received = f"{onss['rows_received']:,} ({served['rows_received']:,})"
    assert re.search(rf"onss\s+│ 2025 │ changed\s+│ received\s+│\s+{re.escape(received)}", out)
    assert "DUPLICATE" in out and "the row repeats an earlier row of the same file" in out
    found = review.load(50.0)
    flagged = [line for line in out.splitlines() if line.rstrip(" │").endswith("beyond")]
    assert len(flagged) == found.latest.beyond.sum() + found.revisions.beyond.sum() > 0
    assert "Publish it with dwh publish" in out
    assert not [n for n in _national_numbers(home) if n in out]


def test_rollback_serves_the_earlier_publication_again(home):
    first = current()
    before = _figure(link() / PUBLIC)
    published = publish(user="ann")
    after = _figure(link() / PUBLIC)
    assert current().id == published["id"] and after != before
    assert after == _figure(paths.build_db())  # the waiting build's figure, now served
    rolled = rollback(user="bob")  # the previous publication by default
    assert rolled["id"] == first.id and current() == first
    assert _figure(link() / PUBLIC) == before
    runner = CliRunner()
    # named by --as, with the password (a name of its own: the session's home has its stewards)
    users.add("rollback-steward", "steward", PASSWORD)
    forward = runner.invoke(
        cli,
        ["publish", "--rollback", published["id"], "--as", "rollback-steward"],
        input=PASSWORD,
    )
    assert forward.exit_code == 0, forward.output
    assert current().id == published["id"] and _figure(link() / PUBLIC) == after
    log = review.history()
    assert log[["action", "publication", "user", "via", "previous"]].head(3).values.tolist() == [
        ["rollback", published["id"], "rollback-steward", "cli", first.id],
        ["rollback", first.id, "bob", "cli", published["id"]],
        ["publish", published["id"], "ann", "cli", first.id],
    ]
    shown = runner.invoke(cli, ["publish", "--history"], env={"COLUMNS": "200"}).output
    assert re.search(rf"rollback │ {first.id}\s+│ bob\s+│ cli │ {published['id']}", shown)
    unknown = runner.invoke(cli, ["publish", "--rollback", "../../etc"])
    assert unknown.exit_code == 1 and "is not a kept publication" in unknown.output
    assert current().id == published["id"]


def test_a_tampered_publication_is_not_served_again(home):
    first = current()
    published = publish()
    with duckdb.connect(str(first.public)) as con:  # one figure of the old publication changed
        con.execute(f"update global_figures set persons = persons + 1 where persons = ({FIGURE})")
    log = (home / "serving" / "history.jsonl").read_text()
    with pytest.raises(PublishError, match=f"{first.id} was changed after it was published"):
        rollback()
    refused = CliRunner().invoke(cli, ["publish", "--rollback", first.id])
    assert refused.exit_code == 1 and "public.duckdb: checksum differs" in refused.output
    assert current().id == published["id"]
    assert (home / "serving" / "history.jsonl").read_text() == log
    # checksums brought up to date, but a required table reads files outside the publication
    warehouse = first.warehouse
    with duckdb.connect(str(warehouse)) as con:
        con.execute("copy (select 1 as n) to ? (format parquet)", [str(home / "outside.parquet")])
        con.execute("drop table source_status")
        con.execute(f"create view source_status as from '{home / 'outside.parquet'}'")
    meta = json.loads((first.folder / "publication.json").read_text())
    meta["files"] = {name: sha256_file(first.folder / name) for name in meta["files"]}
    (first.folder / "publication.json").write_text(json.dumps(meta))
    with pytest.raises(PublishError, match="source_status reads files outside the warehouse"):
        rollback(first.id)
    assert current().id == published["id"]


def _page(user: dict | None, app: str = APP) -> AppTest:
    at = AppTest.from_file(app, default_timeout=120)
    at.session_state["lang"] = "en"
    if user:
        at.session_state["user"] = user
    at.run()
    if app == APP:
        at.switch_page("views/stewards.py")
        at.run()
    assert not at.exception, at.exception
    return at


def _publish_buttons(at: AppTest) -> list:
    return [b for b in at.button if b.key == "sw_publish"]


def test_only_a_signed_in_steward_publishes_from_the_page(home, monkeypatch):
    served, log = current(), review.history()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        _page(RESEARCHER)  # not in a researcher's navigation (nor an anonymous visitor's)
    # the page's script itself, run for them by whatever path: it stops before any button
    monkeypatch.syspath_prepend(str(paths.PROJECT_DIR / "dashboards"))
    for user in (None, RESEARCHER):
        at = _page(user, str(paths.PROJECT_DIR / "dashboards" / "views" / "stewards.py"))
        assert [w.value for w in at.warning] == [
            "This page is for signed-in users with the role data steward."
        ]
        assert not at.button and not at.dataframe
    at = _page(STEWARD)
    shown = {s.value for s in at.subheader}
    assert {"The last build, before publishing", "Quarantine by reason"} <= shown
    (button,) = _publish_buttons(at)
    at.session_state["user"] = RESEARCHER  # signed out and in again as a researcher: the click
    button.click().run()  # reaches the server, which checks the role again
    assert not at.exception and not _publish_buttons(at)
    assert current() == served and review.history().equals(log)
    at = _page(STEWARD)
    _publish_buttons(at)[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    new = current()
    assert new != served and [s.value for s in at.success][0] == f"Published: {new.id}."
    assert review.history().iloc[0][["action", "publication", "user", "via"]].tolist() == [
        "publish", new.id, "sam", "web",
    ]  # fmt: skip
    assert _figure(new.public) == _figure(paths.build_db())
    assert not _publish_buttons(at)  # the last build is now the served one
    assert "The last build is the served publication." in [i.value for i in at.info]
