from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from keycities.accounts.models import User
from keycities.library import presenters, services
from keycities.library.models import Publication, SearchEntry
from keycities.network.models import Place, WorkArea

from .files import docx_file, pdf

DATA = {"title": "Skills for growth in the Key Cities", "summary": "What the group asks of government on skills.",
        "published_on": dt.date(2024, 3, 1), "authors": "Key Cities; A. Author", "kind": "report",
        "is_public": True, "licence": "ogl-3.0"}  # fmt: skip


def publish(by: User, upload: Any = None, **changes: Any) -> Publication:
    return services.create_publication({**DATA, **changes}, upload or pdf("Apprenticeships in Bradford"), by=by)


def test_a_pdf_is_read_for_search_and_indexed_in_the_same_transaction(secretariat: User) -> None:
    with transaction.atomic():
        p = publish(secretariat, places=[Place.objects.get(slug="bradford")],
                    work_areas=[WorkArea.objects.get(slug="skills")])  # fmt: skip
        entry = SearchEntry.objects.get(source="publication", key=str(p.pk))
    assert "Apprenticeships in Bradford" in p.text and not p.no_text and p.pages == 1
    assert "Apprenticeships" in entry.body and entry.places == "bradford" and entry.work_areas == "skills"
    assert entry.kind == "report" and entry.year == 2024


def test_a_write_that_fails_leaves_no_entry(secretariat: User) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(secretariat, title="Rolled back")
        raise RuntimeError
    assert not SearchEntry.objects.filter(title="Rolled back").exists()


def test_a_docx_is_read(secretariat: User) -> None:
    p = publish(secretariat, docx_file("Housing delivery in Plymouth"))
    assert "Housing delivery in Plymouth" in p.text and p.content_type.endswith("document")


def test_a_scanned_pdf_with_no_text_is_flagged(secretariat: User, client: Client) -> None:
    p = publish(secretariat, pdf(drawing=True))
    assert p.no_text and p.pages == 1
    assert "scan with no text" in client.get(p.get_absolute_url()).content.decode()


def test_a_file_is_judged_by_its_content_not_its_name(secretariat: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        publish(secretariat, SimpleUploadedFile("report.pdf", b"<html>not a pdf</html>"))
    assert not Publication.objects.exists()


def test_changes_are_audited_and_follow_into_the_index(secretariat: User) -> None:
    p = publish(secretariat)
    services.update_publication(p, {**DATA, "title": "Skills: the sequel"}, by=secretariat)
    assert SearchEntry.objects.get(source="publication", key=str(p.pk)).title == "Skills: the sequel"
    assert LogEntry.objects.get_for_object(p).count() >= 2
    services.delete_publication(p, by=secretariat)
    assert not SearchEntry.objects.filter(source="publication").exists()


def test_staff_upload_through_the_form(officer: User, client: Client) -> None:
    client.force_login(officer)
    form = {**DATA, "published_on": "2024-03-01", "is_public": "on", "file": pdf("Upload")}
    response = client.post(reverse("library:new"), form)
    p = Publication.objects.get()
    assert response.status_code == 302 and response["Location"] == p.get_absolute_url()
    bad = client.post(reverse("library:new"), {**DATA, "published_on": "2024-03-01"})
    assert bad.status_code == 400


def test_private_publications_are_for_staff(secretariat: User, officer: User, partner: User, client: Client) -> None:
    p = publish(secretariat, title="Private draft on housing", is_public=False)
    assert client.get(p.get_absolute_url()).status_code == 404
    assert "Private draft" not in client.get(reverse("library:index")).content.decode()
    assert "Private draft" not in client.get(reverse("library:feed")).content.decode()
    client.force_login(partner)
    assert client.get(p.get_absolute_url()).status_code == 404
    client.force_login(officer)
    assert "Private draft" in client.get(reverse("library:index")).content.decode()


def test_the_page_has_a_citation_and_the_feed_lists_public_publications(secretariat: User, client: Client) -> None:
    p = publish(secretariat)
    page = client.get(p.get_absolute_url()).content.decode()
    assert "Key Cities; A. Author (2024) Skills for growth in the Key Cities. Key Cities Hub. Available at: " \
           f"http://testserver{p.get_absolute_url()}" in page  # fmt: skip
    feed = client.get(reverse("library:feed"))
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Skills for growth in the Key Cities" in feed.content.decode()


def test_citation_without_authors_or_year() -> None:
    text = presenters.citation(authors="", year=None, title="A title.", url="https://x", accessed=dt.date(2026, 5, 1))
    assert text == "Key Cities (n.d.) A title. Key Cities Hub. Available at: https://x (Accessed: 1 May 2026)."


def test_published_responses_and_issued_briefings_appear_in_the_library(secretariat: User, client: Client) -> None:
    from keycities.briefings import services as briefings
    from keycities.briefings.models import Kind as PackKind
    from keycities.consultations.models import Consultation, Stage

    c = Consultation.objects.create(title="Local growth plans: call for evidence", body_type="department",
                                    body_name="MHCLG", url="https://example.org", published_on=dt.date(2025, 1, 1),
                                    closes_on=dt.date(2025, 3, 1), lead_place=Place.objects.get(slug="bradford"),
                                    summary="Growth plans.")  # fmt: skip
    assert "Local growth plans" not in client.get(reverse("library:index")).content.decode()
    c.status, c.submitted_on = Stage.SUBMITTED, dt.date(2025, 3, 1)
    c.save()
    pack = briefings.create_pack({"kind": PackKind.WORK_AREA, "title": "Skills briefing",
                                  "work_area": WorkArea.objects.get(slug="skills")}, by=secretariat)  # fmt: skip
    briefings.issue_pack(pack, by=secretariat)
    page = client.get(reverse("library:index")).content.decode()
    assert "Local growth plans" in page and "Skills briefing (v1)" in page
    assert "Local growth plans" in client.get(reverse("library:index"), {"kind": "response"}).content.decode()
    c.status = Stage.DRAFTING
    c.save()
    assert "Local growth plans" not in client.get(reverse("library:index")).content.decode()


def test_rebuild_writes_the_index_again(secretariat: User) -> None:
    publish(secretariat)
    SearchEntry.objects.all().delete()
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SearchEntry.objects.filter(source="publication").count() == 1
    assert SearchEntry.objects.filter(source="place").count() == 24  # the members today
    assert SearchEntry.objects.filter(source="work_area").count() == 11


def test_the_api_lists_publications_as_the_user_may_see_them(secretariat: User, client: Client) -> None:
    publish(secretariat)
    publish(secretariat, title="Hidden", is_public=False)
    data = client.get("/api/v1/publications/").json()
    assert [r["title"] for r in data["results"]] == [DATA["title"]]
    assert client.get("/api/v1/publications/?format=csv").content.decode().count("\n") == 2


def test_a_press_release_is_in_the_library_and_search_once_published(secretariat: User, client: Client) -> None:
    from keycities.engagement import services as engagement

    release = engagement.save_release({"title": "Devolution white paper welcomed",
                                       "body": "The group welcomes the white paper on devolution."},
                                      by=secretariat)  # fmt: skip
    engagement.approve_release(release, by=secretariat)
    assert "Devolution white paper welcomed" not in client.get(reverse("library:index")).content.decode()
    hits = client.get("/api/v1/search", {"q": "devolution white paper"}).json()["results"]
    assert not [h for h in hits if h["type"] == "press_release"]
    engagement.publish_release(release, by=secretariat)
    listed = client.get(reverse("library:index"), {"kind": "press-release"}).content.decode()
    assert "Devolution white paper welcomed" in listed
    found = client.get("/api/v1/search", {"q": "devolution white paper"}).json()
    assert found["results"][0]["title"] == "Devolution white paper welcomed"
    assert found["results"][0]["type"] == "press_release"
    assert found["results"][0]["url"].endswith(release.public_url())


def test_a_welsh_title_and_summary_on_welsh_pages_the_feed_and_search(secretariat: User, client: Client) -> None:
    from django.contrib.auth.models import AnonymousUser

    from keycities.library import search

    p = publish(secretariat, title_cy="Sgiliau ar gyfer twf yn Key Cities",
                summary_cy="Yr hyn y mae’r grŵp yn ei ofyn gan y llywodraeth ar sgiliau.")  # fmt: skip
    english = Client()  # no Welsh choice recorded
    page = english.get(p.get_absolute_url()).content.decode()
    assert '<h1 class="govuk-heading-xl">Skills for growth in the Key Cities</h1>' in page
    assert "Sgiliau ar gyfer twf" not in english.get("/library/").content.decode()
    assert "<title>Skills for growth in the Key Cities</title>" in english.get("/library/feed.atom").content.decode()
    welsh = client.get(f"/cy{p.get_absolute_url()}").content.decode()
    assert '<h1 class="govuk-heading-xl">Sgiliau ar gyfer twf yn Key Cities</h1>' in welsh
    assert "Yr hyn y mae’r grŵp yn ei ofyn gan y llywodraeth ar sgiliau." in welsh and "kc-fallback" not in welsh
    assert "Sgiliau ar gyfer twf" in client.get("/cy/library/").content.decode()
    feed_cy = client.get("/cy/library/feed.atom").content.decode()
    assert "<title>Sgiliau ar gyfer twf yn Key Cities</title>" in feed_cy and 'xml:lang="cy"' in feed_cy
    found = search.run(AnonymousUser(), "Sgiliau twf", semantic=False)
    assert [h.entry.key for h in found.hits] == [str(p.pk)]
    api = client.get(f"/api/v1/publications/{p.pk}").json()
    assert api["title_cy"] == "Sgiliau ar gyfer twf yn Key Cities"
    assert api["summary_cy"] == "Yr hyn y mae’r grŵp yn ei ofyn gan y llywodraeth ar sgiliau."


def test_welsh_search_quotes_the_welsh_summary_and_marks_an_english_one(secretariat: User, client: Client) -> None:
    publish(secretariat, title="Skills for growth in Bradford", title_cy="Sgiliau ar gyfer twf yn Bradford",
            summary_cy="Yr hyn y mae’r grŵp yn ei ofyn gan y llywodraeth ar sgiliau.")  # fmt: skip
    publish(secretariat, title="Skills in Coventry", summary="Apprenticeship skills in Coventry.")
    welsh = client.get("/cy/search/", {"q": "skills", "type": "publication"}).content.decode()
    assert ('<p class="govuk-body-s kc-snippet">Yr hyn y mae’r grŵp yn ei ofyn gan y llywodraeth ar sgiliau.</p>'
            in welsh)  # fmt: skip
    assert ('<p class="govuk-body-s kc-snippet" lang="en-GB">Apprenticeship <mark>skills</mark> in Coventry.</p>'
            in welsh)  # fmt: skip
    english = client.get("/search/", {"q": "skills", "type": "publication"}).content.decode()
    assert "Yr hyn y mae’r grŵp" not in english and 'lang="en-GB">Apprenticeship' not in english
    assert '<p class="govuk-body-s kc-snippet">What the group asks of government on <mark>skills</mark>.</p>' in english


def test_a_publication_without_welsh_shows_its_english_marked(secretariat: User, client: Client) -> None:
    p = publish(secretariat)
    welsh = client.get(f"/cy{p.get_absolute_url()}").content.decode()
    assert ('<h1 class="govuk-heading-xl"><span lang="en-GB" class="kc-fallback">Skills for growth in the Key '
            "Cities</span></h1>") in welsh  # fmt: skip
    assert '<span lang="en-GB" class="kc-fallback">What the group asks of government on skills.</span>' in welsh


def test_staff_add_the_welsh_on_the_form(officer: User, client: Client) -> None:
    client.force_login(officer)
    p = publish(officer)
    form = client.get(reverse("library:edit", args=[p.pk])).content.decode()
    assert 'name="title_cy"' in form and 'name="summary_cy"' in form
    data = {**DATA, "published_on": "2024-03-01", "is_public": "on", "title_cy": "Teitl Cymraeg",
            "summary_cy": "Crynodeb Cymraeg."}  # fmt: skip
    assert client.post(reverse("library:edit", args=[p.pk]), data).status_code == 302
    p.refresh_from_db()
    assert (p.title_cy, p.summary_cy) == ("Teitl Cymraeg", "Crynodeb Cymraeg.")
    assert "Teitl Cymraeg" in SearchEntry.objects.get(source="publication", key=str(p.pk)).body
