"""Engagement in a real browser: the public find Salford's MPs by share of wards, the APPG and an MP's page;
the secretariat records a meeting with a Minister and a follow-up for a Bradford officer, who finds it on
My work; coverage, follow-ups and the calendar page. Every page is checked with axe."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import assert_accessible, sign_in
from keycities.accounts.models import User
from keycities.engagement.models import Interaction
from keycities.engagement.tests import extracts


def test_mps_of_a_place_and_a_meeting_with_a_follow_up(site: str, page: Page, browser: Browser, officer: User,  # type: ignore[no-untyped-def]
                                                       secretariat: User) -> None:  # fmt: skip
    extracts.load()

    # The public: Salford's page has its Parliament panel, with shares of wards.
    page.goto(site + "/members/salford/")
    panel = page.get_by_role("region", name="Parliament")
    expect(panel.get_by_role("row", name=re.compile("Worsley and Eccles"))).to_contain_text("7 of 10 wards")
    assert_accessible(page)
    panel.get_by_role("link", name="Rebecca Long Bailey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rebecca Long Bailey")
    expect(page.locator("main")).to_contain_text("Chair & Registered Contact")
    expect(page.locator("main")).not_to_contain_text("Our interactions")
    assert_accessible(page)
    for path in ("/parliament/appg/", "/cy/parliament/"):
        page.goto(site + path)
        assert_accessible(page)

    # The secretariat records a meeting with the Transport Secretary, with a follow-up for Bradford's officer.
    staff = sign_in(browser, site, "sec")
    staff.goto(site + "/engagement/interactions/new/")
    assert_accessible(staff)
    staff.get_by_label("Type", exact=True).select_option("meeting")
    staff.get_by_label("Date", exact=True).fill((timezone.localdate() - dt.timedelta(days=3)).isoformat())
    staff.get_by_label("Title", exact=True).fill("Bus franchising with the Transport Secretary")
    # People are found by name (thousands of contacts are never listed); Enter in the box finds, keeping the rest.
    staff.locator("#id_people_find").fill("alexander")
    staff.locator("#id_people_find").press("Enter")
    expect(staff.locator("#id_people-picker [role=status]")).to_contain_text("1 found for “alexander”")
    assert_accessible(staff)
    expect(staff.get_by_label("Title", exact=True)).to_have_value("Bus franchising with the Transport Secretary")
    staff.get_by_label(re.compile(r"^Heidi Alexander \(")).check()
    staff.get_by_label("Bradford", exact=True).check()
    staff.get_by_label("Follow-up (optional)", exact=True).fill("Send the bus briefing")
    staff.get_by_label("Owner of the follow-up", exact=True).select_option(str(officer.pk))
    staff.get_by_label("Follow-up due on", exact=True).fill((timezone.localdate() - dt.timedelta(days=1)).isoformat())
    staff.get_by_role("button", name="Save the interaction").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Bus franchising with the Transport Secretary")
    expect(staff.locator("main")).to_contain_text("Overdue")
    assert_accessible(staff)
    assert Interaction.objects.get().follow_ups.get().owner == officer
    for path in ("/engagement/coverage/", "/engagement/follow-ups/", "/engagement/calendar/"):
        staff.goto(site + path)
        assert_accessible(staff)

    # Bradford's officer, on a phone, finds it on My work.
    mine = sign_in(browser, site, "officer", width=375)
    mine.goto(site + "/my-work/")
    expect(mine.locator("main")).to_contain_text("Send the bus briefing")
    assert_accessible(mine)
