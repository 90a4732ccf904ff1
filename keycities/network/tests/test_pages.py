import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_home_in_the_groups_words(registry: None, client: Client) -> None:
    html = page(client, "/")
    assert "Key Cities are a group of 24 mid-size cities and urban areas across the UK." in html
    assert "What we offer Britain" in html and "What we do" in html
    assert 'Wakefield</a> and <a class="govuk-link" href="/members/wolverhampton/">Wolverhampton</a>.' in html


def test_members_list_filters_by_nation_and_region(registry: None, client: Client) -> None:
    assert page(client, "/members/").count('<th scope="row"') == 24
    wales = page(client, "/members/?nation=Wales")
    assert wales.count('<th scope="row"') == 2 and "Swansea" in wales and "Coventry" not in wales
    north_east = page(client, "/members/?region=E12000001")
    assert north_east.count('<th scope="row"') == 2 and "Tees Valley" in north_east and "Sunderland" in north_east
    assert "No members match" in page(client, "/members/?nation=Scotland")


def test_member_page_shows_cover_over_time_and_work_areas(registry: None, client: Client) -> None:
    html = page(client, "/members/carlisle/")
    assert "E07000028" in html and "31 March 2023" in html
    assert "No: the place lies inside this area" in html
    assert "does not lead a work area" in html
    salford = page(client, "/members/salford/")
    assert "Health and Social Care" in salford and "Housing" in salford


def test_work_area_page_has_leads_and_a_call_to_action(registry: None, client: Client) -> None:
    html = page(client, "/work-areas/integration/")
    assert "Bringing communities together" in html
    assert 'href="/members/bradford/">Bradford</a> and <a class="govuk-link" href="/members/norwich/">Norwich' in html
    assert 'href="/work-with-us/?work_area=integration"' in html
    assert page(client, "/work-areas/").count('class="kc-card"') == 11


def test_unknown_member_is_a_404_page(registry: None, client: Client) -> None:
    response = client.get("/members/atlantis/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


@pytest.mark.parametrize(("url", "queries"), [
    ("/", 6), ("/members/", 5), ("/members/tees-valley/", 4), ("/work-areas/", 2), ("/work-areas/culture/", 2),
    ("/api/v1/places/?group=key-cities", 5), ("/api/v1/work-areas/", 2),
])  # fmt: skip
def test_query_counts_are_pinned(registry: None, client: Client, url: str, queries: int) -> None:
    client.get(url)  # warm any per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == queries, [q["sql"][:120] for q in ctx.captured_queries]
