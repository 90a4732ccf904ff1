"""The coverage page's figures, computed again the slow obvious way (every interaction the user may see, read
one by one in Python) on the real extracts with a few interactions, for the secretariat and for an officer; and
the interaction's date and work areas kept on its people and organisation links through every kind of write
(ADR 0029)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from typing import Any

import pytest
from django.test import Client

from keycities.accounts.models import User
from keycities.core import erasure
from keycities.engagement import policy, queries, services
from keycities.engagement.models import (
    Interaction,
    InteractionOrganisation,
    InteractionPerson,
    InteractionWorkArea,
    Organisation,
    Person,
    Role,
    RoleKind,
    work_area_key,
)
from keycities.network.models import Place, WorkArea

pytestmark = pytest.mark.django_db


def obvious(user: User, today: dt.date) -> dict[str, Any]:
    """What the page should say, from the definitions in ADR 0029, without any of its queries."""
    seen = [i for i in Interaction.objects.order_by("pk") if policy.visible_interactions(user).filter(pk=i.pk).exists()]
    last: dict[int, dt.date] = {}
    for i in seen:
        for p in i.people.all():
            if i.date <= today and (p.pk not in last or i.date > last[p.pk]):
                last[p.pk] = i.date
    mps = {o.mp.person_id: o.mp.party or "–" for o in queries.overlaps(on=today) if o.mp}
    since = {n: queries.months_before(today, n) for n in (3, 6, 12)}
    parties: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for person, party in mps.items():
        row = parties[party]
        row[0] += 1
        for k, n in enumerate((3, 6, 12), start=1):
            row[k] += person in last and last[person] >= since[n]
    year_ago = since[12]
    ministers = list(Role.objects.current(today).filter(kind=RoleKind.MINISTER))
    departments = {o.pk: o.name for o in Organisation.objects.filter(kind="department", end__isnull=True)}
    engaged: dict[str, set[str]] = defaultdict(set)
    for i in seen:
        if not year_ago <= i.date <= today:
            continue
        orgs = {o.pk for o in i.organisations.all()} | {
            r.organisation_id for r in ministers if r.person_id in {p.pk for p in i.people.all()}}  # fmt: skip
        for w in i.work_areas.all():
            engaged[w.name] |= {departments[d] for d in orgs if d in departments}
    return {
        "parties": {party: row for party, row in parties.items()},
        "departments": {w.name: sorted(engaged[w.name]) for w in WorkArea.objects.all()},
        "ministers": sorted(
            (r.person.name, last[r.person_id].isoformat())
            for r in ministers
            if last.get(r.person_id, dt.date.min) >= year_ago
        ),
    }


def from_the_page(client: Client) -> dict[str, Any]:
    def rows(path: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(client.get(path).content.decode())))[1:]

    return {
        "parties": {r[0]: [int(x) for x in r[1:]] for r in rows("/engagement/coverage.csv")},
        "departments": {
            r[0]: sorted(filter(None, r[2].split("; "))) for r in rows("/engagement/coverage/departments.csv")
        },
        "ministers": sorted((r[0], r[3]) for r in rows("/engagement/coverage/ministers.csv") if r[3]),
    }


def dates_agree() -> bool:
    """Every people and organisation link carries its interaction's date and work areas."""
    areas: dict[int, list[int]] = defaultdict(list)
    for interaction, area in InteractionWorkArea.objects.values_list("interaction_id", "workarea_id"):
        areas[interaction].append(area)
    return all(link.date == link.interaction.date and link.work_areas == work_area_key(areas[link.interaction_id])
               for model in (InteractionPerson, InteractionOrganisation)
               for link in model.objects.select_related("interaction"))  # fmt: skip


def scopes_agree(user: User) -> bool:
    """policy.interaction_scope in each of its forms, on link rows, admits exactly the visible interactions."""
    seen = set(policy.visible_interactions(user).values_list("pk", flat=True))
    for model in (InteractionPerson, InteractionOrganisation):
        everything = {(link.pk, link.interaction_id) for link in model.objects.all()}
        expected = {pk for pk, interaction in everything if interaction in seen}
        for options in ({}, {"correlated": True}, {"links": True}, {"correlated": True, "links": True}):
            found = set(model.objects.filter(policy.interaction_scope(user, "interaction__", **options))
                        .values_list("pk", flat=True))  # fmt: skip
            if found != expected:
                return False
    return True


@pytest.fixture
def interactions(loaded: None, secretariat: User) -> dict[str, Interaction]:
    today = dt.date.today()
    rlb, heidi = Person.objects.get(parliament_id=4396), Person.objects.get(parliament_id=4038)
    bradford_mp = next(o.mp for o in queries.overlaps([Place.objects.get(slug="bradford")], today) if o.mp)
    dft = Organisation.objects.get(name="Department for Transport")
    transport, skills = WorkArea.objects.get(slug="transport"), WorkArea.objects.get(slug="skills")
    contact = Person.objects.create(name="Asha Patel", email="asha.patel@example.test")

    def record(days: int, **links: Any) -> Interaction:
        return services.record_interaction({"kind": "meeting", "date": today - dt.timedelta(days=days),
                                            "title": f"{days} days ago", **links}, by=secretariat)  # fmt: skip

    return {
        "recent": record(
            10,
            people=[rlb, contact],
            organisations=[dft],
            places=[Place.objects.get(slug="salford")],
            work_areas=[transport],
        ),
        "minister": record(100, people=[heidi], places=[Place.objects.get(slug="bradford")], work_areas=[skills]),
        "old": record(400, people=[Person.objects.get(pk=bradford_mp.person_id)], work_areas=[skills]),
        "ahead": record(-5, people=[heidi, rlb], organisations=[dft], work_areas=[skills]),
        "bradford": record(
            200, organisations=[dft], places=[Place.objects.get(slug="bradford")], work_areas=[transport]
        ),
    }


def test_the_page_counts_what_the_interactions_say_through_every_kind_of_write(
    interactions: dict[str, Interaction],
    secretariat: User,
    officer: User,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    today = dt.date.today()
    clients = {"secretariat": client_for("secretariat"), "officer": client_for("officer")}
    users = {"secretariat": secretariat, "officer": officer}

    def check() -> dict[str, Any]:
        assert dates_agree()
        found = {}
        for who, client in clients.items():
            found[who] = from_the_page(client)
            assert found[who] == obvious(users[who], today), who
            assert scopes_agree(users[who]), who
        return found

    before = check()
    assert before["secretariat"]["ministers"] == [("Heidi Alexander", (today - dt.timedelta(days=100)).isoformat())]
    assert before["officer"]["departments"]["Transport"] == ["Department for Transport"]  # the Bradford one
    # A changed date (the edit page's service), the links follow it.
    old = interactions["old"]
    services.update_interaction(old, {"kind": "call", "date": today - dt.timedelta(days=20), "title": "Moved",
                                      "people": list(old.people.all()), "work_areas": list(old.work_areas.all()),
                                      "places": [Place.objects.get(slug="bradford")]}, by=secretariat)  # fmt: skip
    after = check()
    assert after["secretariat"] != before["secretariat"]
    # A date changed by a queryset update, and one saved on the model (the admin).
    Interaction.objects.filter(pk=interactions["minister"].pk).update(date=today - dt.timedelta(days=300))
    recent = Interaction.objects.get(pk=interactions["recent"].pk)
    recent.date = today - dt.timedelta(days=50)
    recent.save()
    check()
    # People added from the person's side, a merge of a duplicate record and an erasure.
    duplicate = Person.objects.create(name="Heidi Alexander (duplicate)")
    duplicate.interactions.add(interactions["bradford"])
    services.merge_people(Person.objects.get(parliament_id=4038), [duplicate], by=secretariat)
    assert interactions["bradford"].people.filter(parliament_id=4038).exists()
    erasure.erase_person("asha.patel@example.test", by=secretariat)
    final = check()
    assert final["secretariat"]["ministers"] == [("Heidi Alexander", (today - dt.timedelta(days=200)).isoformat())]
    # Work areas, which the links carry too: an interaction the officer of Bradford sees only through Skills (a
    # work area Bradford leads), its work areas removed, added, cleared, made and moved in the through table,
    # changed by the edit service, and a work area deleted.
    skills, transport = WorkArea.objects.get(slug="skills"), WorkArea.objects.get(slug="transport")
    environment = WorkArea.objects.get(slug="environment")
    dft = Organisation.objects.get(name="Department for Transport")
    rlb = Person.objects.get(parliament_id=4396)
    lone = services.record_interaction({"kind": "call", "date": today - dt.timedelta(days=30), "title": "Skills",
                                        "people": [rlb], "organisations": [dft], "work_areas": [skills]},
                                       by=secretariat)  # fmt: skip
    seen = check()
    assert "Department for Transport" in seen["officer"]["departments"]["Skills"]
    lone.work_areas.remove(skills)
    unseen = check()
    assert unseen["officer"] != seen["officer"]
    lone.work_areas.add(transport, skills)
    assert check()["officer"]["departments"]["Skills"] == seen["officer"]["departments"]["Skills"]
    lone.work_areas.clear()
    check()
    InteractionWorkArea.objects.bulk_create([InteractionWorkArea(interaction=lone, workarea=skills)])
    assert check()["officer"] == seen["officer"]
    InteractionWorkArea.objects.filter(interaction=lone).update(interaction=interactions["bradford"])
    check()
    InteractionWorkArea(interaction=lone, workarea=environment).save()
    check()
    services.update_interaction(lone, {"kind": "call", "date": lone.date, "title": "Skills and the environment",
                                       "people": [rlb], "organisations": [dft],
                                       "work_areas": [skills, environment]}, by=secretariat)  # fmt: skip
    assert "Department for Transport" in check()["officer"]["departments"]["Environment"]
    environment.delete()
    assert InteractionPerson.objects.get(interaction=lone).work_areas == work_area_key([skills.pk])
    check()


def test_a_link_made_without_a_date_takes_its_interactions(interactions: dict[str, Interaction]) -> None:
    link = InteractionPerson(interaction=interactions["old"], person=Person.objects.create(name="A. N. Other"))
    link.save()
    assert link.date == interactions["old"].date
    made = InteractionOrganisation.objects.bulk_create(
        [InteractionOrganisation(interaction=interactions["ahead"], organisation=Organisation.objects.create(
            name="Another outlet", kind="media"))])  # fmt: skip
    assert made[0].date == interactions["ahead"].date and dates_agree()


def test_the_admin_still_edits_people_and_organisations_and_dates_their_links(
    interactions: dict[str, Interaction], secretariat: User
) -> None:
    client = Client()
    client.force_login(secretariat)
    found = interactions["minister"]
    url = f"/admin/engagement/interaction/{found.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="people"' in page and 'name="organisations"' in page
    rlb, dft = Person.objects.get(parliament_id=4396), Organisation.objects.get(name="Department for Transport")
    data = {"kind": "call", "date": "2026-01-15", "title": "Changed in the admin", "summary": "", "private_notes": "",
            "people": [p.pk for p in found.people.all()] + [rlb.pk], "organisations": [dft.pk],
            "places": [p.pk for p in found.places.all()], "work_areas": [WorkArea.objects.get(slug="transport").pk],
            "created_by": secretariat.pk, "follow_ups-TOTAL_FORMS": 0, "follow_ups-INITIAL_FORMS": 0,
            "follow_ups-MIN_NUM_FORMS": 0, "follow_ups-MAX_NUM_FORMS": 1000}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    assert sorted(InteractionPerson.objects.filter(interaction=found).values_list("date", flat=True)) == [
        dt.date(2026, 1, 15), dt.date(2026, 1, 15)]  # fmt: skip
    assert InteractionOrganisation.objects.get(interaction=found).date == dt.date(2026, 1, 15) and dates_agree()
    assert InteractionOrganisation.objects.get(interaction=found).work_areas == work_area_key(
        [WorkArea.objects.get(slug="transport").pk])  # fmt: skip


def test_the_member_seats_are_the_overlaps_mps(interactions: dict[str, Interaction], secretariat: User) -> None:
    """queries.member_seats (what the coverage page reads) says what queries.overlaps says of MPs and places."""
    today = dt.date.today()
    found = queries.overlaps(on=today)
    parties, seated = queries.member_seats(today)
    assert parties == {o.mp.person_id: o.mp.party for o in found if o.mp} and parties
    by_place: dict[int, set[int]] = defaultdict(set)
    for o in found:
        by_place[o.place.pk] |= {o.mp.person_id} if o.mp else set()
    assert {place.pk: people for place, people in seated} == by_place
    # The member places none of whose MPs is in an interaction, as the page lists them.
    seen = {p.pk for i in Interaction.objects.filter(date__lte=today) for p in i.people.all()}
    never = sorted({o.place.name for o in found} - {o.place.name for o in found if o.mp and o.mp.person_id in seen})
    assert [p.name for p in queries.coverage(Interaction.objects.all(), today).never] == never
