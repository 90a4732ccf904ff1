"""A resident answers a survey on a phone-sized screen, in Welsh, one question a page; the published results are
read on a desktop screen. Every page is checked with axe; screenshots go to SCREENSHOTS when it is set."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from e2e.conftest import assert_accessible
from keycities.voice import services
from keycities.voice.tests.factories import answer, close, make_survey

SHOTS = Path(os.environ["SCREENSHOTS"]) if os.environ.get("SCREENSHOTS") else None


def shot(page: Page, name: str) -> None:
    if SHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_a_resident_answers_in_welsh_on_a_phone_and_results_are_read(site: str, browser: Browser) -> None:
    survey = make_survey()
    phone = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    phone.goto(site + f"/cy/surveys/{survey.slug}/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Canol ein trefi")
    assert_accessible(phone)
    no_sideways_scroll(phone)
    shot(phone, "start-375-cy")
    phone.get_by_label("Bradford").check()
    phone.get_by_role("button", name="Dechrau nawr").click()
    expect(phone.locator(".govuk-caption-l")).to_have_text("Cwestiwn 1 o 8")
    phone.get_by_role("button", name="Parhau").click()  # required: refused with an error
    expect(phone.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(phone)
    shot(phone, "question-error-375-cy")
    phone.get_by_label("Bob mis").check()
    phone.get_by_role("button", name="Parhau").click()
    phone.get_by_label("Siopau").check()
    phone.get_by_role("button", name="Parhau").click()
    phone.get_by_label("4", exact=True).check()
    phone.get_by_role("button", name="Parhau").click()
    assert_accessible(phone)
    no_sideways_scroll(phone)
    shot(phone, "ranking-375-cy")
    phone.get_by_role("button", name="Cadw a dod yn ôl yn nes ymlaen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mae eich atebion wedi’u cadw")
    assert_accessible(phone)
    no_sideways_scroll(phone)
    shot(phone, "saved-375-cy")
    phone.goto(phone.locator("main a.govuk-link").first.get_attribute("href") or "")
    phone.get_by_role("button", name="Parhau").click()  # question 1, kept
    for _ in range(4):
        phone.get_by_role("button", name="Parhau").click()
    phone.get_by_label("35 i 49").check()
    phone.get_by_role("button", name="Parhau").click()
    phone.get_by_label("Benyw").check()
    phone.get_by_role("button", name="Parhau").click()
    phone.get_by_role("button", name="Parhau").click()  # postcode: optional
    expect(phone.get_by_role("heading", level=1)).to_have_text("Gwiriwch eich atebion cyn eu hanfon")
    assert_accessible(phone)
    no_sideways_scroll(phone)
    shot(phone, "check-375-cy")
    phone.get_by_role("button", name="Anfon fy atebion").click()
    expect(phone.locator(".govuk-panel__title")).to_have_text("Mae eich atebion wedi’u hanfon")
    shot(phone, "sent-375-cy")

    for i in range(30):
        answer(survey, "coventry", age=["65-74", "35-49", "25-34"][i % 3], sex=["female", "male"][i % 2],
               visit=i % 3, browser=f"e2e{i}")  # fmt: skip
    services.import_population()
    services.publish_results(close(survey), True)
    for width, language in ((1280, ""), (375, "/cy"), (1280, "/cy"), (375, "")):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(site + f"{language}/surveys/{survey.slug}/results/")
        assert_accessible(page)
        no_sideways_scroll(page)
        shot(page, f"results-{width}-{language.strip('/') or 'en'}")
