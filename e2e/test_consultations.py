"""A consultation's whole life in a real browser: the lead officer drafts, three member officers
comment and decide, the secretariat signs off and publishes, and the public read the archive."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from e2e.conftest import assert_accessible, sign_in
from keycities.accounts.models import Role, User
from keycities.consultations import services
from keycities.network.models import Place, WorkArea


def test_a_response_from_draft_to_the_public_archive(site: str, page: Page, browser: Browser, officer: User,  # type: ignore[no-untyped-def]
                                                     secretariat: User) -> None:  # fmt: skip
    for slug in ("hull", "kirklees", "wakefield"):
        User.objects.create_user(slug, f"officer@{slug}.test", "correct horse battery", role=Role.MEMBER_OFFICER,
                                 place=Place.objects.get(slug=slug))  # fmt: skip
    today = timezone.localdate()
    c = services.create_consultation({
        "title": "Post-16 funding reform", "body_type": "uk-government", "body_name": "Department for Education",
        "url": "https://www.gov.uk/government/consultations/post-16", "published_on": today - dt.timedelta(days=7),
        "closes_on": today + dt.timedelta(days=12), "lead_place": Place.objects.get(slug="bradford"),
        "work_areas": [WorkArea.objects.get(slug="skills")]}, by=secretariat)  # fmt: skip

    # The public see it open, with the days left.
    page.goto(site + "/consultations/")
    expect(page.get_by_role("row", name=re.compile("Post-16 funding reform"))).to_contain_text("12 days left")
    assert_accessible(page)

    # The lead officer (Bradford) starts drafting, pastes the questions and answers them.
    lead = sign_in(browser, site, "officer")
    lead.goto(site + c.get_absolute_url())
    assert_accessible(lead)
    lead.get_by_role("button", name="Start drafting a response").click()
    lead.get_by_label("Paste several questions").fill("1. Do you agree with the formula?\n2. Any other comments?")
    lead.get_by_role("button", name="Add the questions").click()
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("2 questions added")
    lead.get_by_role("button", name="Save a new version").click()  # nothing typed yet
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("Nothing had changed")
    lead.goto(site + f"/consultations/{c.pk}/edit/")
    lead.get_by_label(re.compile("Question 1: Do you agree")).fill("We support the formula.")
    lead.get_by_role("button", name="Save a new version").click()
    lead.goto(site + f"/consultations/{c.pk}/edit/")
    assert_accessible(lead)
    lead.get_by_label(re.compile("Question 1: Do you agree")).fill("We strongly support the new formula.")
    lead.get_by_label(re.compile("Question 2: Any other")).fill("None.")
    lead.get_by_label("What did you change?").fill("Stronger wording")
    lead.get_by_role("button", name="Save a new version").click()
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("Saved as version 3")

    # Versions compared.
    lead.get_by_role("link", name="Versions").click()
    assert_accessible(lead)
    lead.get_by_role("button", name="Compare").click()
    expect(lead.locator("ins").filter(has_text="strongly")).to_have_count(1)
    assert_accessible(lead)

    # Hull comments; the lead opens member review.
    hull = sign_in(browser, site, "hull")
    hull.goto(site + c.get_absolute_url())
    hull.get_by_label("Comment on the answer to question 1").fill("Mention the adult skills fund?")
    hull.get_by_role("button", name="Add comment on question 1").click()
    expect(hull.locator("main")).to_contain_text("Mention the adult skills fund?")
    assert_accessible(hull)
    lead.goto(site + f"/consultations/{c.pk}/review/")
    lead.get_by_label("Review deadline").fill((today + dt.timedelta(days=5)).isoformat())
    lead.get_by_role("button", name="Open member review").click()
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("Member review is open")
    assert any("officer@hull.test" in m.to for m in mail.outbox)

    # Three member places decide; objecting without a reason is refused.
    hull.goto(site + f"/consultations/{c.pk}/review/")
    hull.get_by_label("Endorse", exact=True).check()
    hull.get_by_role("button", name="Record Hull’s decision").click()
    kirklees = sign_in(browser, site, "kirklees")
    kirklees.goto(site + f"/consultations/{c.pk}/review/")
    kirklees.get_by_label("Endorse with comments").check()
    kirklees.get_by_label("Comments, or the reason for objecting").fill("Mention FE colleges.")
    kirklees.get_by_role("button", name="Record Kirklees’s decision").click()
    wakefield = sign_in(browser, site, "wakefield")
    wakefield.goto(site + f"/consultations/{c.pk}/review/")
    wakefield.get_by_label("Object", exact=True).check()
    wakefield.get_by_role("button", name="Record Wakefield’s decision").click()
    expect(wakefield.locator(".govuk-error-summary")).to_contain_text("Give the reason for objecting")
    assert_accessible(wakefield)
    wakefield.get_by_label("Comments, or the reason for objecting").fill("The floor is too low.")
    wakefield.get_by_role("button", name="Record Wakefield’s decision").click()
    lead.goto(site + f"/consultations/{c.pk}/review/")
    lead.get_by_label("Endorse", exact=True).check()
    lead.get_by_role("button", name="Record Bradford’s decision").click()
    expect(lead.locator("#waiting")).not_to_contain_text("Hull")
    expect(lead.locator("#waiting")).to_contain_text("Blackpool")
    assert_accessible(lead)

    # The secretariat signs off, records the submission and so publishes it.
    sec = sign_in(browser, site, "sec")
    sec.goto(site + f"/consultations/{c.pk}/review/")
    assert_accessible(sec)
    sec.get_by_role("button", name="Sign off the response").click()
    # Wakefield objected: signing off is a recorded override with a published reason, checked first.
    expect(sec.locator("main")).to_contain_text("Wakefield objected")
    assert_accessible(sec)
    reason = "The deadline is today; the floor is raised in the text."
    sec.get_by_label("Why sign it off despite the objection?").fill(reason)
    sec.get_by_role("button", name="Sign off despite the objection").click()
    expect(sec.locator("main")).to_contain_text("version 3 is frozen")
    sec.get_by_label("Date submitted").fill(today.isoformat())
    sec.get_by_role("button", name="Record as submitted and publish").click()
    expect(sec.locator(".govuk-notification-banner")).to_contain_text("published in the archive")
    assert_accessible(sec)

    # The public read it in the archive and download it.
    page.goto(site + "/consultations/responses/")
    page.get_by_role("link", name="Post-16 funding reform").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-16 funding reform")
    expect(page.locator("main")).to_contain_text("We strongly support the new formula.")
    main = page.locator("main")
    expect(main).to_contain_text("3 of 24 member places endorsed this response; Wakefield objected to it.")
    expect(main).to_contain_text(reason)
    expect(page.locator("#positions tr").filter(has_text="Endorsed (2)")).to_contain_text("Bradford, Hull")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("as a PDF")).click()
    assert download.value.suggested_filename == f"key-cities-response-{c.pk}.pdf"
