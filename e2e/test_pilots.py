"""The secretariat enters a pilot with a milestone and an outcome, starts its evaluation and is told why it is
refused (two years of figures in the extract); the public read the pilot in English and Welsh; every page checked
with axe."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from e2e.conftest import assert_accessible
from e2e.test_consultations import sign_in
from e2e.test_evidence import load_extracts
from keycities.accounts.models import User


def test_a_pilot_entered_evaluated_and_read(site: str, page: Page, browser: Browser,  # type: ignore[no-untyped-def]
                                            secretariat: User) -> None:  # fmt: skip
    load_extracts()
    staff = sign_in(browser, site, "sec")
    staff.goto(site + "/pilots/new/")
    assert_accessible(staff)
    staff.get_by_role("button", name="Save the pilot").click()
    expect(staff.get_by_role("alert")).to_contain_text("There is a problem")
    assert_accessible(staff)
    staff.get_by_label("Name", exact=True).fill("Bradford skills test bed")
    staff.get_by_label("Type of pilot").select_option(label="Devolved delivery")
    staff.get_by_label("Bradford").check()
    staff.get_by_label("Public summary", exact=True).fill("Adult skills run by the council.")
    staff.get_by_label("Show on the public pages").check()
    staff.get_by_role("button", name="Save the pilot").click()
    expect(staff.get_by_text("Pilot saved.")).to_be_visible()
    staff.get_by_label("Milestone").fill("First learners")
    staff.get_by_label("Due").fill("2023-09-01")
    staff.get_by_role("button", name="Add the milestone").click()
    expect(staff.get_by_text("Milestone saved.")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_role("link", name="Add an outcome").click()
    staff.get_by_label("Indicator").select_option("employment-rate")
    staff.get_by_label("Intervention date").fill("2023-04-01")
    staff.get_by_role("button", name="Add the outcome").click()
    staff.get_by_role("button", name="Run the evaluation").click()
    expect(staff.get_by_text("no estimate is given")).to_be_visible()
    expect(staff.get_by_text("needs at least 5 to be fitted honestly")).to_be_visible()
    assert_accessible(staff)

    page.goto(site + "/pilots/")
    assert_accessible(page)
    page.get_by_role("link", name="Bradford skills test bed").click()
    expect(page.get_by_role("cell", name="First learners")).to_be_visible()
    assert_accessible(page)
    page.goto(page.url.replace("/pilots/", "/cy/pilots/"))
    expect(page.get_by_role("heading", name="Cerrig milltir")).to_be_visible()
    assert_accessible(page)
