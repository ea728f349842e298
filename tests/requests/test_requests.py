"""Researchers' requests: validation, workflow, access, concurrency, notifications, pages."""

import email
import socket
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from dwh.extracts.files import delivery
from dwh.extracts.produce import produce
from dwh.requests import form, store, workflow
from dwh.requests.form import InvalidRequest
from dwh.requests.submission import submit
from dwh.serving import catalogue

from factory import PASSWORD, approved, body


def test_every_wrong_field_gets_its_message(people):
    bad = body(
        purpose="too short",
        dpo_contact="nobody",
        periods=["1999Q1"],
        variables={},
        destroy_by="2001-01-01",
        sample={"percent": 0},
    )
    bad["population"]["age_min"] = 70
    bad["population"]["age_max"] = 20
    bad["population"]["regions"] = ["99999"]
    with pytest.raises(InvalidRequest) as e:
        submit(people["alice"], bad)
    assert set(e.value.errors) == {
        "purpose",
        "dpo_contact",
        "periods",
        "variables",
        "destroy_by",
        "sample",
        "population.age",
        "population.regions",
    }
    unjustified = body(variables={"sex": "", "nope": "x"})
    assert (
        "not in the catalogue: nope"
        in form.validate(
            unjustified, {"sex": {}}, ["2025Q1", "2025Q2"], {k: set() for k in catalogue.GEOGRAPHY}
        )["variables"]
    )


def test_hostile_text_is_stored_verbatim_and_oversize_refused(people):
    hostile = "'); drop table requests; -- <script>alert(1)</script> **bold** " * 4
    number = submit(people["alice"], body(purpose=hostile))
    assert workflow.get(number, people["alice"])["body"]["purpose"] == hostile
    with pytest.raises(InvalidRequest) as e:
        submit(people["alice"], body(purpose="x" * 10_001))
    assert e.value.errors == {"purpose": "at most 10,000 characters"}


def test_only_legal_moves_by_the_right_role_with_an_audit_log(people):
    alice, sam, cora = people["alice"], people["sam"], people["cora"]
    number = submit(alice, body(kind="pseudonymised"))
    with pytest.raises(workflow.WorkflowError, match="is for the steward"):
        workflow.move(number, alice, "under_review")
    with pytest.raises(workflow.WorkflowError, match="cannot become approved"):
        workflow.move(number, sam, "approved")
    workflow.move(number, sam, "under_review")
    with pytest.raises(workflow.WorkflowError, match="committee's deliberation"):
        workflow.move(number, sam, "approved")
    workflow.minimise(number, sam, ["region_code"], "not needed for the question")
    workflow.move(number, sam, "awaiting_committee")
    with pytest.raises(workflow.WorkflowError, match="deliberation number and date"):
        workflow.move(number, cora, "approved")
    with pytest.raises(workflow.WorkflowError, match="needs a reason"):
        workflow.move(number, cora, "rejected")
    workflow.move(number, cora, "rejected", reason="the purpose does not need microdata")
    with pytest.raises(workflow.WorkflowError, match="cannot become"):
        workflow.move(number, sam, "under_review")
    history = workflow.history(number, alice)
    assert [(e["actor"], e["from_status"], e["to_status"]) for e in history] == [
        ("alice", None, "submitted"),
        ("sam", "submitted", "under_review"),
        ("sam", "under_review", "under_review"),
        ("sam", "under_review", "awaiting_committee"),
        ("cora", "awaiting_committee", "rejected"),
    ]
    request = workflow.get(number, alice)
    assert request["reason"] == "the purpose does not need microdata"
    assert "region_code" not in request["body"]["variables"]
    messages = [n["message"] for n in workflow.notifications(alice) if n["number"] == number]
    assert len(messages) == 4 and "rejected" in messages[0]
    anonymous = submit(alice, body())
    workflow.move(anonymous, sam, "under_review")
    with pytest.raises(workflow.WorkflowError, match="general deliberation"):
        workflow.move(anonymous, sam, "awaiting_committee")
    workflow.move(anonymous, alice, "withdrawn")


def test_a_researcher_never_sees_another_researchers_request(people):
    number = approved(people)
    produce(number, people["sam"])
    bob = people["bob"]
    assert number not in [r["number"] for r in workflow.visible(bob)]
    for attempt in (
        lambda: workflow.get(number, bob),
        lambda: workflow.history(number, bob),
        lambda: delivery(number, bob),
        lambda: workflow.move(number, bob, "withdrawn"),
    ):
        with pytest.raises(workflow.NotFound):
            attempt()
    with pytest.raises(workflow.NotFound):  # guessing gives the same answer
        workflow.get("R2026-99999", bob)
    assert delivery(number, people["alice"]).exists()


def test_fifty_concurrent_submissions_get_fifty_numbers(people):
    before = store.connect().execute("select count(*) from requests").fetchone()[0]
    with ThreadPoolExecutor(50) as pool:
        numbers = list(pool.map(lambda _: submit(people["alice"], body()), range(50)))
    assert len(set(numbers)) == 50
    after = store.connect().execute("select count(*) from requests").fetchone()[0]
    assert after - before == 50


class SmtpSink(threading.Thread):
    """A local SMTP server that keeps what it receives."""

    def __init__(self, on_message=lambda: None):
        super().__init__(daemon=True)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.messages = []
        self.on_message = on_message

    def run(self):
        while True:
            conn, _ = self.server.accept()
            with conn, conn.makefile("rwb") as f:
                f.write(b"220 sink\r\n")
                f.flush()
                data = None
                for line in f:
                    if data is not None:
                        if line == b".\r\n":
                            self.on_message()
                            self.messages.append(b"".join(data).decode())
                            data = None
                            f.write(b"250 ok\r\n")
                        else:
                            data.append(line)
                        f.flush()
                        continue
                    verb = line[:4].upper()
                    f.write(
                        {b"DATA": b"354 go\r\n", b"QUIT": b"221 bye\r\n"}.get(verb, b"250 ok\r\n")
                    )
                    f.flush()
                    if verb == b"DATA":
                        data = []
                    if verb == b"QUIT":
                        break


def _mail_to(monkeypatch, port: int):
    """Point the app's e-mail at a server on this machine."""
    monkeypatch.setenv("DWH_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DWH_SMTP_PORT", str(port))


def _sink(monkeypatch, on_message=lambda: None) -> SmtpSink:
    """A local SMTP server, started, that the app mails to."""
    sink = SmtpSink(on_message)
    sink.start()
    _mail_to(monkeypatch, sink.port)
    return sink


def test_each_change_is_mailed_when_a_server_is_configured(people, monkeypatch):
    sink = _sink(monkeypatch)
    number = submit(people["alice"], body())
    workflow.move(number, people["sam"], "under_review")
    assert len(sink.messages) == 1
    assert "To: alice@example.org" in sink.messages[0]
    assert f"{number}: submitted" in sink.messages[0] and "under review" in sink.messages[0]


def test_a_mail_server_that_is_down_blocks_nothing_and_the_mail_goes_out_later(people, monkeypatch):
    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there: the connection is refused
    _mail_to(monkeypatch, port)
    number = submit(people["alice"], body())
    assert workflow.move(number, people["sam"], "under_review")["status"] == "under_review"
    assert [n["message"] for n in workflow.notifications(people["alice"])][0].startswith(number)
    with store.reading() as con:
        row = con.execute(
            "select email_to, emailed_at, email_attempts, email_error from notifications "
            "order by id desc limit 1"
        ).fetchone()
    assert row["email_to"] == "alice@example.org" and row["emailed_at"] is None
    assert row["email_attempts"] == 1 and "Connection refused" in row["email_error"]

    sink = _sink(monkeypatch)
    from dwh.requests import notify

    assert notify.send_pending() == (1, 0)
    assert len(sink.messages) == 1 and f"{number}: submitted" in sink.messages[0]
    assert notify.send_pending() == (0, 0)  # sent once only


def test_a_reason_over_several_lines_is_mailed_on_one_subject_line(people, monkeypatch):
    sink = _sink(monkeypatch)
    number = submit(people["alice"], body())
    workflow.move(number, people["sam"], "under_review")
    reason = "Not feasible.\nBcc: everyone@example.org"
    workflow.move(number, people["sam"], "rejected", reason=reason)
    mail = email.message_from_string(sink.messages[-1])
    assert mail["Bcc"] is None and mail["To"] == "alice@example.org"  # no header injected
    assert "rejected" in mail["Subject"]
    assert "Bcc: everyone@example.org" in mail.get_payload()  # the reason, in the body


def test_no_lock_is_held_while_the_mail_server_answers(people, monkeypatch):
    writable = []

    def try_to_write():
        con = sqlite3.connect(store.path(), timeout=0)
        try:
            con.execute("begin immediate")
            con.execute("rollback")
            writable.append(True)
        except sqlite3.OperationalError:
            writable.append(False)
        finally:
            con.close()

    _sink(monkeypatch, on_message=try_to_write)
    number = submit(people["alice"], body())
    workflow.move(number, people["sam"], "under_review")
    assert writable == [True]


def _app(lang="en", user=None, page=None):
    from streamlit.testing.v1 import AppTest

    from dwh.core import paths

    at = AppTest.from_file(str(paths.PROJECT_DIR / "dashboards" / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    if user:
        at.session_state["user"] = user
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def test_login_checks_the_password_and_opens_the_pages_of_the_role(people, monkeypatch):
    at = _app(page="views/login.py")
    at.text_input(key="login_name").set_value("alice")
    at.text_input(key="login_password").set_value("wrong password")
    at.button(key="login_submit").click().run()
    assert "user" not in at.session_state and any("wrong" in e.value for e in at.error)
    at.text_input(key="login_password").set_value(PASSWORD)
    at.button(key="login_submit").click().run()
    assert at.session_state["user"]["role"] == "researcher"
    expected = {
        None: [],
        "researcher": ["views/request_form.py", "views/my_requests.py"],
        "steward": ["views/review.py", "views/stewards.py"],
        "committee": ["views/committee.py"],
    }
    private = {p for pages in expected.values() for p in pages}
    for role, pages in expected.items():
        user = next((u for u in people.values() if u["role"] == role), None)
        for page in private:
            if page in pages:
                at = _app(user=user, page=page)
                assert not at.warning or "signed-in" not in at.warning[0].value
            else:  # not in the navigation of this role: unreachable
                with pytest.raises(Exception):  # noqa: B017
                    _app(user=user, page=page)


@pytest.fixture
def shown(monkeypatch):
    """The pages' own names of columns and fields, in English (the tests' language)."""
    import streamlit as st

    from dwh.core import paths

    monkeypatch.syspath_prepend(str(paths.PROJECT_DIR / "dashboards"))
    monkeypatch.setitem(st.session_state, "lang", "en")
    import requests_view

    return requests_view


def test_the_form_shows_each_error_then_submits(people, shown):
    at = _app(user=people["alice"], page="views/request_form.py")
    at.button(key="rf_submit").click().run()
    field = shown.headers()["field"]
    errors = next(d.value for d in at.dataframe if field in d.value.columns)
    expected = {"purpose", "dpo_contact", "periods", "variables"}
    assert {shown.field_name(f) for f in expected} <= set(errors[field])
    filled = body()
    for field in form.TEXTS:
        at.text_area(key=f"rf_{field}").set_value(filled[field]) if field in (
            "purpose",
            "publication_plan",
            "security",
        ) else at.text_input(key=f"rf_{field}").set_value(filled[field])
    at.text_input(key="rf_dpo_contact").set_value(filled["dpo_contact"])
    at.multiselect(key="rf_periods").set_value(["2025Q1"])
    at.number_input(key="rf_percent").set_value(20.0)  # anonymous samples: at most 50 %
    at.multiselect(key="rf_variables").set_value(["sex", "position_code"]).run()
    at.text_input(key="rf_why_sex").set_value("gender gaps")
    at.text_input(key="rf_why_position_code").set_value("the outcome")
    at.button(key="rf_submit").click().run()
    assert not at.exception
    number = at.success[0].value.split()[1]
    request = workflow.get(number, people["alice"])
    assert request["body"]["variables"] == {"sex": "gender gaps", "position_code": "the outcome"}
    assert request["body"]["periods"] == ["2025Q1"]


def test_my_requests_lists_only_mine(people, shown):
    mine = submit(people["bob"], body())
    at = _app(user=people["bob"], page="views/my_requests.py")
    listed = set(at.dataframe[0].value[shown.headers()["number"]])
    assert mine in listed
    owners = {workflow.get(n, people["sam"])["owner"] for n in listed}
    assert owners == {"bob"}


def test_the_cli_takes_a_request_from_yaml_to_extract(people, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    import yaml

    dwh = str(Path(sys.executable).with_name("dwh"))

    def run(*args):  # the acting user's password on standard input, as a script gives it
        return subprocess.run(
            [dwh, *args], capture_output=True, text=True, timeout=600, input=PASSWORD + "\n"
        )

    template = run("requests", "template").stdout
    request = yaml.safe_load(template)
    assert set(request) == set(form.blank())
    request["periods"] = ["2025Q1"]
    path = tmp_path / "request.yaml"
    path.write_text(yaml.safe_dump({**request, "purpose": "short", "format": "xls"}))
    refused = run("requests", "submit", str(path), "--as", "alice")
    assert refused.returncode == 1
    assert "purpose: at least 200 characters" in refused.stderr
    assert "format: one of parquet, csv" in refused.stderr
    path.write_text(yaml.safe_dump(request))
    submitted = run("requests", "submit", str(path), "--as", "alice")
    assert submitted.returncode == 0, submitted.stderr
    number = submitted.stderr.split()[1]
    assert run("requests", "review", number, "--as", "bob", "--to", "under_review").returncode == 1
    assert run("requests", "review", number, "--as", "sam", "--to", "under_review").returncode == 0
    assert run("requests", "review", number, "--as", "sam", "--to", "approved").returncode == 0
    produced = run("extract", number, "--as", "sam")
    assert produced.returncode == 0, produced.stderr
    shown = run("requests", "show", number, "--as", "alice").stdout
    assert "approved -> extract_produced" in shown
    assert number not in run("requests", "list", "--as", "bob").stdout
    assert run("requests", "show", number, "--as", "bob").returncode == 1


def test_a_draft_is_checked_when_it_is_submitted(people, shown):
    draft = submit(people["alice"], body(purpose="unfinished"), draft=True)
    at = _app(user=people["alice"], page="views/my_requests.py")
    at.selectbox(key="mr_number").set_value(draft).run()
    at.button(key="mr_submit").click().run()
    field = shown.headers()["field"]
    errors = next(d.value for d in at.dataframe if field in d.value.columns)
    assert list(errors[field]) == [shown.field_name("purpose")]
    assert workflow.get(draft, people["alice"])["status"] == "draft"
    workflow.update(draft, people["alice"], body(), "anonymous_sample")
    at.button(key="mr_submit").click().run()
    assert workflow.get(draft, people["alice"])["status"] == "submitted"


def test_the_form_clones_an_earlier_request_in_french(people):
    earlier = submit(
        people["alice"], body(kind="pseudonymised", periods=["2025Q2"], structure="person")
    )
    at = _app("fr", user=people["alice"], page="views/request_form.py")
    assert at.text_area(key="rf_purpose").label.startswith("Finalité")
    at.selectbox(key="rf_clone").set_value(earlier).run()
    assert not at.exception
    assert at.text_area(key="rf_purpose").value == body()["purpose"]
    assert at.multiselect(key="rf_periods").value == ["2025Q2"]
    assert at.radio(key="rf_structure").value == "person"
    assert at.text_input(key="rf_why_sex").value == "gender gaps"
