"""The indicator page's links, maps and tables (issue 9, items 7 and 10)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from keycities.observatory import services

from .test_import_trade import GOODS, goods_extract  # noqa: F401 (a fixture)
from .test_import_workbooks import prepare

pytestmark = pytest.mark.django_db


def test_series_csv_link_is_absolute_and_works(registry: None, client: Client) -> None:
    html = client.get("/evidence/population/").content.decode()
    links = re.findall(r'href="([^"]*series\.csv)"', html)
    assert links == ["/evidence/population/series.csv"]
    response = client.get(links[0])
    assert response.status_code == 200
    assert response.content.decode().splitlines()[0].startswith("period,Key Cities")


def test_map_legend_is_text_and_the_table_is_not_repeated(registry: None, client: Client) -> None:
    html = client.get("/evidence/population/").content.decode()
    legend = re.search(r'<ul class="kc-legend__list">(.*?)</ul>', html, re.S)
    assert legend is not None and "Key Cities member" in legend.group(1)
    # The map's numbers are the ranked table's: one table of every local authority, not two.
    assert html.count("by local authority, 2024</caption>") == 1


def test_ranked_table_keeps_the_value_on_phones(registry: None, client: Client) -> None:
    html = client.get("/evidence/population/").content.decode()
    header = re.search(r'<table class="govuk-table kc-ranked">.*?</thead>', html, re.S)
    assert header is not None
    # Only the member column (and the area code) give way on narrow screens.
    assert re.findall(r'<th scope="col" class="([^"]*)">', header.group(0))[2].endswith("kc-hide-narrow")
    assert "kc-hide-narrow" not in re.findall(r'<th scope="col" class="([^"]*)">', header.group(0))[3]


def test_line_chart_is_drawn_at_a_size_phones_can_read(registry: None, client: Client) -> None:
    html = client.get("/evidence/population/").content.decode()
    svg = re.search(r'<figure class="kc-chart[^"]*">\s*<svg[^>]*width="([\d.]+)"', html)
    # Shrunk to a 345 px phone screen, its 14 px labels stay above 10 px.
    assert svg is not None and float(svg.group(1)) * 10 / 14 <= 345


def test_trade_by_region_is_not_a_member_comparison(tmp_path: Path, goods_extract: Path,  # noqa: F811
                                                    client: Client) -> None:  # fmt: skip
    prepare(tmp_path, ["K02000001", "E92000001"])
    services.import_source(GOODS, path=goods_extract)
    html = client.get("/evidence/goods-exports/").content.decode()
    assert "Key Cities compared" not in html
    assert "no data to no data" not in html
    assert "not for local authorities, so no member’s figure" in html
    for level, area, value in [("The UK and its nations", "United Kingdom", "£434,123m"),
                               ("ITL1: nations and regions", "North East", "£11,978m"),
                               ("ITL2: groups of counties and city regions", "Tees Valley and Durham", "£6,198m"),
                               ("ITL3: counties and groups of local authorities", "Coventry", "£3,291m")]:  # fmt: skip
        assert level in html
        assert re.search(rf"{area} <span class=\"kc-muted\">[A-Z0-9]+</span></th><td class=\"n\">{value}", html), area
    assert "Over time" not in html  # one year: no one-dot chart


# --------------------------------------------------------------------------- item 8: pages people would rather read


def test_member_page_shows_headline_figures_and_links_the_profile(registry: None, client: Client) -> None:
    html = client.get("/members/coventry/").content.decode()
    headlines = re.search(r'<dl class="kc-headlines">(.*?)</dl>', html, re.S)
    assert headlines is not None
    assert "Population</a>, 2024" in headlines.group(1) and "369,026" in headlines.group(1)
    assert 'href="/evidence/places/coventry/"' in html


def test_profile_is_grouped_by_theme_with_trends_and_ranks(registry: None, client: Client) -> None:
    html = client.get("/evidence/places/coventry/").content.decode()
    themes = re.findall(r'<h2 class="govuk-heading-l" id="theme-\d+">([^<]+)</h2>', html)
    assert "People" in themes and len(themes) == len(set(themes)) > 1
    population = html[html.index(">Population</a>") :]
    population = population[: population.index("</tr>")]
    assert "369,026" in population
    assert '<svg class="kc-spark"' in population  # a trend line, named by its first and last values
    # Named by its first and last values, and where the series breaks (another release), which it is not drawn
    # across (ADR 0025): one piece of line per stretch.
    label = re.search(r'aria-label="\d{4}: [\d,]+; 2024: 369,026(; breaks in the series at ([\d, ]+))?"', population)
    assert label
    assert population.count("<polyline") == 1 + (len(label.group(2).split(", ")) if label.group(2) else 0)
    assert re.search(r"\d+ of \d+ areas", population)


def test_catalogue_is_searched_and_filtered_without_javascript(registry: None, client: Client) -> None:
    every = client.get("/evidence/").content.decode()
    pay = client.get("/evidence/?q=weekly+pay").content.decode()
    assert "Median weekly pay" in pay and ">Population</a>" not in pay
    assert re.search(r"1 indicator of \d+", pay)
    people = client.get("/evidence/?theme=People").content.decode()
    assert ">Population</a>" in people and "Median weekly pay" not in people
    assert '<option value="People">People</option>' in every
    assert "No indicator matches" in client.get("/evidence/?q=zzzz").content.decode()


def test_compare_shows_the_result_above_the_form(registry: None, client: Client) -> None:
    html = client.get("/evidence/compare/?indicator=population&groups=key-cities&places=hull").content.decode()
    assert 0 < html.index('id="result"') < html.index('<form method="get" novalidate>')


@pytest.mark.parametrize(("role", "sees_queue"), [("anonymous", False), ("partner", False), ("secretariat", True)])
def test_work_area_links_evidence_consultations_and_proposals(client_for, role: str,  # type: ignore[no-untyped-def]
                                                              sees_queue: bool) -> None:  # fmt: skip
    html = client_for(role).get("/work-areas/housing/").content.decode()
    assert 'href="/evidence/house-price-to-earnings/"' in html
    assert 'href="/consultations/responses/"' in html
    assert ('href="/proposals/?work_area=housing"' in html) is sees_queue


def test_profile_puts_indicators_without_a_figure_apart_with_the_reason(registry: None, client: Client) -> None:
    html = client.get("/evidence/places/carlisle/").content.decode()
    details = re.search(r'<details class="govuk-details">\s*<summary[^>]*><span[^>]*>(\d+) indicators? without a '
                        r"figure for Carlisle, and why</span>.*?</details>", html, re.S)  # fmt: skip
    assert details is not None and int(details.group(1)) > 0
    assert "Carlisle had no statistical area of its own" in details.group(0)
