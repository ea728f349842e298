"""The README's screenshots of the main pages, taken in headless Chromium from a running
``dwh serve`` on a home with a publication (not a test: the browser tests check the pages).

    python dashboards/screenshots/take.py --home DWH_HOME

Writes ``dashboards/screenshots/*.png`` (replacing them).
"""

import argparse
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from dwh.serving.local import served

HERE = Path(__file__).parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
CHART = ".vega-embed svg, .vega-embed canvas"
TABLE = "[data-testid='stDataFrame'] canvas"
METRIC = "[data-testid='stMetricValue']"
# (file, address, viewport, what must be drawn): the main pages, in Dutch and French, and one
# on a phone
SHOTS = [
    ("home-nl.png", "/?lang=nl", DESKTOP, METRIC),
    ("global-fr.png", "/global_figures?lang=fr", DESKTOP, CHART),
    ("local-nl.png", "/local_figures?lang=nl&l_unit=24062", DESKTOP, TABLE),
    ("profile-fr.png", "/profile?lang=fr&p_unit=92142", DESKTOP, CHART),
    ("local-phone-fr.png", "/local_figures?lang=fr&l_unit=92142", PHONE, TABLE),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="DWH_HOME with a publication")
    args = parser.parse_args()
    with served(args.home.resolve()) as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        for name, address, viewport, drawn in SHOTS:
            tab = browser.new_page(viewport=viewport)
            tab.goto(url + address)
            tab.wait_for_selector("[data-testid='stApp']")
            tab.wait_for_function(
                "!document.querySelector('[data-testid=\"stStatusWidget\"]')",
                timeout=120_000,
            )
            tab.locator(drawn).first.wait_for(timeout=120_000)
            time.sleep(4)  # the other charts and tables draw after the first
            tab.screenshot(path=str(HERE / name), full_page=viewport is PHONE)
            tab.close()
            print(HERE / name)
        browser.close()


if __name__ == "__main__":
    main()
