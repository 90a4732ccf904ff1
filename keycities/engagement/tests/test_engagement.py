"""Engagement: loading MPs and constituencies from real extracts, MP ↔ place by share of wards, interactions,
follow-ups, the digest, the calendar feed, the API, access and people's data."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client

from keycities.accounts.models import ApiToken, User
from keycities.accounts.models import Role as UserRole
from keycities.core import erasure
from keycities.core import work as my_work
from keycities.core.errors import DataFileError
from keycities.engagement import presenters, queries, services, tasks
from keycities.engagement.models import Constituency, Interaction, Organisation, Person, Role, RoleKind
from keycities.network.models import Place

from . import extracts

pytestmark = pytest.mark.django_db


def salford() -> dict[str, tuple[int, int, int]]:
    return {o.constituency.name: (o.wards, o.constituency_wards, o.place_wards)
            for o in queries.overlaps([Place.objects.get(slug="salford")])}  # fmt: skip


def test_salford_constituencies_by_share_of_wards_as_the_ons_lookup_has_them(loaded: None) -> None:
    # Counted by hand in the ONS lookup: Salford (E08000006) has 20 ward rows.
    assert salford() == {"Salford": (9, 9, 20), "Worsley and Eccles": (7, 10, 20),
                         "Bolton South and Walkden": (3, 10, 20), "Bury South": (1, 11, 20)}  # fmt: skip
    mps = {o.constituency.name: (o.mp.name, o.mp.party) for o in queries.overlaps(
        [Place.objects.get(slug="salford")])}  # fmt: skip
    assert mps["Salford"] == ("Rebecca Long Bailey", "Labour")
    assert mps["Worsley and Eccles"] == ("Michael Wheeler", "Labour")


def test_loading_again_changes_nothing(loaded: None) -> None:
    before = (Person.objects.count(), Role.objects.count(), Organisation.objects.count())
    report = extracts.load()
    assert str(report) == "nothing changed"
    assert (Person.objects.count(), Role.objects.count(), Organisation.objects.count()) == before


def test_a_new_mp_file_ends_the_old_role_and_never_duplicates_people(registry: None) -> None:
    extracts.load(mps=extracts.MPS_JULY_2024)
    seat = Constituency.objects.get(code="E14001455")
    assert [(r.person.name, r.party, r.end) for r in seat.roles.all()] == [("Mike Amesbury", "Labour", None)]
    people = Person.objects.count()
    report = extracts.load()  # the current file: the by-election of 1 May 2025
    assert report.counts["MP roles ended"] == 1 and report.counts["MP roles added"] == 1
    roles = {r.person.name: (r.party, r.start, r.end) for r in seat.roles.all()}
    assert roles == {"Mike Amesbury": ("Labour", dt.date(2024, 7, 4), dt.date(2025, 4, 30)),
                     "Sarah Pochin": ("Reform UK", dt.date(2025, 5, 1), None)}  # fmt: skip
    assert Person.objects.count() == people + 1
    extracts.load()
    assert Person.objects.count() == people + 1 and seat.roles.count() == 2


def test_a_bad_file_names_the_row_and_column_and_changes_nothing(registry: None, tmp_path: Path) -> None:
    bad = tmp_path / "mps.csv"
    text = extracts.MPS.read_text(encoding="utf-8").splitlines()
    text[8] = text[8].replace(",4396,", ",,")  # Rebecca Long Bailey's member id (file row 9), removed
    bad.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(DataFileError) as refused:
        extracts.load(mps=bad)
    assert (refused.value.row, refused.value.column) == (9, "ID")
    assert Constituency.objects.count() == 0 and Person.objects.count() == 0


def test_appg_officers_and_ministers_are_the_same_people_as_mps(loaded: None) -> None:
    rlb = Person.objects.get(parliament_id=4396)
    assert sorted((r.kind, r.title) for r in rlb.roles.current()) == [
        ("appg-officer", "Chair & Registered Contact"),
        ("mp", "MP for Salford"),
    ]
    reeves = Person.objects.get(parliament_id=4031)
    assert [(r.title, r.organisation.name, r.start) for r in reeves.roles.filter(kind=RoleKind.MINISTER)] == [
        ("Chancellor of the Exchequer", "HM Treasury", dt.date(2024, 7, 5))
    ]
    assert Organisation.objects.get(name="Department for Transport").kind == "department"


def test_mp_page_shows_party_appg_role_places_and_labelled_centre_for_cities_figures(loaded: None) -> None:
    rlb = Person.objects.get(parliament_id=4396)
    page = Client().get(f"/parliament/people/{rlb.pk}/").content.decode()
    for text in (
        "Labour",
        "Chair &amp; Registered Contact",
        "Salford</a>: 9 of the constituency’s 9 wards",
        "Centre for Cities figures for the constituency",
        "Jobs per resident (2022)",
        "1.21",
    ):
        assert text in page
    assert "Our interactions" not in page  # the public never sees interactions


def test_the_place_page_has_a_parliament_panel_with_the_share_of_wards(loaded: None) -> None:
    page = Client().get("/members/salford/").content.decode()
    assert "Parliament" in page and "Worsley and Eccles" in page and "7 of 10 wards" in page
    assert "shares of wards, not of population" in page
    welsh = Client().get("/cy/members/salford/").content.decode()
    assert "Senedd y DU" in welsh or "Senedd" in welsh


@pytest.fixture
def meeting(loaded: None, officer: User, secretariat: User) -> Interaction:
    contact = Person.objects.create(name="Asha Patel", email="asha.patel@example.test", phone="07700 900123")
    return services.record_interaction(
        {"kind": "meeting", "date": dt.date(2026, 3, 2), "title": "Skills devolution with Asha Patel",
         "people": [Person.objects.get(parliament_id=4396), contact], "places": [Place.objects.get(slug="bradford")],
         "private_notes": "Asha Patel asked for figures."},
        by=secretariat, follow_up={"text": "Send the skills briefing", "owner": officer, "due": dt.date(2026, 3, 9)},
    )  # fmt: skip


def test_officers_see_their_places_interactions_and_partners_never(meeting: Interaction, client_for) -> None:  # type: ignore[no-untyped-def]
    hull = User.objects.create_user("hull", "o@hull.test", "correct horse battery", role=UserRole.MEMBER_OFFICER,
                                    place=Place.objects.get(slug="hull"))  # fmt: skip
    rlb = Person.objects.get(parliament_id=4396)
    assert "Skills devolution" in client_for("officer").get(f"/parliament/people/{rlb.pk}/").content.decode()
    for client in (client_for("partner"), client_for("anonymous")):
        assert "Skills devolution" not in client.get(f"/parliament/people/{rlb.pk}/").content.decode()
    other = Client()
    other.force_login(hull)
    assert other.get(meeting.get_absolute_url()).status_code == 404
    asha = Person.objects.get(name="Asha Patel")
    assert "07700 900123" in client_for("officer").get(f"/engagement/people/{asha.pk}/").content.decode()
    assert other.get(f"/engagement/people/{asha.pk}/").status_code == 404  # not about Hull
    assert client_for("partner").get(f"/engagement/people/{asha.pk}/").status_code == 403
    assert "Skills devolution" not in other.get("/engagement/interactions/").content.decode()


def test_recording_an_interaction_with_a_follow_up_through_the_form(loaded: None, client_for, officer: User) -> None:  # type: ignore[no-untyped-def]
    minister = Person.objects.get(parliament_id=4038)
    response = client_for("secretariat").post("/engagement/interactions/new/", {
        "kind": "meeting", "date": "2026-03-10", "title": "Buses with the Transport Secretary",
        "people": [minister.pk], "places": [Place.objects.get(slug="bradford").pk], "summary": "Bus franchising.",
        "follow_up": "Write to DfT", "follow_up_owner": officer.pk, "follow_up_due": "2026-03-20"})  # fmt: skip
    made = Interaction.objects.get(title="Buses with the Transport Secretary")
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert [(f.text, f.owner, f.due) for f in made.follow_ups.all()] == [
        ("Write to DfT", officer, dt.date(2026, 3, 20))
    ]
    refused = client_for("secretariat").post("/engagement/interactions/new/", {
        "kind": "meeting", "date": "2026-03-10", "title": "T", "follow_up": "Something"})  # fmt: skip
    assert "Choose who owns the follow-up" in refused.content.decode()


def test_the_daily_digest_emails_each_owner_their_due_follow_ups(meeting: Interaction, officer: User) -> None:
    mail.outbox.clear()
    assert services.send_follow_up_digests(today=dt.date(2026, 3, 8)) == 0
    assert services.send_follow_up_digests(today=dt.date(2026, 3, 10)) == 1
    assert [m.to for m in mail.outbox] == [["officer@bradford.test"]]
    assert "Send the skills briefing" in mail.outbox[0].body
    mail.outbox.clear()
    assert tasks.send_follow_up_digest.enqueue().return_value == {"digests": 1}  # the task, on today's date
    assert len(mail.outbox) == 1


def test_my_work_lists_the_owners_follow_ups(meeting: Interaction, officer: User, secretariat: User) -> None:
    [section] = [s for s in my_work.sections(officer) if s.key == "follow-ups"]
    assert section.count == 1 and [i.label for i in section.items] == ["Send the skills briefing"]
    assert section.items[0].urgent  # overdue
    assert [s.count for s in my_work.sections(secretariat) if s.key == "follow-ups"] == [0]


def test_the_calendar_feed_works_until_revoked(meeting: Interaction, officer: User) -> None:
    key = services.new_calendar_token(officer)
    feed = Client().get(f"/engagement/calendar/{key}.ics")
    body = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar") and "no-store" in feed["Cache-Control"]
    assert "SUMMARY:Follow-up: Send the skills briefing" in body and "DTSTART;VALUE=DATE:20260309" in body
    assert "SUMMARY:Skills devolution with Asha Patel" in body
    services.new_calendar_token(officer)  # a new address: the old one stops working
    assert Client().get(f"/engagement/calendar/{key}.ics").status_code == 404
    services.revoke_calendar_token(officer)
    assert not officer.__class__.objects.get(pk=officer.pk).__dict__.get("calendar_token")


def test_follow_up_done_by_its_owner(meeting: Interaction, client_for) -> None:  # type: ignore[no-untyped-def]
    f = meeting.follow_ups.get()
    assert client_for("officer").post(f"/engagement/follow-ups/{f.pk}/done/").status_code == 302
    f.refresh_from_db()
    assert f.done_at is not None


def test_api_mps_is_public_and_states_the_share_of_wards(loaded: None) -> None:
    rows = Client().get("/api/v1/mps/?place=salford").json()["results"]
    assert [(r["constituency"], r["wards_in_place"], r["constituency_wards"], r["share_of_constituency_wards"],
             r["mp"], r["party"]) for r in rows] == [
        ("Salford", 9, 9, 1.0, "Rebecca Long Bailey", "Labour"),
        ("Worsley and Eccles", 7, 10, 0.7, "Michael Wheeler", "Labour"),
        ("Bolton South and Walkden", 3, 10, 0.3, "Yasmin Qureshi", "Labour"),
        ("Bury South", 1, 11, 0.0909, "Christian Wakeford", "Labour")]  # fmt: skip
    assert "email" not in rows[0]
    text = Client().get("/api/v1/mps/?place=salford&format=csv").content.decode()
    assert list(csv.DictReader(io.StringIO(text)))[1]["constituency"] == "Worsley and Eccles"
    assert Client().get("/api/v1/mps/?place=manchester").status_code == 404  # not a member


def test_api_interactions_with_a_token_under_the_same_rules(meeting: Interaction, officer: User, partner: User) -> None:
    _, key = ApiToken.issue(officer, "test")
    got = Client().get("/api/v1/interactions/", headers={"Authorization": f"Bearer {key}"}).json()
    assert [(r["title"], r["places"], r["open_follow_ups"]) for r in got["results"]] == [
        ("Skills devolution with Asha Patel", ["bradford"], 1)
    ]
    assert "private_notes" not in got["results"][0]
    csv_text = Client().get("/api/v1/interactions/?format=csv", headers={"Authorization": f"Bearer {key}"})
    assert "Skills devolution with Asha Patel" in csv_text.content.decode()
    _, partner_key = ApiToken.issue(partner, "test")
    refused = Client().get("/api/v1/interactions/", headers={"Authorization": f"Bearer {partner_key}"})
    assert refused.status_code == 403 and refused.json()["error"]["status"] == 403


def test_a_contact_is_exported_and_erased_everywhere(meeting: Interaction, secretariat: User) -> None:
    exported = erasure.export_person("asha.patel@example.test")
    assert exported["engagement_contacts"][0]["phone"] == "07700 900123"
    erasure.erase_person("asha.patel@example.test", by=secretariat)
    assert not Person.objects.filter(name="Asha Patel").exists()
    history = " ".join(f"{e.changes} {e.object_repr}" for e in LogEntry.objects.all())
    assert "Asha Patel" not in history and "asha.patel@example.test" not in history
    meeting.refresh_from_db()
    assert "Asha Patel" not in meeting.title + meeting.private_notes
    assert Person.objects.filter(parliament_id=4396).exists()  # the MP in the same meeting is untouched


def test_presenters() -> None:
    assert presenters.ward_share(7, 10) == "7 of 10 wards (70%)"
    ics = presenters.calendar([{"uid": "u1", "date": dt.date(2026, 3, 9), "summary": "A, b; " + "é" * 60}],
                              stamp=dt.datetime(2026, 3, 1, tzinfo=dt.UTC), name="Feed")  # fmt: skip
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert "SUMMARY:A\\, b\\; " in ics and "DTEND;VALUE=DATE:20260310" in ics


def test_bundled_files_load_whole(registry: None, tmp_path: Path) -> None:
    """The real files in data/, loaded once: 650 constituencies, one MP each."""
    report = services.load_engagement()
    assert report.counts["constituencies added"] == 650 and report.counts["MP roles added"] == 650
    assert Role.objects.current().filter(kind=RoleKind.MP).count() == 650


def test_coverage_by_party_and_places_never_engaged(meeting: Interaction, client_for) -> None:  # type: ignore[no-untyped-def]
    # Salford's and Bradford's MPs in the extract; only Rebecca Long Bailey (Salford) is in an interaction.
    found = queries.coverage(Interaction.objects.all(), dt.date(2026, 4, 1))
    labour = next(r for r in found.by_party if r["party"] == "Labour")
    assert (labour["engaged_3"], labour["engaged_6"], labour["engaged_12"]) == (1, 1, 1)
    assert queries.coverage(Interaction.objects.all(), dt.date(2026, 7, 1)).by_party[0]["engaged_3"] == 0
    assert "Salford" not in [p.name for p in found.never] and "Bradford" in [p.name for p in found.never]
    assert found.total == sum(r["mps"] for r in found.by_party)
    assert queries.months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    page = client_for("secretariat").get("/engagement/coverage.csv").content.decode()
    assert page.splitlines()[0] == "party,mps,engaged_last_3_months,engaged_last_6_months,engaged_last_12_months"


def test_the_appg_page_lists_its_purpose_and_officers(loaded: None) -> None:
    page = Client().get("/parliament/appg/").content.decode()
    for text in (
        "Key Cities All-Party Parliamentary Group",
        "urban and peri-urban populations",
        "Chair &amp; Registered Contact",
        "Rebecca Long Bailey",
        "Co-Chair",
        "Wera Hobhouse",
        "Baroness Eaton",
        "Ruth Jones",
    ):
        assert text in page


def test_contacts_import_is_all_or_nothing_and_names_row_and_column(loaded: None, client_for) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = (
        "name,email,phone,organisation,organisation_type,role,title,start\n"
        "Asha Patel,asha.patel@example.test,,Example Gazette,media,journalist,Political editor,2025-01-06\n"
    )
    bad = good + "Ben Ode,not-an-email,,Example Trust,charity,contact,,2025-13-01\n"
    client = client_for("secretariat")
    refused = client.post("/engagement/contacts/import/", {"file": SimpleUploadedFile("c.csv", bad.encode())})
    page = refused.content.decode()
    assert "Row 3, column “email”" in page and "Row 3, column “start”" in page
    assert not Person.objects.filter(name="Asha Patel").exists()
    client.post("/engagement/contacts/import/", {"file": SimpleUploadedFile("c.csv", good.encode())})
    client.post("/engagement/contacts/import/", {"file": SimpleUploadedFile("c.csv", good.encode())})  # again
    asha = Person.objects.get(name="Asha Patel")
    assert [(r.kind, r.title, r.organisation.name, r.organisation.kind) for r in asha.roles.all()] == [
        ("journalist", "Political editor", "Example Gazette", "media")
    ]
    assert client_for("officer").get("/engagement/contacts/import/").status_code == 403


def test_api_people_shows_contact_details_only_to_those_who_may_see_them(meeting: Interaction, officer: User) -> None:
    hull = User.objects.create_user("hull", "o@hull.test", "correct horse battery", role=UserRole.MEMBER_OFFICER,
                                    place=Place.objects.get(slug="hull"))  # fmt: skip

    def people(user: User) -> dict[str, str | None]:
        _, key = ApiToken.issue(user, "test")
        got = Client().get("/api/v1/people/?q=a&limit=1000", headers={"Authorization": f"Bearer {key}"}).json()
        return {r["name"]: r["email"] for r in got["results"]}

    assert people(officer)["Asha Patel"] == "asha.patel@example.test"  # in an interaction about Bradford
    assert "Asha Patel" not in people(hull)  # a private contact Hull's officer has no reason to know
    assert people(hull)["Rebecca Long Bailey"] is None  # public roles, no contact details
    _, key = ApiToken.issue(officer, "test")
    coverage = Client().get("/api/v1/engagement/coverage", headers={"Authorization": f"Bearer {key}"}).json()
    assert coverage["mps"] == sum(r["mps"] for r in coverage["by_party"]) and "bradford" in coverage[
        "never_engaged_places"]  # fmt: skip
    orgs = Client().get("/api/v1/organisations/?kind=department", headers={"Authorization": f"Bearer {key}"}).json()
    assert sorted(o["name"] for o in orgs["results"]) == ["Department for Transport", "HM Treasury"]


def test_merging_duplicate_people_keeps_roles_interactions_and_history(meeting: Interaction, secretariat: User) -> None:
    first = Person.objects.get(name="Asha Patel")
    second = Person.objects.create(name="A. Patel", phone="")
    org = Organisation.objects.create(name="Example Gazette", kind="media")
    Role.objects.create(person=second, kind=RoleKind.JOURNALIST, organisation=org, title="Political editor")
    other = services.record_interaction({"kind": "call", "date": dt.date(2026, 3, 5), "title": "Call", "people": [
        second]}, by=secretariat)  # fmt: skip
    kept = services.merge_people(first, [second], by=secretariat)
    assert not Person.objects.filter(pk=second.pk).exists()
    assert [r.title for r in kept.roles.all()] == ["Political editor"]
    assert set(kept.interactions.all()) == {meeting, other}
    assert f"A. Patel (#{second.pk})" in kept.notes
    assert LogEntry.objects.get_for_object(second).filter(action=LogEntry.Action.DELETE).exists()


def test_coverage_counts_asks_raised_in_meetings_with_an_outcome(meeting: Interaction, secretariat: User) -> None:
    from keycities.consultations import services as consultations
    from keycities.consultations.models import Ask

    c = consultations.create_consultation({
        "title": "Post-16 funding", "body_type": "uk-government", "body_name": "Department for Education",
        "url": "https://www.gov.uk/government/consultations/post-16", "published_on": dt.date(2026, 1, 5),
        "closes_on": dt.date(2026, 2, 5), "lead_place": Place.objects.get(slug="bradford"),
    }, by=secretariat)  # fmt: skip
    accepted = Ask.objects.create(consultation=c, text="Devolve the adult skills fund", department="DfE",
                                  status="accepted")  # fmt: skip
    waiting = Ask.objects.create(consultation=c, text="Multi-year funding", department="HM Treasury")
    meeting.asks.set([accepted, waiting])
    found = queries.coverage(Interaction.objects.all(), dt.date(2026, 4, 1))
    assert (found.asks_raised, found.asks_with_outcome) == (2, 1)


def test_coverage_of_departments_per_work_area_and_ministers(loaded: None, secretariat: User) -> None:
    from keycities.network.models import WorkArea

    services.record_interaction({"kind": "meeting", "date": dt.date(2026, 3, 10), "title": "Buses",
                                 "people": [Person.objects.get(parliament_id=4038)],  # Heidi Alexander, DfT
                                 "work_areas": [WorkArea.objects.get(slug="transport")]}, by=secretariat)  # fmt: skip
    found = queries.coverage(Interaction.objects.all(), dt.date(2026, 4, 1))
    assert dict(found.departments)["Transport"] == ["Department for Transport"]
    assert dict(found.departments)["Skills"] == []
    assert [(m[0], m[2]) for m in found.ministers] == [("Heidi Alexander", dt.date(2026, 3, 10))]
    assert (found.department_count, found.minister_count) == (2, 2)
    assert ("Department for Transport", 1, 1) in found.ministers_by_department


def test_coverage_sentences_agree_with_both_numbers_and_tables_have_charts_and_csv(
    loaded: None,
    secretariat: User,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    from django.utils import translation

    from keycities.network.models import WorkArea

    with translation.override("en"):
        whole = "%(n)s Ministers in post today"
        assert presenters.of_the(2, 1, whole, "ministers") == (
            "1 of the 2 Ministers in post today has been in an interaction in the last 12 months."
        )
        assert presenters.of_the(2, 2, whole, "ministers").startswith("2 of the 2 Ministers in post today have been")
    services.record_interaction({"kind": "meeting", "date": dt.date.today(), "title": "Buses",
                                 "people": [Person.objects.get(parliament_id=4038)],
                                 "work_areas": [WorkArea.objects.get(slug="transport")]}, by=secretariat)  # fmt: skip
    client = client_for("secretariat")
    page = client.get("/engagement/coverage/").content.decode()
    assert "1 of the 2 Ministers in post today has been in an interaction" in page
    assert page.count("<svg") >= 3  # by party, departments per work area, Ministers per department
    departments = list(csv.reader(io.StringIO(client.get("/engagement/coverage/departments.csv").content.decode())))
    assert ["Transport", "1", "Department for Transport"] in departments
    ministers = list(csv.reader(io.StringIO(client.get("/engagement/coverage/ministers.csv").content.decode())))
    assert ministers[0] == ["minister", "post", "department", "last_interaction_in_last_12_months"]
    assert [m[0] for m in ministers[1:] if m[3]] == ["Heidi Alexander"] and len(ministers) == 3
    welsh = client.get("/cy/engagement/coverage/").content.decode()
    assert "1 o’r" in welsh or "1 o'r" in welsh


PDF = b"%PDF-1.4\n% Notes of a meeting with Asha Patel\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"


def test_changing_an_interaction_outside_the_admin_is_audited(meeting: Interaction, client_for) -> None:  # type: ignore[no-untyped-def]
    url = f"/engagement/interactions/{meeting.pk}/edit/"
    assert client_for("officer").get(url).status_code == 403  # recorded by the secretariat
    client = client_for("secretariat")
    assert "Skills devolution" in client.get(url).content.decode()
    response = client.post(url, {"kind": "call", "date": "2026-03-03", "title": "Skills devolution call",
                                 "places": [Place.objects.get(slug="bradford").pk], "summary": "Changed."})  # fmt: skip
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.kind, meeting.title, meeting.people.count()) == ("call", "Skills devolution call", 0)
    changes = [e.changes for e in LogEntry.objects.get_for_object(meeting)]
    assert any("Skills devolution call" in str(c) for c in changes)


def test_attachments_are_checked_by_content_seen_by_who_sees_the_interaction_and_erased(
    meeting: Interaction,
    client_for,
    secretariat: User,  # type: ignore[no-untyped-def]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("secretariat")
    url = f"/engagement/interactions/{meeting.pk}/attach/"
    refused = client.post(url, {"file": SimpleUploadedFile("notes.pdf", b"MZ not a pdf at all")})
    assert refused.status_code == 400 and "must be a PDF, DOCX or ODT document" in refused.content.decode()
    assert client.post(url, {"file": SimpleUploadedFile("notes.pdf", PDF)}).status_code == 302
    attachment = meeting.attachments.get()
    assert client_for("officer").get(attachment.get_absolute_url()).status_code == 200  # Bradford: may see it
    assert client_for("partner").get(attachment.get_absolute_url()).status_code == 403
    stored = attachment.file.name
    assert attachment.file.storage.exists(stored)
    erasure.erase_person("asha.patel@example.test", by=secretariat)
    assert not meeting.attachments.exists() and not attachment.file.storage.exists(stored)


def test_the_appg_officers_members_meetings_and_published_minutes(
    loaded: None,
    client_for,
    secretariat: User,  # type: ignore[no-untyped-def]
) -> None:
    client = client_for("secretariat")
    wera = Person.objects.get(parliament_id=4602)
    rlb = Person.objects.get(parliament_id=4396)
    member = Person.objects.exclude(pk__in=[wera.pk, rlb.pk]).filter(roles__kind="mp").first()
    assert member is not None
    assert client.post("/engagement/appg/", {"action": "role", "person": member.pk, "kind": "appg-member",
                                             "start": "2026-01-01"}).status_code == 302  # fmt: skip
    response = client.post("/engagement/appg/", {"action": "meeting", "date": "2026-02-10", "title": "AGM",
                                                 "agenda": "1. Election of officers",
                                                 "attendees": [rlb.pk, wera.pk]})  # fmt: skip
    from keycities.engagement.models import AppgMeeting

    meeting = AppgMeeting.objects.get()
    assert response["Location"] == meeting.get_absolute_url()
    refused = client.post(meeting.get_absolute_url(), {"action": "publish"}, follow=True)
    assert "Write the minutes before publishing them." in refused.content.decode()
    client.post(meeting.get_absolute_url(), {"action": "save", "date": "2026-02-10", "title": "AGM",
                                             "agenda": "1. Election of officers", "attendees": [rlb.pk, wera.pk],
                                             "minutes": "Rebecca Long Bailey was elected Chair."})  # fmt: skip
    client.post(meeting.get_absolute_url(), {"action": "action", "text": "Write to the Minister", "owner": "Chair"})
    assert [a.text for a in meeting.actions.all()] == ["Write to the Minister"]
    public = client_for("anonymous").get("/parliament/appg/").content.decode()
    assert member.name in public and "AGM" not in public  # minutes not published yet
    client.post(meeting.get_absolute_url(), {"action": "publish"})
    public = client_for("anonymous").get("/parliament/appg/").content.decode()
    assert "AGM" in public and "Wera Hobhouse" in public and "Purpose" in public
    minutes = client_for("anonymous").get(f"/parliament/appg/minutes/{meeting.pk}/").content.decode()
    assert "was elected Chair" in minutes and "Election of officers" not in minutes  # the agenda is internal
    role = member.roles.get(kind="appg-member")
    client.post(f"/engagement/appg/roles/{role.pk}/end/")
    role.refresh_from_db()
    assert role.end == dt.date.today()  # the last day in the role: gone from the public page tomorrow
    assert client_for("officer").get("/engagement/appg/").status_code == 403


def test_coverage_through_the_scope_joins_counts_what_the_subquery_counts(
    meeting: Interaction, officer: User, secretariat: User
) -> None:
    from keycities.engagement import policy
    from keycities.network.models import WorkArea

    services.record_interaction({"kind": "meeting", "date": dt.date(2026, 3, 10), "title": "Buses",
                                 "people": [Person.objects.get(parliament_id=4038)],
                                 "work_areas": [WorkArea.objects.get(slug="skills")]}, by=secretariat)  # fmt: skip
    for user in (officer, secretariat):
        by_subquery = queries.coverage(policy.visible_interactions(user), dt.date(2026, 4, 1))
        by_joins = queries.coverage(policy.visible_interactions(user), dt.date(2026, 4, 1),
                                    scope=functools.partial(policy.interaction_scope, user))  # fmt: skip
        assert by_joins == by_subquery
        assert by_joins.by_party and any(r["engaged_3"] for r in by_joins.by_party)


def test_centre_for_cities_data_not_available_is_said_in_welsh() -> None:
    from django.utils import translation

    from keycities.engagement.templatetags.engagement import cfc_label, cfc_value

    with translation.override("cy"):
        assert cfc_value("Data not available") == "Dim data ar gael" and cfc_value(" 0.65 ") == " 0.65 "
        assert cfc_label("Jobs per resident (2022)") != "Jobs per resident (2022)"
    assert cfc_value("Data not available") == "Data not available"
