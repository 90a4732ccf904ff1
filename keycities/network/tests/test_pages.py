import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_home_shows_every_member_and_all_eleven_work_areas_as_equals(registry: None, client: Client) -> None:
    html = page(client, "/")
    assert "Key Cities are a group of 24 mid-size cities and urban areas across the UK." in html
    assert html.count('class="kc-member-grid__item"') == 24
    assert html.count('<li class="kc-card">') == 11 + 4  # the work areas, then four things we do
    assert ">Work with us</h2>" not in html  # an invitation, not a category of work area
    assert 'href="/about/"' in html


def test_about_carries_the_whole_introduction_with_each_figure_linked_to_its_check(
    registry: None, client: Client
) -> None:
    from django.conf import settings

    from keycities.claims.services import load_claims

    load_claims(settings.BASE_DIR / "data" / "claims.yaml")
    html = page(client, "/about/")
    for heading in ("Who we are", "What we offer Britain", "What we do", "Partnerships and pilots", "Consultations",
                    "Raising awareness", "Media", "Ministers and government departments",
                    "The All-Party Parliamentary Group", "Briefings", "Work with us", "Contact us"):  # fmt: skip
        assert f">{heading}</h" in html, heading
    offer = html[html.index('class="govuk-list govuk-list--bullet kc-offer"') :].split("</ul>")[0]
    assert offer.count("<li>") == 7
    assert offer.count('href="/claims/') == 3  # fastest growing, goods exporters, manufacturing jobs
    assert "assumes that each member belonged to the group from 1 January 2018" in html
    assert len(re.findall(r'href="/members/[a-z]', html)) == 24
    assert len(re.findall(r'href="/work-areas/[a-z]', html)) == 11


def test_home_and_about_in_welsh(registry: None, client: Client) -> None:
    html = page(client, "/cy/")
    assert "Llais unedig dros Brydain drefol" in html and "Abertawe" in html and "Casnewydd" in html
    assert "Pobl ifanc" in html and "Tystiolaeth" in html
    # Listed in the order of the names shown: Abertawe first, Casnewydd between Carlisle and Coventry.
    listed = re.findall(r'href="/cy/members/([a-z-]+)/"', html)
    assert listed[:2] == ["swansea", "blackpool"], listed
    assert listed.index("carlisle") < listed.index("newport") < listed.index("coventry")
    assert re.findall(r'href="/members/([a-z-]+)/"', page(client, "/"))[:2] == ["blackpool", "bournemouth"]
    about = page(client, "/cy/about/")
    assert "tua 8% o economi’r DU" in about and "8%%" not in about


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


# A place's page: 4 for the registry, 1 for its Parliament panel (keycities/engagement/templatetags).
@pytest.mark.parametrize(("url", "queries"), [
    # A member's page adds its headline figures (the indicators and the releases: the figures themselves, once
    # computed, are kept for the same inputs, see aggregation._FIGURES); a work area's page its open and answered
    # consultations.
    ("/", 6), ("/members/", 5), ("/members/tees-valley/", 7), ("/work-areas/", 2), ("/work-areas/culture/", 4),
    ("/api/v1/places/?group=key-cities", 5), ("/api/v1/work-areas/", 2),
])  # fmt: skip
def test_query_counts_are_pinned(registry: None, client: Client, url: str, queries: int) -> None:
    client.get(url)  # warm any per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == queries, [q["sql"][:120] for q in ctx.captured_queries]


def test_regions_and_nations_have_their_welsh_names_on_welsh_pages(registry: None, client: Client) -> None:
    """England's regions and the UK's nations are shown by their official Welsh names at /cy/ (ADR 0010)."""
    salford = page(client, "/cy/members/salford/")
    assert '<span class="govuk-caption-xl">Gogledd Orllewin Lloegr, Lloegr</span>' in salford
    assert "North West" not in salford
    assert '<span class="govuk-caption-xl">North West, England</span>' in page(client, "/members/salford/")
    hull = page(client, "/cy/members/hull/")
    assert '<span class="govuk-caption-xl">Swydd Efrog a’r Humber, Lloegr</span>' in hull
    assert '<span class="govuk-caption-xl">Cymru</span>' in page(client, "/cy/members/swansea/")
    members = page(client, "/cy/members/")
    for welsh in ("Gogledd Ddwyrain Lloegr", "De Orllewin Lloegr", "De Ddwyrain Lloegr", "Dwyrain Lloegr",
                  "Gorllewin Canolbarth Lloegr", "Dwyrain Canolbarth Lloegr", "Cymru"):  # fmt: skip
        assert f'<td class="govuk-table__cell">{welsh}</td>' in members, welsh
        assert f'">{welsh}</option>' in members, welsh  # the region filter's choices
    for english in ("North East", "South West", "South East", "East of England", "West Midlands", "East Midlands"):
        assert english not in members, english
    assert '<option value="E12000001">North East</option>' in page(client, "/members/")


def test_the_api_gives_a_region_both_names(registry: None, client: Client) -> None:
    salford = client.get("/api/v1/places/salford").json()["region"]
    assert salford == {"code": "E12000002", "name": "North West", "name_cy": "Gogledd Orllewin Lloegr"}
    welsh = client.get("/api/v1/places/salford", headers={"accept-language": "cy"}).json()["region"]
    assert welsh == salford
    assert client.get("/api/v1/places/swansea").json()["region"] == {"code": "W92000004", "name": "Wales",
                                                                     "name_cy": "Cymru"}  # fmt: skip


def test_registry_notes_have_welsh_on_welsh_pages(registry: None, client: Client) -> None:
    from keycities.network.models import PlaceArea

    welsh = page(client, "/cy/members/bournemouth/")
    assert "Diddymwyd Cyngor Bwrdeistref Bournemouth ar 1 Ebrill 2019" in welsh
    assert '<span class="govuk-body-s kc-muted">Y cyngor olynol; mae’n cynnwys Christchurch a Poole.</span>' in welsh
    assert "Successor council" not in welsh and "was abolished" not in welsh
    assert "Successor council; includes Christchurch and Poole." in page(client, "/members/bournemouth/")
    PlaceArea.objects.filter(area_code="E06000058").update(note_cy="")
    assert ('<span lang="en-GB" class="kc-fallback">Successor council; includes Christchurch and Poole.</span>'
            in page(client, "/cy/members/bournemouth/"))  # fmt: skip


def test_loading_the_network_again_fills_blank_welsh_notes(registry: None) -> None:
    from keycities.network.models import Place, PlaceArea
    from keycities.network.services import load_network
    from keycities.tests.fixtures import NETWORK_FILE

    Place.objects.filter(slug="carlisle").update(note_cy="")
    PlaceArea.objects.filter(area_code="E06000063").update(note_cy="")
    PlaceArea.objects.filter(area_code="E06000058").update(note_cy="Nodyn gan y staff.")
    load_network(NETWORK_FILE)
    assert Place.objects.get(slug="carlisle").note_cy.startswith("Diddymwyd Cyngor Dinas Carlisle ar 1 Ebrill 2023")
    assert PlaceArea.objects.get(area_code="E06000063").note_cy.startswith("Mae Carlisle o fewn Cumberland")
    assert PlaceArea.objects.get(area_code="E06000058").note_cy == "Nodyn gan y staff."
