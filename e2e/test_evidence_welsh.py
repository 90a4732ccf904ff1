"""The evidence pages in Welsh (issue 14, item 2): indicator names, themes, definitions and caveats in Welsh,
checked with axe, on a desktop and a phone. `E2E_SHOTS=dir` keeps screenshots to look at."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible
from e2e.test_evidence import load_extracts

SHOTS = os.environ.get("E2E_SHOTS", "")


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=False)


def test_evidence_in_welsh(site: str, page: Page) -> None:
    load_extracts()
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site + "/cy/evidence/")
        work = page.get_by_role("heading", name="Gwaith", exact=True)
        expect(work).to_be_visible()
        work.scroll_into_view_if_needed()
        shoot(page, f"catalogue-cy-{width}")
        if width == 1280:
            assert_accessible(page)
        page.get_by_role("link", name="Cyfradd cyflogaeth").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Cyfradd cyflogaeth")
        expect(page.locator(".govuk-inset-text").first).to_contain_text("Mae ffigur y grŵp yn pwysoli")
        shoot(page, f"indicator-cy-{width}")
        if width == 1280:
            assert_accessible(page)
        page.goto(site + "/evidence/employment-rate/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Employment rate")
        shoot(page, f"indicator-en-{width}")
