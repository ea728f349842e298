"""The dashboards in a real browser: headless Chromium (Debian's) driven by Playwright. One
server and one browser per module; each test opens its own tab (a Dutch-speaking visitor's
unless it says otherwise)."""

import contextlib
import re
import shutil
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright
from streamlit.testing.v1 import AppTest

from dwh.serving.local import served

APP = str(Path(__file__).parents[2] / "dashboards" / "app.py")
CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def server_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server") / "serve.log"


@pytest.fixture(scope="module")
def server(built, server_log):
    with server_log.open("w") as log, served(built, log=log) as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nl-BE")
    yield context.new_page()
    context.close()


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


def test_the_server_is_healthy_once_each_figure_page_has_run(server, server_log):
    """`dwh serve` runs each figure page once before its health check says ok, so that the
    first visitor does not wait for the caches; every page ran without an error."""
    said = [line for line in server_log.read_text().splitlines() if "before the first" in line]
    assert said == [
        'Pages run before the first visitor: {"": true, "global_figures": true, '
        '"local_figures": true, "profile": true, "disability": true, "households": true, '
        '"mobility": true, "cohorts": true}'
    ]


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
    said = refused.value.read().decode()  # the delivery link's answer, in the three languages
    assert said.splitlines()[:2] == [
        "Deze downloadlink is niet (meer) geldig.",
        "Ce lien de téléchargement n'est pas (ou plus) valide.",
    ]


def test_build_and_publication_while_serving(page, built, tmp_path, monkeypatch):
    """A build and a publication while people browse: no error, then the new figures. In a
    copy of the session's home with a server of its own, so that the other tests keep the
    session's publication and build record; the build is the steward's next one (the
    deliveries unchanged, every table rebuilt, output-checked), without dbt's tests and docs,
    which only read the warehouse."""
    import threading

    from dwh.build.run import build
    from dwh.publish import publish

    home = tmp_path / "home"
    shutil.copytree(built, home, symlinks=True)
    monkeypatch.setenv("DWH_HOME", str(home))
    with served(home) as (server, _):
        page.goto(server)
        _settle(page)
        before = _published(page)
        result = {}
        worker = threading.Thread(target=lambda: result.update(build(docs=False, tests=False)))
        worker.start()
        visits = 0
        while worker.is_alive():  # a visitor every few seconds, leaving the cores to the build
            for path in ("", "global_figures", "local_figures"):
                page.goto(f"{server}/{path}")
                _settle(page)
                _no_exception(page)
                visits += 1
            worker.join(timeout=5)
        worker.join()
        assert result["status"] == "success" and result["output_check"]["disclosive"] is False
        assert visits >= 3  # pages were read while the build ran
        time.sleep(1.1)
        publish()
        page.goto(server)
        _settle(page)
        _no_exception(page)
        assert _published(page) != before


def test_a_researcher_signs_in_and_reaches_the_request_form(server, page, in_built):
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


def test_a_delivery_is_downloaded_once_by_its_owner_through_a_short_lived_link(
    server, page, in_built
):
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


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query, keep_blank_values=True)


def _html_lang(tab, expected: str):
    """``<html lang>`` becomes ``expected`` (the page sets it once it has drawn)."""
    tab.wait_for_function(f"document.documentElement.lang === {expected!r}", timeout=30_000)


def _title(tab, expected: str):
    """The tab's title becomes ``expected``: a click's rerun may not have started when
    ``_settle`` looks, so wait for the title itself, then compare (to show what it is)."""
    with contextlib.suppress(PlaywrightTimeout):
        tab.wait_for_function(f"document.title === {expected!r}", timeout=30_000)
    assert tab.title() == expected


def _select(tab, label: str) -> str:
    """What the select box labelled ``label`` shows."""
    return tab.get_by_role("combobox", name=label, exact=True).input_value()


FR_TITLE = "Marché du travail et protection sociale"
GEMBLOUX = "92142"


def test_a_shared_link_opens_the_local_page_in_french_with_its_filters(server, page):
    page.goto(f"{server}/local_figures?lang=fr&l_quarter=2024Q3&l_unit={GEMBLOUX}&l_sex=F")
    _settle(page)
    page.locator(".vega-embed").first.wait_for(timeout=60_000)
    _no_exception(page)
    _html_lang(page, "fr")
    _title(page, f"Chiffres locaux · {FR_TITLE}")
    assert _select(page, "Trimestre") == "2024Q3"
    assert _select(page, "Sexe") == "femme"
    unit = _select(page, "Commune ou autre territoire (tapez un nom ou un code INS)")
    assert unit.startswith("Gembloux") and GEMBLOUX in unit
    shared = _query(page.url)
    assert {k: shared[k] for k in ("lang", "l_quarter", "l_unit", "l_sex")} == {
        "lang": ["fr"],
        "l_quarter": ["2024Q3"],
        "l_unit": [GEMBLOUX],
        "l_sex": ["F"],
    }
    # the page's own link to this view opens the same view in another tab
    page.get_by_role("button", name="Lien").click()
    link = page.locator("[data-testid='stPopoverBody'] code").inner_text().strip()
    assert urlparse(link).path == "/local_figures" and _query(link) == shared
    other = page.context.new_page()
    other.goto(link)
    _settle(other)
    other.locator(".vega-embed").first.wait_for(timeout=60_000)
    _title(other, f"Chiffres locaux · {FR_TITLE}")
    assert _select(other, "Trimestre") == "2024Q3"
    assert _query(other.url) == shared


def test_a_link_with_invalid_values_falls_back_to_the_defaults(server, page, browser):
    page.goto(
        f"{server}/local_figures?lang=xx&l_quarter=1999Q9&l_sex=Z&l_minimum=lots"
        "&l_unit=%3Cscript%3Ealert(1)%3C%2Fscript%3E&l_unit=../../etc"
    )
    _settle(page)
    page.locator(".vega-embed").first.wait_for(timeout=60_000)
    _no_exception(page)
    _html_lang(page, "nl")  # the browser's language
    _title(page, "Lokale cijfers · Arbeidsmarkt en sociale bescherming")
    assert _select(page, "Kwartaal") == "2025Q4"  # the newest quarter of the session's years
    shared = _query(page.url)
    assert shared["lang"] == ["nl"] and shared["l_quarter"] == ["2025Q4"]
    assert shared["l_sex"] == ["_T"] and "l_unit" not in shared
    assert shared["l_minimum"] != ["lots"]
    # without a language in the link, the browser's: a French-speaking visitor gets French
    french = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-BE")
    tab = french.new_page()
    tab.goto(server)
    _settle(tab)
    _no_exception(tab)
    _html_lang(tab, "fr")
    _title(tab, f"Accueil · {FR_TITLE}")
    assert _query(tab.url) == {"lang": ["fr"]}
    french.close()


WIDTHS = """() => {
    const main = document.querySelector("[data-testid='stMain']");
    const shown = "[data-testid='stDataFrame'], [data-testid='stVegaLiteChart']";
    return [
        {scroll: main.scrollWidth, client: main.clientWidth},
        [...main.querySelectorAll(shown)].map(e => e.getBoundingClientRect())
            .map(r => [r.left, r.right]),
    ];
}"""


def test_on_a_phone_the_language_is_at_hand_and_nothing_is_cut_off(server, browser):
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="nl-BE", is_mobile=True, has_touch=True
    )
    tab = phone.new_page()
    tab.goto(f"{server}/local_figures?l_unit={GEMBLOUX}")
    _settle(tab)
    tab.locator(".vega-embed").first.wait_for(timeout=60_000)
    _no_exception(tab)
    french = tab.locator("[data-testid='stButtonGroup']").get_by_text("FR", exact=True)
    box = french.bounding_box()  # on the first screen, without opening the sidebar
    assert french.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert box["y"] + box["height"] <= 844
    sidebar = tab.locator("[data-testid='stSidebar']")
    assert sidebar.count() == 0 or sidebar.get_attribute("aria-expanded") != "true"
    # the page does not scroll sideways: tables and charts stay within the screen (each
    # scrolls sideways on its own)
    main, boxes = tab.evaluate(WIDTHS)
    assert main["scroll"] <= main["client"] <= 390
    assert len(boxes) >= 2 and all(left >= 0 and right <= 390 for left, right in boxes)
    french.click()
    _settle(tab)
    _title(tab, f"Chiffres locaux · {FR_TITLE}")
    _html_lang(tab, "fr")
    tab.wait_for_url(lambda url: _query(url).get("lang") == ["fr"], timeout=30_000)
    assert _query(tab.url)["l_unit"] == [GEMBLOUX]
    phone.close()


# What Streamlit writes in English unless a page sets it, and raw codes a page must translate.
UNTRANSLATED = [
    "Choose an option",
    "Choose options",
    "Select all",
    "No results",
    "under_review",
    "awaiting_committee",
    "extract_produced",
    "anonymous_sample",
    "person_quarter",
    "institution_code",
    "rows_received",
    "registration_status",
    "updated_at",
    "destroy_by",
]
TEXTS = """() => {
    const main = document.querySelector("[data-testid='stMain']");
    const walk = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const out = [document.title];
    while (walk.nextNode()) {
        // icons are ligatures (link, expand_more); the catalogue's descriptions are dbt's
        // documentation, in English only, as its headers say
        const skip = "script, style, [data-testid='stIconMaterial'], .st-key-catalogue";
        if (!walk.currentNode.parentElement.closest(skip)) {
            out.push(walk.currentNode.nodeValue);
        }
    }
    return out.join("\\n");
}"""


def _english(text: dict, lang: str) -> list[str]:
    """The dashboards' English labels (or their fixed parts around placeholders) that no
    ``lang`` label writes, and what Streamlit would say in English."""
    own = [entry[lang] for entry in text.values()]
    words = set(UNTRANSLATED)
    for entry in text.values():
        for part in re.split(r"\{[^}]*\}", entry["en"]):
            part = part.strip(" :·,.()")
            if len(part) >= 4 and not any(part in label for label in own):
                words.add(part)
    return sorted(words)


def test_request_and_steward_pages_in_french_and_dutch_have_no_english(
    server, page, in_built, monkeypatch
):
    from dwh.requests import users, workflow
    from dwh.requests.submission import submit

    monkeypatch.syspath_prepend(str(Path(__file__).parents[2] / "dashboards"))
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "requests"))
    from factory import body
    from i18n import TEXT

    for name, role in (("browser-chercheuse", "researcher"), ("browser-beheerder", "steward")):
        if users.get(name) is None:
            users.add(name, role, "browser password")
    researcher = users.get("browser-chercheuse")
    number = submit(researcher, body(periods=["2025Q1"], variables={"sex": "x"}))
    workflow.move(number, {"name": "browser-beheerder", "role": "steward"}, "under_review")
    english = {lang: _english(TEXT, lang) for lang in ("fr", "nl")}
    found = {}

    def read(lang: str, name: str):
        _settle(page)
        _no_exception(page)
        page.wait_for_timeout(500)  # the tables draw their visible cells
        text = page.evaluate(TEXTS)
        # a word, not part of a file's name (the synthetic page lists "metadata.json")
        found[lang, name] = [
            w for w in english[lang] if re.search(rf"(?<!\w){re.escape(w)}(?!\w|\.\w)", text)
        ]

    def titled(title: str):
        page.wait_for_function(f"document.title.startsWith({title!r})", timeout=60_000)
        _settle(page)

    def sign_in(name: str, lang: str, labels: tuple[str, str, str, str]):
        """Sign in on the login page in ``lang``; its labels: user name, password, log in,
        log out (the page's title once signed in)."""
        page.goto(f"{server}/login?lang={lang}")
        titled(labels[2])
        read(lang, "login")
        page.get_by_label(labels[0]).fill(name)
        page.get_by_label(labels[1]).fill("browser password")
        page.get_by_role("button", name=labels[2]).click()
        titled(labels[3])

    def language(lang: str):
        page.locator("[data-testid='stButtonGroup']").get_by_text(lang.upper(), exact=True).click()
        _html_lang(page, lang)
        _settle(page)

    def visit(link: str):
        page.get_by_role("link", name=link, exact=True).click()
        titled(link)

    french = ("Nom d'utilisateur", "Mot de passe", "Connexion", "Déconnexion")
    sign_in("browser-chercheuse", "fr", french)
    for lang, form, mine, submit_label, invalid in (
        ("fr", "Demander des données", "Mes demandes", "Soumettre", "La demande n'est pas"),
        ("nl", "Gegevens aanvragen", "Mijn aanvragen", "Indienen", "De aanvraag is niet"),
    ):
        language(lang)
        visit(form)
        page.get_by_role("button", name=submit_label).click()  # an empty request: errors
        page.get_by_text(invalid).wait_for()
        read(lang, "request form")
        visit(mine)
        read(lang, "my requests")
    sign_in("browser-beheerder", "nl", ("Gebruikersnaam", "Wachtwoord", "Aanmelden", "Afmelden"))
    for lang, review, stewards, synthetic in (
        ("fr", "Examiner les demandes", "Gestionnaires", "Données synthétiques"),
        ("nl", "Aanvragen beoordelen", "Beheerders", "Synthetische data"),
    ):
        language(lang)
        for link in (review, stewards, synthetic):
            visit(link)
            read(lang, link)
    assert found == {key: [] for key in found}
    assert len(found) == 12


def _app(lang: str) -> AppTest:
    """The app's home page run in process (Streamlit's AppTest), in ``lang``."""
    app = AppTest.from_file(APP, default_timeout=120)
    app.query_params["lang"] = lang
    return app.run()


def _everything(app: AppTest) -> str:
    return "\n".join(str(getattr(e, "value", "")) for e in app.main)


def test_nothing_published_is_said_to_visitors_in_their_language(dwh_home):
    for lang, said in (
        ("fr", "Aucun chiffre n'est encore publié : revenez plus tard."),
        ("nl", "Er zijn nog geen cijfers gepubliceerd: kom later terug."),
    ):
        app = _app(lang)
        assert not app.exception
        assert [w.value.split(" (")[0] for w in app.warning] == [said]


def test_a_failing_page_says_so_in_the_visitors_language_without_a_traceback(
    built, tmp_path, monkeypatch
):
    """The publication's public file broken on disk: the page fails, and says so in French,
    with no traceback, exception or server path."""
    served = (built / "serving" / "current").resolve()
    home = tmp_path / "home"
    copy = home / "serving" / "publications" / served.name
    shutil.copytree(served, copy, ignore=shutil.ignore_patterns("warehouse.duckdb*"))
    (home / "serving" / "current").symlink_to(Path("publications") / served.name)
    (copy / "public.duckdb").write_bytes(b"not a database" * 1000)
    monkeypatch.setenv("DWH_HOME", str(home))
    app = _app("fr")
    assert not app.exception
    assert [e.value for e in app.error] == [
        "Cette page n'a pas pu s'afficher. Réessayez plus tard ; si le problème persiste, "
        "signalez-le aux gestionnaires."
    ]
    shown = _everything(app)
    assert str(home) not in shown and "duckdb" not in shown.lower()
    assert "Traceback" not in shown and "Error" not in shown


def _chain(con, code: str) -> list[str]:
    """A unit and every unit above it, from the published geography."""
    parents = dict(con.execute("select geo_code, parent_code from dim_geography").fetchall())
    out = [code]
    while parents.get(out[-1]):
        out.append(parents[out[-1]])
    return out


def test_a_french_link_compares_a_municipality_and_its_downloads_are_numbers(
    server, page, built, tmp_path
):
    """The issue's path: a shared French link to Gembloux's employment rate; the comparison's
    CSV and Excel, read back as numbers, hold the published indicators of Gembloux, its
    arrondissement, province, region and Belgium (read here straight from public.duckdb)."""
    import duckdb
    import openpyxl
    import pandas as pd

    quarter, measure = "2024Q3", "employment_rate_20_64"
    public = built / "serving" / "current" / "public.duckdb"
    with duckdb.connect(str(public), read_only=True) as con:
        units = _chain(con, GEMBLOUX)
        expected = (
            con.execute(
                "select geo_code, numerator, denominator, rate, status from indicators "
                "where quarter = ? and indicator = ? and sex = '_T' "
                "and nationality_group = '_T' and list_contains(?, geo_code)",
                [quarter, measure, units],
            )
            .df()
            .set_index("geo_code")
        )
        numerator, denominator = con.execute(
            "select numerator_label_fr, denominator_label_fr from dim_indicator "
            "where indicator = ?",
            [measure],
        ).fetchone()
    assert len(units) == 5 and expected.status.eq("published").sum() >= 2  # Belgium, Wallonia
    page.goto(
        f"{server}/local_figures?lang=fr&l_quarter={quarter}&l_measure={measure}&l_unit={GEMBLOUX}"
    )
    _settle(page)
    page.locator(".st-key-comparison-csv button").wait_for(timeout=60_000)
    _no_exception(page)
    with page.expect_download() as csv_download:
        page.locator(".st-key-comparison-csv button").click()
    csv = tmp_path / "comparison.csv"
    csv_download.value.save_as(csv)
    with page.expect_download() as xlsx_download:
        page.locator(".st-key-comparison-xlsx button").click()
    xlsx = tmp_path / "comparison.xlsx"
    xlsx_download.value.save_as(xlsx)

    assert csv.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    read = pd.read_csv(csv, sep=";", decimal=",", encoding="utf-8-sig", dtype={"NIS": str})
    assert read.NIS.tolist() == units
    read = read.set_index("NIS")
    num, den = numerator.capitalize(), denominator.capitalize()
    for column in (num, den, "Taux (%)"):
        assert pd.api.types.is_numeric_dtype(read[column]), column
    for code, row in expected.iterrows():
        if row.status == "published":
            assert read.loc[code, num] == row.numerator
            assert read.loc[code, den] == row.denominator
            assert abs(read.loc[code, "Taux (%)"] - row.rate) <= 0.05 + 1e-9
            assert pd.isna(read.loc[code, "Signe conventionnel"])
        else:
            assert pd.isna(read.loc[code, "Taux (%)"])
            flag = {"withheld": "masqué", "not_available": "non disponible"}[row.status]
            assert read.loc[code, "Signe conventionnel"].startswith(flag)

    book = openpyxl.load_workbook(xlsx)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    cells = {
        row[header.index("NIS")].value: row for row in sheet.iter_rows(min_row=2) if row[0].value
    }
    assert list(cells) == units
    for code, row in expected.iterrows():
        if row.status == "published":
            got = cells[code][header.index(den)].value
            assert isinstance(got, int | float) and got == row.denominator
    assert book.sheetnames == ["données", "métadonnées"]
