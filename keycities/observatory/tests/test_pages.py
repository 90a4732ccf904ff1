import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keycities.tests.fixtures import ROLES

pytestmark = pytest.mark.django_db

PAGES = ["/evidence/", "/evidence/population/", "/evidence/employment-rate/?period=2022",
         "/evidence/median-weekly-pay/", "/evidence/places/coventry/", "/evidence/places/tees-valley/",
         "/evidence/compare/", "/evidence/compare/?indicator=population&groups=key-cities&places=hull"]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_evidence_is_public(client_for, role: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(role)
    for url in PAGES:
        assert client.get(url).status_code == 200, url


def test_indicator_page(registry: None, client: Client) -> None:
    html = client.get("/evidence/population/").content.decode()
    assert "6,839,250" in html  # Key Cities, today's members, mid-2024
    assert "Not included: Carlisle." in html
    assert '<tr class="kc-member-row">' in html
    assert "<svg" in html and 'role="img"' in html
    assert "Mid-year population estimates</a>, released 26 September 2025" in html


def test_median_indicator_says_it_is_not_combined(registry: None, client: Client) -> None:
    html = client.get("/evidence/median-weekly-pay/").content.decode()
    assert "No group figure: members range from" in html


def test_place_profile(registry: None, client: Client) -> None:
    html = client.get("/evidence/places/carlisle/").content.decode()
    assert "Carlisle had no statistical area of its own" in html
    csv = client.get("/evidence/places/coventry/profile.csv").content.decode().splitlines()
    assert csv[0].startswith("indicator,unit,period,value")
    assert any(line.startswith("population,persons,2024,369026.0,2023,") for line in csv)


def test_compare_validates(registry: None, client: Client) -> None:
    html = client.get("/evidence/compare/?indicator=population").content.decode()
    assert "Choose at least one place or group to compare" in html
    csv = client.get("/evidence/compare/?indicator=population&places=hull&format=csv").content.decode()
    assert csv.splitlines()[0] == "period,Hull,break"


def test_unknown_indicator_is_404(registry: None, client: Client) -> None:
    assert client.get("/evidence/happiness/").status_code == 404


# A profile's figures, once computed, are kept for the same releases, places and indicator definitions
# (aggregation._FIGURES), so its second request reads the place, its group's members, the indicators and the
# releases, not the values again.
@pytest.mark.parametrize(("url", "queries"), [
    ("/evidence/", 2), ("/evidence/population/", 12), ("/evidence/places/coventry/", 7),
])  # fmt: skip
def test_query_counts_are_pinned(registry: None, client: Client, url: str, queries: int) -> None:
    client.get(url)  # warm the per-process coverage and chart caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == queries, [q["sql"][:100] for q in ctx.captured_queries]
