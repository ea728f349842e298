"""The dashboards in a real browser: headless Chromium (Debian's) driven by Playwright."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(in_built):
    port = _free_port()
    env = {**os.environ, "DWH_HOME": str(in_built)}
    dwh = str(Path(sys.executable).with_name("dwh"))
    proc = subprocess.Popen(
        [dwh, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("the dashboards did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture
def page():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        yield tab
        browser.close()


def _settle(tab):
    tab.wait_for_selector("[data-testid='stApp']")
    tab.wait_for_function(
        "!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )


def _published(tab) -> str:
    tab.wait_for_function(
        "document.querySelector('[data-testid=\"stMetricValue\"]')?.innerText.length > 0",
        timeout=60_000,
    )
    return tab.locator("[data-testid='stMetricValue']").inner_text()


def _no_exception(tab):
    assert tab.locator("[data-testid='stException']").count() == 0


def _sign_in(tab, server: str, name: str, password: str):
    """Sign in on the Log in page, in Dutch."""
    tab.goto(f"{server}/login")
    _settle(tab)
    tab.get_by_label("Gebruikersnaam").fill(name)
    tab.get_by_label("Wachtwoord").fill(password)
    tab.get_by_role("button", name="Aanmelden").click()
    _settle(tab)


def test_every_page_in_a_real_browser(server, page, tmp_path):
    page.goto(server)
    _settle(page)
    page.get_by_text("Arbeidsmarkt en sociale bescherming", exact=True).wait_for()
    _no_exception(page)
    page.screenshot(path=tmp_path / "home.png", full_page=True)

    page.goto(f"{server}/global_figures")
    _settle(page)
    page.locator(".vega-embed").first.wait_for(timeout=60_000)
    rows_before = page.locator("[data-testid='stDataFrame']").first.bounding_box()["height"]
    page.get_by_text("19 categorieën").click()
    _settle(page)
    page.wait_for_timeout(1000)
    rows_after = page.locator("[data-testid='stDataFrame']").first.bounding_box()["height"]
    assert rows_after >= rows_before
    _no_exception(page)
    page.screenshot(path=tmp_path / "global.png", full_page=True)

    page.goto(f"{server}/local_figures")
    _settle(page)
    vega = page.locator(".vega-embed")
    vega.first.wait_for(timeout=60_000)
    assert vega.count() >= 1
    assert page.locator(".vega-embed svg, .vega-embed canvas").count() >= 1
    _no_exception(page)
    page.screenshot(path=tmp_path / "local.png", full_page=True)

    page.goto(f"{server}/synthetic")
    _settle(page)
    page.get_by_text("synthetische", exact=False).first.wait_for()
    _no_exception(page)
    page.goto(f"{server}/stewards")  # for signed-in stewards only: not even in the navigation
    _settle(page)
    page.get_by_text("Page not found").wait_for()
    assert page.get_by_text("Quarantaine per reden").count() == 0
    assert (tmp_path / "local.png").stat().st_size > 10_000


def test_the_server_sends_security_headers_and_closes_metrics(server):
    answer = urllib.request.urlopen(server, timeout=10)
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    for closed in ("/_stcore/metrics", "/delivery/not-a-token"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(server + closed, timeout=10)
        assert refused.value.code == 404


def test_build_and_publication_while_serving(server, page):
    """A build and a publication while people browse: no error, then the new figures."""
    import threading

    from dwh.build.run import build
    from dwh.publish import publish

    page.goto(server)
    _settle(page)
    before = _published(page)
    result = {}
    worker = threading.Thread(target=lambda: result.update(build(docs=False)))
    worker.start()
    while worker.is_alive():
        for path in ("", "global_figures", "local_figures"):
            page.goto(f"{server}/{path}")
            _settle(page)
            _no_exception(page)
    worker.join()
    assert result["status"] == "success"
    time.sleep(1.1)
    publish()
    page.goto(server)
    _settle(page)
    _no_exception(page)
    assert _published(page) != before


def test_a_researcher_signs_in_and_reaches_the_request_form(server, page):
    from dwh.requests import users

    if users.get("browser-researcher") is None:
        users.add("browser-researcher", "researcher", "browser password")
    page.goto(f"{server}/review")  # a page of another role, by its address
    _settle(page)
    page.get_by_text("Page not found").wait_for()  # Streamlit then shows the home page
    page.get_by_text("Arbeidsmarkt en sociale bescherming", exact=True).wait_for()
    _no_exception(page)
    assert page.get_by_role("link", name="Aanvragen beoordelen").count() == 0
    _sign_in(page, server, "browser-researcher", "browser password")
    page.get_by_role("link", name="Gegevens aanvragen").click()
    _settle(page)
    page.get_by_text("Variabelencatalogus").wait_for()
    page.get_by_role("button", name="Indienen").click()
    _settle(page)
    page.get_by_text("De aanvraag is niet geldig").wait_for()
    _no_exception(page)
    page.get_by_role("link", name="Mijn aanvragen").click()
    _settle(page)
    _no_exception(page)


def test_a_delivery_is_downloaded_once_by_its_owner_through_a_short_lived_link(server, page):
    from dwh.extracts.produce import produce
    from dwh.requests import users, workflow
    from dwh.requests.submission import submit

    sys.path.insert(0, str(Path(__file__).parents[1] / "requests"))
    from factory import body

    if users.get("browser-owner") is None:
        users.add("browser-owner", "researcher", "browser owner password")
    owner, steward = users.get("browser-owner"), {"name": "browser-steward", "role": "steward"}
    number = submit(owner, body(periods=["2025Q1"], variables={"sex": "x"}))
    workflow.move(number, steward, "under_review")
    workflow.move(number, steward, "approved")
    produce(number, steward)

    _sign_in(page, server, "browser-owner", "browser owner password")
    page.get_by_role("link", name="Mijn aanvragen").click()
    _settle(page)
    page.get_by_role("button", name="Levering downloaden").click()
    _settle(page)
    link = page.get_by_role("link", name="Downloaden (de link werkt één keer, twee minuten lang)")
    href = link.get_attribute("href")
    assert href.startswith("delivery/")
    answer = urllib.request.urlopen(f"{server}/{href}", timeout=30)
    assert answer.headers["Content-Type"] == "application/zip"
    assert answer.read()[:2] == b"PK"
    with pytest.raises(urllib.error.HTTPError) as again:  # once only, and never by others
        urllib.request.urlopen(f"{server}/{href}", timeout=30)
    assert again.value.code == 404
    history = workflow.history(number, owner)
    assert history[-1]["note"] == "delivery downloaded" and history[-1]["actor"] == "browser-owner"
    _no_exception(page)
