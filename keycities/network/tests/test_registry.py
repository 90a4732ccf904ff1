"""The registry as loaded from data/network.yaml matches the introduction."""

import datetime as dt
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from keycities.core.errors import DataFileError
from keycities.network.models import Group, Membership, Place, WorkArea
from keycities.network.services import load_network
from keycities.tests.fixtures import NETWORK_FILE

pytestmark = pytest.mark.django_db

KEY_CITIES = {
    "blackpool", "bournemouth", "bradford", "carlisle", "coventry", "derby", "doncaster", "gloucester", "hull",
    "kirklees", "medway", "newport", "norwich", "portsmouth", "preston", "plymouth", "salford", "southampton",
    "southend", "sunderland", "swansea", "tees-valley", "wakefield", "wolverhampton",
}  # fmt: skip
CORE_CITIES = {"belfast", "birmingham", "bristol", "cardiff", "glasgow", "leeds", "liverpool", "manchester",
               "newcastle", "nottingham", "sheffield"}  # fmt: skip
LEADS = {
    "employment-and-welfare-reform": ["Blackpool"],
    "inclusive-growth": ["Bournemouth"],
    "culture": ["Norwich"],
    "brexit": ["Sunderland"],
    "health-and-social-care": ["Salford"],
    "housing": ["Salford"],
    "skills": ["Bradford"],
    "young-people": ["Kirklees"],
    "transport": ["Wolverhampton"],
    "integration": ["Bradford", "Norwich"],
    "environment": ["Southampton"],
}


def codes(slug: str, on: dt.date) -> list[str]:
    return sorted(a.area_code for a in Place.objects.get(slug=slug).areas_on(on))


def test_the_24_members_and_11_core_cities(registry: None) -> None:
    assert set(Place.objects.members_of("key-cities", dt.date(2018, 6, 1)).values_list("slug", flat=True)) == KEY_CITIES
    assert set(Place.objects.members_of("core-cities").values_list("slug", flat=True)) == CORE_CITIES
    assert not Place.objects.members_of("key-cities", dt.date(2017, 12, 31)).exists()


def test_all_eleven_work_areas_and_their_leads_in_the_introductions_order(registry: None) -> None:
    found = {w.slug: [link.place.name for link in w.lead_links.order_by("position")] for w in WorkArea.objects.all()}
    assert found == LEADS
    assert list(WorkArea.objects.values_list("slug", flat=True)) == list(LEADS)
    assert WorkArea.objects.get(slug="young-people").name_cy == "Pobl ifanc"
    assert WorkArea.objects.get(slug="culture").description == (
        "Maximising the economic impact of the cultural offer of cities."
    )


def test_area_cover_changes_over_time(registry: None) -> None:
    assert codes("tees-valley", dt.date(2024, 6, 30)) == ["E06000001", "E06000002", "E06000003", "E06000004",
                                                           "E06000005"]  # fmt: skip
    assert codes("bournemouth", dt.date(2019, 3, 31)) == ["E06000028"]
    assert codes("bournemouth", dt.date(2019, 4, 1)) == ["E06000058"]
    assert codes("carlisle", dt.date(2023, 3, 31)) == ["E07000028"]
    # After abolition Carlisle has no area of its own: Cumberland is recorded, but not counted as Carlisle.
    assert codes("carlisle", dt.date(2023, 4, 1)) == []
    within = Place.objects.get(slug="carlisle").areas.get(area_code="E06000063")
    assert within.relation == "within" and within.start == dt.date(2023, 4, 1)


def test_nation_and_region_of_each_member(registry: None) -> None:
    wales = set(Place.objects.members_of("key-cities").filter(nation="Wales").values_list("slug", flat=True))
    assert wales == {"newport", "swansea"}
    assert Place.objects.get(slug="tees-valley").region_name == "North East"
    assert Place.objects.get(slug="norwich").region_code == "E12000006"


def test_loading_twice_changes_nothing_and_keeps_staff_edits(registry: None) -> None:
    place = Place.objects.get(slug="hull")
    place.official_name = "Hull City Council area"
    place.save()
    before = (Place.objects.count(), Membership.objects.count(), LogEntry.objects.count())
    assert load_network(NETWORK_FILE) == {"groups": 0, "places": 0, "memberships": 0, "work_areas": 0}
    assert (Place.objects.count(), Membership.objects.count(), LogEntry.objects.count()) == before
    assert Place.objects.get(slug="hull").official_name == "Hull City Council area"
    load_network(NETWORK_FILE, update=True)
    assert Place.objects.get(slug="hull").official_name == "Kingston upon Hull, City of"


def test_a_bad_file_is_refused_and_nothing_is_written(db: None, tmp_path: Path) -> None:
    text = NETWORK_FILE.read_text(encoding="utf-8").replace("leads: [bradford, norwich]", "leads: [bradford, york]")
    bad = tmp_path / "network.yaml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"network.yaml: .*unknown lead place 'york'"):
        load_network(bad)
    assert Place.objects.count() == 0 and Group.objects.count() == 0


def test_a_bad_code_is_named(db: None, tmp_path: Path) -> None:
    bad = tmp_path / "network.yaml"
    bad.write_text(NETWORK_FILE.read_text(encoding="utf-8").replace("E08000026", "E0800026"), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"places\.4\.areas\.0\.code"):
        load_network(bad)
    assert not Place.objects.exists()


def test_staff_record_a_departure_and_the_group_changes_from_that_date(registry: None) -> None:
    membership = Membership.objects.get(group__slug="key-cities", place__slug="gloucester")
    membership.end = dt.date(2022, 3, 31)
    membership.full_clean()
    membership.save()
    assert Place.objects.members_of("key-cities", dt.date(2022, 3, 31)).count() == 24
    assert Place.objects.members_of("key-cities", dt.date(2022, 4, 1)).count() == 23


def test_overlapping_memberships_are_refused(registry: None) -> None:
    clash = Membership(group=Group.objects.get(slug="key-cities"), place=Place.objects.get(slug="derby"),
                       start=dt.date(2020, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError, match="already a member"):
        clash.full_clean()


def test_end_before_start_is_refused(registry: None) -> None:
    m = Membership(group=Group.objects.get(slug="core-cities"), place=Place.objects.get(slug="derby"),
                   start=dt.date(2020, 1, 1), end=dt.date(2019, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError, match="on or after the start"):
        m.full_clean()


def test_every_note_in_the_network_file_has_its_welsh() -> None:
    """The registry's notes are shown on Welsh pages and in the Welsh working: each has `note_cy`."""
    from keycities.network.services import read_network_file
    from keycities.tests.fixtures import NETWORK_FILE

    data = read_network_file(NETWORK_FILE)
    notes = [(p.slug, p.note, p.note_cy) for p in data.places] + [
        (f"{p.slug} {a.code}", a.note, a.note_cy) for p in data.places for a in p.areas]  # fmt: skip
    assert len([n for n in notes if n[1]]) == 8
    assert [slug for slug, note, welsh in notes if bool(note) != bool(welsh)] == []


def test_every_welsh_place_has_the_welsh_name_of_its_local_authority_in_the_ons_lookup(registry: None) -> None:
    """A Welsh place made of one local authority of the same name is called by that authority's official Welsh
    name (LAD24NMW): Casnewydd, Abertawe, Caerdydd."""
    from keycities.core.bilingual import gss_name

    welsh = list(Place.objects.filter(nation="Wales").prefetch_related("areas"))
    assert {p.slug for p in welsh} == {"cardiff", "newport", "swansea"}
    for place in welsh:
        (area,) = [a for a in place.areas.all() if a.relation == "covers" and a.end is None]
        assert area.area_name == place.name
        assert place.name_cy == gss_name(area.area_name, area.area_code, "cy") != place.name, place.slug


def test_place_names_stored_as_text_are_shown_in_welsh_on_welsh_pages(registry: None) -> None:
    from django.utils import translation

    from keycities.network.templatetags.places import place_name

    with translation.override("cy"):
        assert place_name("Newport") == "Casnewydd" and place_name(["Leeds", "Swansea"]) == ["Leeds", "Abertawe"]
    with translation.override("en"):
        assert place_name("Newport") == "Newport" and place_name(["Swansea"]) == ["Swansea"]
