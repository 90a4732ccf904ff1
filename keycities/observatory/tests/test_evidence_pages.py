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
    for level, area, value in [("ITL1: nations and regions", "North East", "£11,978m"),
                               ("ITL2: groups of counties and city regions", "Tees Valley and Durham", "£6,198m"),
                               ("ITL3: counties and groups of local authorities", "Coventry", "£3,291m")]:  # fmt: skip
        assert level in html
        assert re.search(rf"{area} <span class=\"kc-muted\">[A-Z0-9]+</span></th><td [^>]*>{value}", html), area
    assert "Over time" not in html  # one year: no one-dot chart
