"""Re-takes the README's screenshots of the app: start `verbatim serve` on the bundled index, then
`.venv/bin/python docs/screenshots.py [URL]` (default http://127.0.0.1:7860/). Debian's Chromium,
headless, as the browser tests drive it."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).parent
QUESTION = "How many people were detained in Nur-Sultan on the day of the presidential election?"


def main(url: str) -> None:
    search = url + "?" + urlencode({"q": QUESTION, "mode": "hybrid", "k": 3})
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 1250})
        page.set_default_timeout(60_000)
        page.goto(search)
        page.wait_for_selector("#vb-results .vb-hit")
        page.screenshot(path=str(DOCS / "app-search.png"))
        source = page.locator("#vb-results a.vb-source").first.get_attribute("href")
        viewer = browser.new_page(viewport={"width": 1000, "height": 700})
        viewer.goto(url.rstrip("/") + source)
        viewer.wait_for_selector("#passage")
        viewer.screenshot(path=str(DOCS / "app-source.png"))
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        phone.goto(search)
        phone.wait_for_selector("#vb-results .vb-hit")
        phone.screenshot(path=str(DOCS / "app-phone.png"))
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:7860/")
