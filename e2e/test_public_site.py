"""A visitor finds the network as the introduction describes it."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from e2e.conftest import assert_accessible


def test_home_to_a_member_and_back(site: str, page: Page) -> None:
    page.goto(site + "/")
    expect(page).to_have_title("Key Cities – Key Cities Hub")
    expect(page.get_by_role("heading", level=1)).to_have_text("A united voice for urban Britain")
    assert_accessible(page)

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Our members")
    expect(page.locator("tbody tr")).to_have_count(24)
    assert_accessible(page)

    page.get_by_label("Nation").select_option("Wales")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_role("status")).to_have_text("2 members match your filters.")
    assert_accessible(page)

    page.get_by_role("link", name="Swansea").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Swansea")
    expect(page.get_by_role("cell", name="W06000011")).to_be_visible()
    assert_accessible(page)


def test_member_with_a_changed_cover(site: str, page: Page) -> None:
    page.goto(site + "/members/bournemouth/")
    rows = page.locator("table", has_text="E06000058").locator("tbody tr")  # the areas covered, not other panels
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("31 March 2019")
    expect(rows.nth(1)).to_contain_text("E06000058")
    expect(page.get_by_role("link", name="Inclusive Growth")).to_be_visible()
    assert_accessible(page)


def test_work_areas_and_their_call_to_action(site: str, page: Page) -> None:
    page.goto(site + "/work-areas/")
    expect(page.locator(".kc-card")).to_have_count(11)
    assert_accessible(page)
    page.get_by_role("link", name="Integration").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Integration")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Bradford and Norwich")
    cta = page.get_by_role("link", name="Send us a proposal about integration")
    expect(cta).to_have_attribute("href", "/work-with-us/?work_area=integration")
    cta.click()
    expect(page.get_by_label("Integration")).to_be_checked()
    assert_accessible(page)


def test_works_without_javascript(site: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/members/?region=E12000003")
    expect(page.locator("tbody tr")).to_have_count(5)  # Bradford, Doncaster, Hull, Kirklees, Wakefield
    page.get_by_label("Region").select_option("E12000009")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("tbody tr")).to_have_count(3)  # Bournemouth, Gloucester, Plymouth
    context.close()


def test_small_screen_has_a_menu_and_no_sideways_scroll(site: str, browser: Browser) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    for path in ["/", "/members/", "/members/tees-valley/", "/work-areas/"]:
        page.goto(site + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways ({width}px)"
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    menu.click()
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="Work areas")).to_be_visible()
    assert_accessible(page)
    context.close()
