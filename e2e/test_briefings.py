"""The secretariat writes a work area's pack with a figure token, is told where a bad token is, issues it; the
public read it and download it; every page checked with axe."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page, expect

from e2e.conftest import assert_accessible, sign_in
from e2e.test_evidence import load_extracts
from keycities.accounts.models import User


def test_a_work_area_pack_from_draft_to_the_public(site: str, page: Page, browser: Browser,  # type: ignore[no-untyped-def]
                                                   secretariat: User) -> None:  # fmt: skip
    load_extracts()
    staff = sign_in(browser, site, "sec")
    staff.goto(site + "/briefings/packs/")
    assert_accessible(staff)
    staff.get_by_label("What the pack is about").select_option("work-area")
    staff.get_by_label("Title").fill("Skills: the evidence")
    staff.get_by_label("Work area (for a work area’s pack)").select_option(label="Skills")
    staff.get_by_role("button", name="Start the pack").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Skills: the evidence")

    staff.get_by_label("Heading").fill("Bradford’s people")
    staff.get_by_label("Text").fill("Bradford has {{population:bradfrd:2024}} people.")
    staff.get_by_role("button", name="Save the section").click()
    expect(staff.get_by_role("alert")).to_contain_text("Line 1, column 14: {{population:bradfrd:2024}}: there is "
                                                       "no group or place “bradfrd”")  # fmt: skip
    assert_accessible(staff)
    staff.get_by_label("Text").fill("Bradford has {{population:bradford:2024}} people.")
    staff.get_by_role("button", name="Save the section").click()
    expect(staff.get_by_text("Section saved.")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_role("button", name="Issue the pack").click()
    expect(staff.get_by_text("Version 1 issued.")).to_be_visible()
    address = staff.url

    page.goto(site + "/briefings/")
    page.get_by_role("link", name="Skills: the evidence").click()
    assert page.url == address
    expect(page.get_by_text(re.compile(r"Bradford has 563,605 \[1\] people\."))).to_be_visible()
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename.endswith("-v1.pdf")
    page.goto(address.replace("/briefings/", "/cy/briefings/"))
    expect(page.get_by_role("heading", name="Ffynonellau")).to_be_visible()
    assert_accessible(page)
