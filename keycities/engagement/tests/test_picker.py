"""Choosing an interaction's people and organisations by name (core.forms.PickerForm): nothing is listed until it is
found, an officer finds only the people they may see, and a search sends the form back without saving or losing
anything."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from keycities.accounts.models import Role as UserRole
from keycities.accounts.models import User
from keycities.engagement import services
from keycities.engagement.models import Interaction, Organisation, Person
from keycities.network.models import Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(loaded: None, secretariat: User) -> Person:
    """A contact in an interaction about Hull only: Bradford's officer may not know they exist."""
    contact = Person.objects.create(name="Morwenna Trelawney", email="m.trelawney@example.test")
    hull = Place.objects.get(slug="hull")
    services.record_interaction(
        {"kind": "call", "date": dt.date(2026, 3, 2), "title": "Hull ferries", "people": [contact], "places": [hull]},
        by=secretariat,
    )
    return contact


def find(client: Client, field: str, typed: str, **data: object) -> str:
    response = client.post("/engagement/interactions/new/", {"find": field, f"{field}_find": typed, **data})
    assert response.status_code == 200
    return response.content.decode()


def test_nobody_is_listed_until_found_and_an_officer_finds_only_whom_they_may_see(hidden: Person, client_for) -> None:  # type: ignore[no-untyped-def]
    officer = client_for("officer")
    page = officer.get("/engagement/interactions/new/").content.decode()
    assert "Rebecca Long Bailey" not in page and "Trelawney" not in page  # no list of every person
    assert "Nothing found for “Trelawney”" in find(officer, "people", "Trelawney")
    found = find(officer, "people", "long bailey")
    assert "1 found for “long bailey”" in found
    assert "Rebecca Long Bailey (MP, Salford" in found  # who they are today, from their public role
    secretariat = find(client_for("secretariat"), "people", "Trelawney")
    assert f'value="{hidden.pk}"' in secretariat and "Morwenna Trelawney" in secretariat


def test_an_officer_cannot_post_a_person_they_may_not_see(hidden: Person, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("officer").post("/engagement/interactions/new/", {
        "kind": "meeting", "date": "2026-03-10", "title": "Ferries", "people": [hidden.pk],
        "places": [Place.objects.get(slug="bradford").pk]})  # fmt: skip
    assert response.status_code == 400
    assert "is not one of the available choices" in response.content.decode()
    assert not Interaction.objects.filter(title="Ferries").exists()


def test_a_search_sends_the_form_back_with_everything_typed_and_saves_nothing(loaded: None, client_for) -> None:  # type: ignore[no-untyped-def]
    rlb = Person.objects.get(parliament_id=4396)
    client = client_for("secretariat")
    before = Interaction.objects.count()
    page = find(client, "people", "Alexander", kind="letter", title="Buses", summary="Franchising in Bradford.",
                people=[rlb.pk])  # fmt: skip
    assert Interaction.objects.count() == before
    assert "There is a problem" not in page  # no errors for what is not filled in yet
    assert 'value="Buses"' in page and "Franchising in Bradford." in page and 'value="letter" selected' in page
    assert f'value="{rlb.pk}" checked' in page  # chosen before, still ticked
    heidi = Person.objects.get(parliament_id=4038)
    assert f'value="{heidi.pk}">' in page  # found, not ticked
    dft = Organisation.objects.filter(name__icontains="transport").first()
    assert dft is not None and dft.name in find(client, "organisations", "transport")
    saved = client.post("/engagement/interactions/new/", {
        "kind": "letter", "date": "2026-03-10", "title": "Buses", "people": [rlb.pk, heidi.pk],
        "organisations": [dft.pk]})  # fmt: skip
    made = Interaction.objects.get(title="Buses")
    assert saved.status_code == 302
    assert sorted(p.name for p in made.people.all()) == ["Heidi Alexander", "Rebecca Long Bailey"]
    assert [o.name for o in made.organisations.all()] == [dft.name]


def test_the_edit_form_shows_the_people_already_chosen(hidden: Person, client_for) -> None:  # type: ignore[no-untyped-def]
    made = Interaction.objects.get(title="Hull ferries")
    page = client_for("secretariat").get(f"/engagement/interactions/{made.pk}/edit/").content.decode()
    assert f'value="{hidden.pk}" checked' in page and "Morwenna Trelawney" in page
    hull = User.objects.create_user("hull", "o@hull.test", "correct horse battery", role=UserRole.MEMBER_OFFICER,
                                    place=Place.objects.get(slug="hull"))  # fmt: skip
    other = Client()
    other.force_login(hull)
    assert other.get(f"/engagement/interactions/{made.pk}/edit/").status_code == 403  # not who recorded it


def test_nonsense_ids_and_searches_are_refused_or_ignored_cleanly(loaded: None, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("secretariat")
    page = find(client, "people", "x" * 500, people=["²", "99999999999999999999999", "-1", "abc"])
    assert "Nothing found for “" + "x" * 100 + "”" in page  # the search is cut to the box's length
    refused = client.post("/engagement/interactions/new/", {
        "kind": "meeting", "date": "2026-03-10", "title": "T", "people": ["99999999999999999999999"]})  # fmt: skip
    assert refused.status_code == 400


def test_an_appg_meetings_attendees_are_found_by_name_too(loaded: None, client_for) -> None:  # type: ignore[no-untyped-def]
    from keycities.engagement.models import AppgMeeting

    client = client_for("secretariat")
    rlb = Person.objects.get(parliament_id=4396)
    page = client.post("/engagement/appg/", {"action": "meeting", "title": "AGM", "find": "attendees",
                                             "attendees_find": "long bailey"}).content.decode()  # fmt: skip
    assert "1 found for “long bailey”" in page and 'value="AGM"' in page and not AppgMeeting.objects.exists()
    client.post("/engagement/appg/", {"action": "meeting", "date": "2026-02-10", "title": "AGM", "attendees": [rlb.pk]})
    meeting = AppgMeeting.objects.get()
    assert f'value="{rlb.pk}" checked' in client.get(meeting.get_absolute_url()).content.decode()
    assert client.post(meeting.get_absolute_url(), {"action": "done", "item": "²"}).status_code == 404


def test_a_spokesperson_is_found_by_name_and_chosen_with_a_radio(loaded: None, client_for) -> None:  # type: ignore[no-untyped-def]
    from keycities.engagement.models import Spokesperson
    from keycities.network.models import WorkArea

    client = client_for("secretariat")
    rlb = Person.objects.get(parliament_id=4396)
    skills = WorkArea.objects.get(slug="skills")
    page = client.get("/engagement/media/spokespeople/").content.decode()
    assert "Rebecca Long Bailey" not in page  # no list of every person
    url = "/engagement/media/spokespeople/"
    page = client.post(url, {"work_area": skills.pk, "title": "Skills lead", "find": "person",
                             "person_find": "long bailey"}).content.decode()  # fmt: skip
    assert "1 found for “long bailey”: choose it if it is the one you mean." in page
    assert f'type="radio" value="{rlb.pk}"' in page and "Rebecca Long Bailey (MP, Salford" in page
    assert 'value="Skills lead"' in page and not Spokesperson.objects.exists()  # nothing saved, nothing lost
    for bad in ("99999999999999999999999", "²", ""):
        refused = client.post(url, {"work_area": skills.pk, "person": bad})
        assert refused.status_code == 400 and not Spokesperson.objects.exists()
    added = client.post(url, {"work_area": skills.pk, "person": rlb.pk, "title": "Skills lead"})
    assert added.status_code == 302
    assert Spokesperson.objects.get().person == rlb
    welsh = client.post("/cy/engagement/media/spokespeople/", {"work_area": skills.pk, "find": "person",
                                                         "person_find": "long bailey"}).content.decode()  # fmt: skip
    assert "choose it if it is the one you mean" not in welsh and f'value="{rlb.pk}"' in welsh
    assert f'action="{url}"' in client.get(url).content.decode()  # saving after a search drops the #picker


def test_a_spokesperson_ended_today_shows_their_last_day_and_no_second_end_button(loaded: None, client_for) -> None:  # type: ignore[no-untyped-def]
    from django.utils import dateformat, timezone

    from keycities.engagement.models import Spokesperson
    from keycities.network.models import WorkArea

    client = client_for("secretariat")
    rlb = Person.objects.get(parliament_id=4396)
    speaker = Spokesperson.objects.create(work_area=WorkArea.objects.get(slug="skills"), person=rlb)
    end = f"/engagement/media/spokespeople/{speaker.pk}/end/"
    assert f'action="{end}"' in client.get("/engagement/media/spokespeople/").content.decode()
    page = client.post(end, follow=True).content.decode()
    assert "Ended: today is their last day as spokesperson." in page
    assert f"Last day {dateformat.format(timezone.localdate(), 'j M Y')}" in page and f'action="{end}"' not in page


def test_the_same_person_cannot_be_named_twice_for_one_work_area(loaded: None, client_for) -> None:  # type: ignore[no-untyped-def]
    from keycities.engagement.models import Spokesperson
    from keycities.network.models import WorkArea

    client = client_for("secretariat")
    rlb = Person.objects.get(parliament_id=4396)
    skills, growth = WorkArea.objects.get(slug="skills"), WorkArea.objects.exclude(slug="skills").first()
    url = "/engagement/media/spokespeople/"
    assert client.post(url, {"work_area": skills.pk, "person": rlb.pk}).status_code == 302
    again = client.post(url, {"work_area": skills.pk, "person": rlb.pk})
    assert again.status_code == 400
    assert f"Rebecca Long Bailey already speaks for the group on {skills.name}." in again.content.decode()
    assert client.post(url, {"work_area": growth.pk, "person": rlb.pk}).status_code == 302  # another area is fine
    Spokesperson.objects.filter(work_area=skills).update(end=dt.date(2026, 1, 31))
    assert client.post(url, {"work_area": skills.pk, "person": rlb.pk, "start": "2026-02-01"}).status_code == 302
    assert Spokesperson.objects.filter(person=rlb).count() == 3
