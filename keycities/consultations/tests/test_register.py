"""The register: the form, CSV import (all or nothing), the open list with days left, the daily emails."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from keycities.accounts.models import User
from keycities.consultations import services
from keycities.consultations.models import Consultation, Event, Stage
from keycities.network.models import Place, WorkArea

from .conftest import make_officer, signed_in, today

pytestmark = pytest.mark.django_db

HEADER = "title,body_type,body_name,url,published_on,closes_on,work_areas,lead_place,summary\n"
GOOD = HEADER + (
    "Local growth plans,uk-government,Ministry of Housing,https://www.gov.uk/c/growth,2026-01-05,2026-03-31,"
    "Inclusive growth;skills,Hull,Growth plans for every place\n"
    '"Bus services (Wales) Bill",Welsh Government,Welsh Government,https://www.gov.wales/c/bus,05/01/2026,'
    "28/02/2026,transport,newport,\n"
)


def upload(text: str, name: str = "consultations.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_form_adds_a_consultation(secretariat: User) -> None:
    client = signed_in(secretariat)
    bradford, skills, young = (Place.objects.get(slug="bradford").pk, WorkArea.objects.get(slug="skills").pk,
                               WorkArea.objects.get(slug="young-people").pk)  # fmt: skip
    page = client.post("/consultations/new/", {"title": "", "url": "not a link", "published_on": "2026-03-01",
                                               "closes_on": "2026-02-01"}).content.decode()  # fmt: skip
    for message in ["There is a problem", "Enter the consultation’s title", "Select the type of body consulting",
                    "Enter a full web address, starting https://", "Select the lead member place, or a work area",
                    "The closing date must be on or after the date it was published"]:  # fmt: skip
        assert message in page, message
    response = client.post("/consultations/new/", {
        "title": "Adult skills fund", "body_type": "uk-government", "body_name": "Department for Education",
        "url": "https://www.gov.uk/c/asf", "published_on": "2026-03-01", "closes_on": "2026-04-30",
        "lead_place": bradford, "work_areas": [skills, young]})  # fmt: skip
    assert 'value="" checked' not in page and "---------" not in page  # no blank radio
    c = Consultation.objects.get()
    assert response["Location"] == f"/consultations/{c.pk}/"
    assert (c.title, c.lead_place.slug, c.status, c.created_by) == ("Adult skills fund", "bradford", "watching",
                                                                    secretariat)  # fmt: skip
    assert sorted(w.slug for w in c.work_areas.all()) == ["skills", "young-people"]
    client.post(f"/consultations/{c.pk}/details/", {
        "title": "Adult skills fund reform", "body_type": "uk-government", "body_name": "Department for Education",
        "url": "https://www.gov.uk/c/asf", "published_on": "2026-03-01", "closes_on": "2026-05-15",
        "lead_place": bradford, "work_areas": [skills]})  # fmt: skip
    c.refresh_from_db()
    assert (c.title, c.closes_on) == ("Adult skills fund reform", dt.date(2026, 5, 15))
    assert c.events.get(kind="edited").note == "Changed: title, closing date, work areas."


def test_a_good_csv_is_imported(secretariat: User) -> None:
    response = signed_in(secretariat).post("/consultations/import/", {"file": upload(GOOD)})
    assert response["Location"] == "/consultations/register/"
    rows = {c.title: c for c in Consultation.objects.all()}
    growth, bus = rows["Local growth plans"], rows["Bus services (Wales) Bill"]
    assert (growth.body_type, growth.lead_place.name, growth.closes_on) == ("uk-government", "Hull",
                                                                            dt.date(2026, 3, 31))  # fmt: skip
    assert sorted(w.slug for w in growth.work_areas.all()) == ["inclusive-growth", "skills"]
    assert growth.summary == "Growth plans for every place"
    assert (bus.body_type, bus.lead_place.slug, bus.published_on) == ("welsh-government", "newport",
                                                                      dt.date(2026, 1, 5))  # fmt: skip
    assert Event.objects.filter(kind="imported").count() == 2
    # The same file again: both already in the register, nothing added.
    added, skipped = services.import_csv(io.BytesIO(GOOD.encode()), "again.csv", by=secretariat)
    assert (added, skipped) == ([], 2) and Consultation.objects.count() == 2


def test_a_bad_csv_changes_nothing_and_names_every_row_and_column(secretariat: User) -> None:
    bad = GOOD + (
        "Rail reform,uk-government,Department for Transport,https://www.gov.uk/c/rail,2026-02-30,2026-04-01,"
        "transport,Bradford,\n"
        "Housing,ministry,MHCLG,www.gov.uk/c/housing,2026-02-01,2026-01-01,housing;flying cars,Atlantis,\n"
    )
    page = signed_in(secretariat).post("/consultations/import/", {"file": upload(bad)}).content.decode()
    assert "consultations.csv has 6 problems; nothing was imported" in page
    rows = re.findall(
        r'<tr class="govuk-table__row"><td class="govuk-table__cell">(\d+)</td>'
        r'<td class="govuk-table__cell">([a-z_]+)</td><td class="govuk-table__cell">(.*?)</td>',
        page,
    )
    assert rows == [
        ("4", "published_on", "must be a date like 2026-03-31 or 31/03/2026"),
        ("5", "body_type", "must be one of: uk-government, welsh-government, committee, other"),
        ("5", "url", "Enter a valid URL."),
        ("5", "lead_place", "names no place called &#x27;Atlantis&#x27;"),
        ("5", "work_areas", "names no work area called &#x27;flying cars&#x27;"),
        ("5", "closes_on", "is before the date it was published"),
    ]
    assert Consultation.objects.count() == 0 and Event.objects.count() == 0
    with pytest.raises(services.CsvFileError) as caught:
        services.import_csv(io.BytesIO(bad.encode()), "bad.csv", by=None)
    first = caught.value
    assert (first.row, first.column) == (4, "published_on")
    assert str(first).startswith("bad.csv, row 4, column 'published_on': must be a date like 2026-03-31")


def test_missing_and_unknown_columns_and_non_utf8(secretariat: User) -> None:
    with pytest.raises(services.CsvFileError) as caught:
        services.read_csv(b"title,body,url\nA,B,C\n", "x.csv")
    problems = [(e.row, e.column, e.reason) for e in caught.value.errors]
    assert (1, "body_type", "is missing this column") in problems
    assert (1, "body", "is not a column this file can have") in problems
    with pytest.raises(services.CsvFileError, match="is not UTF-8 text"):
        services.read_csv("título".encode("latin-1"), "x.csv")
    with pytest.raises(services.CsvFileError, match="has a header but no consultations"):
        services.read_csv(HEADER.encode(), "x.csv")


def test_the_import_command(registry: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_consultations", str(good), stdout=out)
    assert "Imported 2 consultation(s); 0 already in the register." in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(GOOD.replace("Hull", "Atlantis"), encoding="utf-8")
    with pytest.raises(CommandError, match=r"bad\.csv, row 2, column 'lead_place': names no place called 'Atlantis'"):
        call_command("import_consultations", str(bad))


def _add(title: str, closes: dt.date, lead: str, status: str = Stage.WATCHING) -> Consultation:
    from keycities.network.models import Place

    c = services.create_consultation({"title": title, "body_type": "other", "body_name": "A body",
                                      "url": f"https://example.org/{title.replace(' ', '-')}",
                                      "published_on": today() - dt.timedelta(days=60), "closes_on": closes,
                                      "lead_place": Place.objects.get(slug=lead)}, by=None)  # fmt: skip
    Consultation.objects.filter(pk=c.pk).update(status=status)
    return c


def test_open_consultations_with_days_left(registry: None) -> None:
    _add("Closes today", today(), "hull")
    _add("Closes in three days", today() + dt.timedelta(days=3), "bradford", Stage.DRAFTING)
    _add("Closed yesterday", today() - dt.timedelta(days=1), "hull")
    page = Client().get("/consultations/").content.decode()
    assert "Open consultations (2)" in page
    assert page.index("Closes today") < page.index("Closes in three days")
    assert "3 days left" in page and "Closed yesterday" not in page
    assert "Response in preparation" in page and "Considering a response" in page
    assert "Open the response" not in page  # the workspace is for members


def test_daily_digest_goes_to_each_lead_places_officers(officer: User) -> None:
    make_officer("hull")
    _add("Soon", today() + dt.timedelta(days=2), "bradford", Stage.DRAFTING)
    _add("Later", today() + dt.timedelta(days=13), "bradford")
    _add("Too far off", today() + dt.timedelta(days=30), "bradford")
    _add("Already sent", today() + dt.timedelta(days=2), "bradford", Stage.SUBMITTED)
    _add("Hull's", today(), "hull")
    out = io.StringIO()
    call_command("send_consultation_digest", stdout=out)
    by_to = {tuple(m.to): m for m in mail.outbox}
    bradford, hull = by_to[("officer@bradford.test",)], by_to[("officer@hull.test",)]
    assert "Soon" in bradford.body and "2 days left" in bradford.body and "Later" in bradford.body
    assert "Too far off" not in bradford.body and "Already sent" not in bradford.body
    assert bradford.body.index("Soon") < bradford.body.index("Later")
    assert "Hull's" in hull.body and "today" in hull.body and len(mail.outbox) == 2
    assert "Bradford: 2 consultation(s) closing soon; sent to officer@bradford.test" in out.getvalue()


def test_review_reminders_before_the_deadline(
    officer: User, members: dict[str, User], django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    c = _add("In review", today() + dt.timedelta(days=20), "bradford", Stage.DRAFTING)
    services.add_questions(c, ["Q?"], by=officer)
    services.open_review(c, today() + dt.timedelta(days=2), by=officer)
    services.record_review(c, members["hull"].place, "endorse", by=members["hull"])  # type: ignore[arg-type]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_consultation_digest", "--days", "0", "--remind", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["officer@bradford.test", "officer@kirklees.test", "officer@wakefield.test"]
    assert "Reminder" in mail.outbox[0].subject


def test_a_work_area_fills_in_its_lead_place_and_dates_keep_their_field_format(secretariat: User) -> None:
    client = signed_in(secretariat)
    transport = WorkArea.objects.get(slug="transport").pk
    form = client.get("/consultations/new/").content.decode()
    assert f'"{transport}": {Place.objects.get(slug="wolverhampton").pk}' in form  # the map the page uses
    client.post("/consultations/new/", {
        "title": "Bus franchising guidance", "body_type": "uk-government", "body_name": "Department for Transport",
        "url": "https://www.gov.uk/c/bus", "published_on": "2026-03-01", "closes_on": "2026-04-30",
        "lead_place": "", "work_areas": [transport]})  # fmt: skip
    c = Consultation.objects.get()
    assert c.lead_place.slug == "wolverhampton"  # the lead of the work area chosen
    edit = client.get(f"/consultations/{c.pk}/details/").content.decode()
    assert 'value="2026-03-01"' in edit and 'value="2026-04-30"' in edit  # as a date field holds them
    none = client.post("/consultations/new/", {"title": "x", "body_type": "other", "body_name": "y",
                                               "url": "https://example.org/", "published_on": "2026-03-01",
                                               "closes_on": "2026-04-30"}).content.decode()  # fmt: skip
    assert "Select the lead member place, or a work area that a member leads" in none
