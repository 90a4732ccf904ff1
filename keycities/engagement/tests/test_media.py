"""Media: press releases (draft → approved → published, spokespeople per work area, figures backed by claims
that hold), the public pages in English and Welsh, the coverage log, the API and people's data."""

from __future__ import annotations

import csv
import io

import pytest
from auditlog.models import LogEntry

from keycities.accounts.models import User
from keycities.claims.models import Claim
from keycities.claims.services import evaluate_claim, load_claims
from keycities.claims.tests.test_claims import CLAIMS_FILE
from keycities.core import erasure
from keycities.engagement import queries, services
from keycities.engagement.models import MediaCoverage, Organisation, OrgKind, Person, PressRelease, ReleaseStatus
from keycities.network.models import WorkArea

pytestmark = pytest.mark.django_db

POPULATION = "Population: nearly 6 million"  # does not hold (claims/tests: the member places' population)
MEMBERS = "24 mid-size cities and urban areas"  # holds


@pytest.fixture
def claims(registry: None) -> dict[str, Claim]:
    load_claims(CLAIMS_FILE)
    found = {c.headline: c for c in Claim.objects.filter(headline__in=[POPULATION, MEMBERS])}
    for claim in found.values():
        evaluate_claim(claim)
    return found


@pytest.fixture
def speaker(registry: None, secretariat: User) -> services.Spokesperson:  # type: ignore[name-defined]
    person = Person.objects.create(name="Cllr Dana Reyes", email="dana.reyes@example.test")
    return services.add_spokesperson({"work_area": WorkArea.objects.get(slug="skills"), "person": person,
                                      "title": "Skills spokesperson"}, by=secretariat)  # fmt: skip


def draft(by: User, body: str, cited: list[Claim], **more: object) -> PressRelease:
    return services.save_release({"title": "The Key Cities", "body": body, "claims": cited, **more}, by=by)


def test_figures_are_found_and_years_and_dates_are_not() -> None:
    assert services.quoted_figures("Nearly 6 million people; £135bn; 8% of the UK; 24 cities") == [
        "6 million", "£135bn", "8%", "24"]  # fmt: skip
    assert services.quoted_figures("On 3 March 2026 the group met in 2025 and 1 April.") == []


def test_a_release_citing_a_claim_that_does_not_hold_is_refused_naming_claim_and_verdict(
    claims: dict[str, Claim],
    client_for,
    officer: User,
    secretariat: User,  # type: ignore[no-untyped-def]
) -> None:
    release = draft(officer, "Key Cities are home to nearly 6 million people.", [claims[POPULATION]])
    with pytest.raises(services.ReleaseRefused) as refused:
        services.approve_release(release, by=secretariat)
    message = str(refused.value)
    assert "This press release cannot be approved." in message
    assert f"The claim “{POPULATION}” does not hold: its current verdict is “Does not hold”" in message
    # Through the page, as the secretariat would: the same words, and still a draft.
    page = client_for("secretariat")
    response = page.post(release.get_absolute_url(), {"action": "approve"}, follow=True)
    assert f"The claim “{POPULATION}” does not hold" in response.content.decode()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.DRAFT


def test_a_figure_without_a_claim_is_refused(registry: None, officer: User, secretariat: User) -> None:
    release = draft(officer, "The group's economy is worth £135bn a year.", [])
    with pytest.raises(services.ReleaseRefused, match="quotes a figure \\(£135bn\\) but cites no claim"):
        services.approve_release(release, by=secretariat)


def test_draft_approve_publish_and_the_public_pages_in_english_and_welsh(
    claims: dict[str, Claim],
    speaker,
    client_for,
    officer: User,
    secretariat: User,  # type: ignore[no-untyped-def]
) -> None:
    skills = WorkArea.objects.get(slug="skills")
    release = draft(officer, "The 24 Key Cities ask for a skills deal.", [claims[MEMBERS]], work_area=skills,
                    spokespeople=[speaker], title_cy="Y Dinasoedd Allweddol")  # fmt: skip
    assert client_for("anonymous").get(release.public_url()).status_code == 404  # a draft is not public
    assert client_for("officer").post(release.get_absolute_url(), {"action": "approve"}).status_code == 403
    services.approve_release(release, by=secretariat)
    with pytest.raises(services.ReleaseRefused):
        services.save_release({"title": "Changed"}, by=officer, release=release)  # approved: not editable
    response = client_for("secretariat").post(release.get_absolute_url(), {"action": "publish"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED and release.published_at is not None
    assert list(queries.published_press_releases()) == [release]
    english = client_for("anonymous").get("/press/").content.decode()
    assert "The Key Cities" in english
    detail = client_for("anonymous").get(release.public_url()).content.decode()
    assert "Cllr Dana Reyes" in detail and MEMBERS in detail
    welsh = client_for("anonymous").get("/cy" + release.public_url()).content.decode()
    assert "Y Dinasoedd Allweddol" in welsh
    assert 'lang="en-GB"' in welsh  # the body is not translated: shown in English, marked as English
    # Audited: every step is in the log.
    changes = LogEntry.objects.get_for_object(release)
    assert changes.count() >= 3


def test_spokespeople_must_speak_for_the_releases_work_area(speaker, officer: User) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.ReleaseRefused, match="is not a spokesperson for"):
        services.save_release({"title": "T", "body": "B", "work_area": WorkArea.objects.get(slug="transport"),
                               "spokespeople": [speaker]}, by=officer)  # fmt: skip


def test_the_coverage_log_takes_media_outlets_only_and_gives_csv(
    claims: dict[str, Claim],
    client_for,
    secretariat: User,  # type: ignore[no-untyped-def]
) -> None:
    outlet = Organisation.objects.create(name="Yorkshire Post", kind=OrgKind.MEDIA)
    council = Organisation.objects.create(name="Hull City Council", kind=OrgKind.COUNCIL)
    client = client_for("officer")
    response = client.post("/engagement/media/coverage/", {"outlet": outlet.pk, "date": "2026-03-04",
                                                           "headline": "Key Cities want a skills deal",
                                                           "url": "https://www.yorkshirepost.co.uk/x",
                                                           "claim": claims[MEMBERS].pk})  # fmt: skip
    assert response.status_code == 302
    with pytest.raises(services.ReleaseRefused, match="is not a media outlet"):
        services.log_coverage({"outlet": council, "date": "2026-03-04", "headline": "H"}, by=secretariat)
    rows = list(csv.reader(io.StringIO(client.get("/engagement/media/coverage.csv").content.decode())))
    assert rows == [["date", "outlet", "headline", "url", "press_release", "claim"],
                    ["2026-03-04", "Yorkshire Post", "Key Cities want a skills deal",
                     "https://www.yorkshirepost.co.uk/x", "", MEMBERS]]  # fmt: skip
    assert client_for("partner").get("/engagement/media/coverage/").status_code == 403
    assert MediaCoverage.objects.count() == 1


def test_api_lists_published_releases_only_in_json_and_csv(registry: None, officer: User, secretariat: User) -> None:
    from django.test import Client

    published = draft(secretariat, "The group welcomes the white paper.", [])
    services.publish_release(services.approve_release(published, by=secretariat), by=secretariat)
    draft(officer, "Not yet.", [])
    body = Client().get("/api/v1/press-releases/").json()
    assert [r["id"] for r in body["results"]] == [published.pk]
    text = Client().get("/api/v1/press-releases/?format=csv").content.decode()
    assert text.splitlines()[0].startswith("id,title,title_cy,body") and "Not yet." not in text


def test_erasure_removes_a_spokesperson_from_releases_and_the_log(
    speaker,
    officer: User,
    secretariat: User,  # type: ignore[no-untyped-def]
) -> None:
    release = draft(officer, "Cllr Dana Reyes said: skills matter.", [], work_area=speaker.work_area,
                    spokespeople=[speaker])  # fmt: skip
    outlet = Organisation.objects.create(name="Hull Daily Mail", kind=OrgKind.MEDIA)
    services.log_coverage({"outlet": outlet, "date": "2026-03-05", "headline": "Cllr Dana Reyes on skills",
                           "release": release}, by=secretariat)  # fmt: skip
    exported = erasure.export_person("dana.reyes@example.test")
    assert exported["engagement_contacts"][0]["spokesperson"][0]["title"] == "Skills spokesperson"
    erasure.erase_person("dana.reyes@example.test", by=secretariat)
    release.refresh_from_db()
    assert "Dana Reyes" not in release.body and not release.spokespeople.exists()
    assert "Dana Reyes" not in MediaCoverage.objects.get().headline
    history = " ".join(f"{e.changes} {e.object_repr}" for e in LogEntry.objects.all())
    assert "Dana Reyes" not in history


def test_the_coverage_page_counts_the_coverage_log_by_outlet_and_release(
    registry: None,
    secretariat: User,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    import datetime as dt

    today = dt.date.today()
    first, second = draft(secretariat, "Skills.", []), draft(secretariat, "Buses.", [])
    post = Organisation.objects.create(name="Yorkshire Post", kind=OrgKind.MEDIA)
    mail = Organisation.objects.create(name="Hull Daily Mail", kind=OrgKind.MEDIA)
    for outlet, days, release in (
        (post, 10, first),
        (post, 100, first),
        (mail, 200, second),
        (mail, 400, second),
        (post, -5, second),
    ):  # the last two: too old, not yet
        services.log_coverage({"outlet": outlet, "date": today - dt.timedelta(days=days), "headline": "H",
                               "release": release}, by=secretariat)  # fmt: skip
    found = queries.press_coverage(today)
    assert found.totals == {"outlets": {3: 1, 6: 1, 12: 2}, "releases": {3: 1, 6: 1, 12: 2},
                            "pieces": {3: 1, 6: 2, 12: 3}}  # fmt: skip
    client = client_for("officer")
    rows = list(csv.reader(io.StringIO(client.get("/engagement/coverage/press.csv").content.decode())))
    assert rows == [["outlet", "coverage_last_3_months", "coverage_last_6_months", "coverage_last_12_months",
                     "releases_used_last_3_months", "releases_used_last_6_months", "releases_used_last_12_months"],
                    ["Yorkshire Post", "1", "2", "2", "1", "1", "1"],
                    ["Hull Daily Mail", "0", "0", "1", "0", "0", "1"]]  # fmt: skip
    page = client.get("/engagement/coverage/").content.decode()
    assert "Press coverage in the coverage log" in page and "Pieces of coverage in the last 12 months" in page
    assert client_for("partner").get("/engagement/coverage/press.csv").status_code == 403


def test_press_is_in_the_site_menu_and_footer_and_the_privacy_notice_covers_media_and_appg_data(
    registry: None,
    client_for,  # type: ignore[no-untyped-def]
) -> None:
    page = client_for("anonymous").get("/privacy/").content.decode()
    start = page.index('class="govuk-service-navigation__list"')
    menu = page[start : page.index("</ul>", start)]
    footer = page[page.index("<footer") :]
    assert 'href="/press/"' in menu and 'href="/press/"' in footer
    for section in ("engagement-documents", "spokespeople", "appg-meetings"):
        part = page[page.index(f'id="{section}"') :]
        part = part[: part.index("</section>")]
        assert "Lawful basis" in part and "How long" in part and "Legitimate interests" in part
