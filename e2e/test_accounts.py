"""Signing in and out in a real browser."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible


def test_partner_signs_in_and_out(site: str, page: Page, partner) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/account/sign-in/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page).to_have_title("Error: Sign in – Key Cities Hub")
    assert_accessible(page)

    page.get_by_label("Username").fill("partner")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    # Signing in lands on My work: a partner's own proposals (none yet), nothing to do.
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.locator("main")).to_contain_text("You have not sent a proposal yet.")
    assert_accessible(page)
    page.get_by_role("link", name="Your account").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator(".govuk-summary-list")).to_contain_text("University of Example")
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_secretariat_reaches_the_admin(site: str, page: Page, secretariat) -> None:  # type: ignore[no-untyped-def]
    page.goto(site + "/account/sign-in/")
    page.get_by_label("Username").fill("sec")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Your account and your tools").click()
    page.get_by_role("link", name="Admin: edit the registry, users and readings").click()
    expect(page.get_by_role("heading", name="Registry and records")).to_be_visible()
