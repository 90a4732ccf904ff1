"""The evidence observatory in a real browser: an indicator, a place profile
and the compare page, each checked with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.conftest import assert_accessible
from keycities.observatory import services
from keycities.observatory.tests.conftest import EXTRACTS, extract_source


def load_extracts() -> None:
    services.sync_catalogue()
    services.import_areas()
    for key in EXTRACTS:
        source, path = extract_source(key)
        services.import_source(source, path=path)


def test_evidence_journey(site: str, page: Page) -> None:
    load_extracts()
    page.goto(site + "/evidence/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence")
    assert_accessible(page)

    page.get_by_role("link", name="Employment rate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Employment rate")
    expect(page.locator(".govuk-summary-list")).to_contain_text("weighted by its population")
    expect(page.locator("figure svg").first).to_be_visible()
    page.get_by_text("Show the numbers as a table").first.click()
    expect(page.locator("details table").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Year").select_option("2022")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Key Cities compared, 2022")).to_be_visible()

    page.get_by_role("link", name="Coventry").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coventry in numbers")
    expect(page.get_by_role("row", name="Population")).to_contain_text("369,026")
    assert_accessible(page)

    page.goto(site + "/evidence/compare/")
    page.get_by_label("Key Cities").check()
    page.get_by_label("Hull").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("figure svg")).to_be_visible()
    assert_accessible(page)


def test_evidence_reads_on_a_phone(site: str, page: Page) -> None:
    """At 375 px the ranked table keeps its value column on screen and chart text stays readable."""
    load_extracts()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + "/evidence/employment-rate/")
    value = page.locator("table.kc-ranked thead th").last
    expect(value).to_have_text("Value")
    box = value.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    # The line chart is drawn small enough that its 14 px labels are shown at 10 px or more.
    chart = page.locator("figure.kc-chart svg").first
    natural = float(chart.get_attribute("width") or 0)
    shown = chart.bounding_box()
    assert shown is not None and natural > 0 and 14 * shown["width"] / natural >= 10
    # The map's legend is text beside the picture, not inside it.
    expect(page.locator(".kc-legend")).to_contain_text("Key Cities member")
    assert_accessible(page)
