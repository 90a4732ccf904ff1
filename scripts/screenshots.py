"""Take full-page screenshots of Hub pages in headless Chromium, to look at them.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 / /members/ ...

Writes PNGs to var/screenshots/. Width 1280 (desktop) and, with --mobile, 375.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main(argv: list[str]) -> None:
    mobile = "--mobile" in argv
    base, *paths = [a for a in argv if a != "--mobile"]
    out = Path("var/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 375 if mobile else 1280, "height": 800})
        for path in paths:
            page.goto(base + path)
            name = (path.strip("/").replace("/", "_").replace("?", "_") or "home") + ("-mobile" if mobile else "")
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
