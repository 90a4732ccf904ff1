"""A partner sends a proposal through the real form; the lead city's officer answers it."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible, fill_sign_in

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_send_a_proposal_and_get_an_answer(site: str, page: Page, officer, browser) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/work-areas/skills/")
    page.goto(site + "/work-with-us/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Send us your idea or proposal")
    assert_accessible(page)

    page.get_by_role("button", name="Continue").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your name")
    assert_accessible(page)

    page.get_by_label("Your name").fill("Asha Patel")
    page.get_by_label("Email address").fill("asha@example.org")
    page.get_by_label("Charity or community group").check()
    page.get_by_label("Skills", exact=True).check()
    page.get_by_label("Bradford").check()
    page.get_by_label("Title", exact=True).fill("Digital skills bootcamps for adults")
    page.get_by_label("Summary", exact=True).fill("Free twelve-week bootcamps for adults who want to retrain.")
    page.get_by_label("Details", exact=True).fill("We would run them with the colleges and local employers.")
    page.locator("#id_attachments").set_input_files(files=[{"name": "plan.pdf", "mimeType": "application/pdf",
                                                            "buffer": PDF}])  # fmt: skip
    page.get_by_label(re.compile("I have read the privacy notice")).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your proposal")
    expect(page.locator(".govuk-summary-list").nth(1)).to_contain_text("plan.pdf")
    assert_accessible(page)
    page.get_by_role("button", name="Send the proposal").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Proposal sent")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert re.fullmatch(r"KC-\d{4}-00001", reference)
    assert_accessible(page)

    status_link = re.search(r"http://\S+/work-with-us/status/\S+/", mail.outbox[0].body).group(0)  # type: ignore[union-attr]
    status_path = (
        status_link.split("testserver")[-1] if "testserver" in status_link else "/" + status_link.split("/", 3)[3]
    )

    officer_page = browser.new_context().new_page()
    fill_sign_in(officer_page, site, "officer")
    officer_page.goto(site + "/proposals/")
    assert_accessible(officer_page)
    officer_page.get_by_role("link", name=reference).click()
    expect(officer_page.get_by_role("heading", level=1)).to_have_text("Digital skills bootcamps for adults")
    assert_accessible(officer_page)
    officer_page.get_by_label("New status").select_option(label="Accepted into the work programme")
    officer_page.get_by_label(re.compile("Answer to the submitter")).fill("Bradford will take this forward.")
    officer_page.get_by_role("button", name="Change status").click()
    expect(officer_page.locator(".govuk-notification-banner")).to_contain_text("Status changed")

    page.goto(site + status_path)
    expect(page.locator("main .govuk-tag").first).to_have_text("Accepted into the work programme")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Bradford will take this forward.")
    assert_accessible(page)


def test_send_a_proposal_in_welsh_and_get_an_answer_in_welsh(site: str, page: Page, officer, browser) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: the form, check-answers, confirmation and status pages at /cy/, every one checked with axe; the
    submitter's email is in Welsh and the reviewer, working in English, is told the proposal is in Welsh."""
    page.goto(site + "/cy/work-with-us/")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anfonwch eich syniad neu’ch cynnig atom")
    assert_accessible(page)

    page.get_by_role("button", name="Parhau").click()  # nothing filled in
    expect(page.locator(".govuk-error-summary")).to_contain_text("Mae problem wedi codi")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Rhowch eich enw")
    assert_accessible(page)

    page.get_by_label("Eich enw").fill("Siân Owen")
    page.get_by_label("Cyfeiriad e-bost").fill("sian@example.org")
    page.get_by_label("Elusen neu grŵp cymunedol").check()
    page.get_by_label("Sgiliau", exact=True).check()
    page.get_by_label("Abertawe").check()
    page.get_by_label("Teitl", exact=True).fill("Prentisiaethau digidol i oedolion")
    page.get_by_label("Crynodeb", exact=True).fill("Cyrsiau deuddeg wythnos am ddim i oedolion sydd am ailhyfforddi.")
    # GOV.UK Frontend's word count speaks Welsh too.
    expect(page.locator(".govuk-character-count__status")).to_have_text("Mae gennych 90 gair ar ôl")
    page.get_by_label("Manylion", exact=True).fill("Byddem yn eu cynnal gyda’r colegau a chyflogwyr lleol.")
    page.get_by_label(re.compile("Rwyf wedi darllen yr hysbysiad preifatrwydd")).check()
    page.get_by_role("button", name="Parhau").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gwiriwch eich atebion cyn anfon eich cynnig")
    expect(page.locator(".govuk-summary-list").nth(1)).to_contain_text("Sgiliau")
    assert_accessible(page)
    page.get_by_role("button", name="Anfon y cynnig").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Mae’r cynnig wedi’i anfon")
    reference = page.locator(".govuk-panel__body strong").inner_text()
    assert_accessible(page)

    confirmation, notice = mail.outbox
    assert confirmation.subject == f"Eich cynnig i Key Cities: {reference}"
    assert "Written in: Welsh (answer the submitter in Welsh)" in notice.body
    status_path = re.search(r"/cy/work-with-us/status/\S+/", confirmation.body).group(0)  # type: ignore[union-attr]

    officer_page = browser.new_context().new_page()
    fill_sign_in(officer_page, site, "officer")
    officer_page.goto(site + "/proposals/")
    expect(officer_page.locator("tbody")).to_contain_text("Welsh")
    officer_page.get_by_role("link", name=reference).click()
    expect(officer_page.locator(".govuk-summary-list")).to_contain_text("answer them in Welsh")
    assert_accessible(officer_page)
    officer_page.get_by_label("New status").select_option(label="Accepted into the work programme")
    officer_page.get_by_label(re.compile("Answer to the submitter")).fill("Bydd Bradford yn bwrw ymlaen â hyn.")
    officer_page.get_by_role("button", name="Change status").click()
    expect(officer_page.locator(".govuk-notification-banner")).to_contain_text("Status changed")
    assert mail.outbox[-1].subject == f"Eich cynnig {reference}: Wedi’i dderbyn i’r rhaglen waith"

    page.goto(site + status_path)
    expect(page.locator("main .govuk-tag").first).to_have_text("Wedi’i dderbyn i’r rhaglen waith")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Bydd Bradford yn bwrw ymlaen â hyn.")
    expect(page.get_by_role("heading", name="Beth sydd wedi digwydd")).to_be_visible()
    assert_accessible(page)
