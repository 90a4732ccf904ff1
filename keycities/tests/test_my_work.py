"""My work: each role's to-dos with counts and links, the same count in the header, staff sections in the
menu only for the roles that may use them, and a page whose cost does not grow with the number of items."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from keycities.accounts.models import User
from keycities.claims.models import Claim, Evaluation
from keycities.claims.services import load_claims
from keycities.consultations import services as consultations
from keycities.consultations.models import Consultation
from keycities.network.models import Place, WorkArea
from keycities.proposals import services as proposals
from keycities.proposals.models import Proposal

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    """Today's date, read when called: a constant read at import goes stale when a run crosses midnight."""
    return timezone.localdate()


def propose(title: str, *, by: User | None = None, due_in: int = 10, area: str = "skills") -> Proposal:
    draft = proposals.Draft(name="Asha Patel", email="asha@example.org", organisation="Northern Skills Trust",
                            organisation_type="charity", work_areas=[WorkArea.objects.get(slug=area)], not_sure=False,
                            places=[], title=title, summary="A summary.", details="", files=[])  # fmt: skip
    proposal = proposals.submit(draft, user=by).proposal
    Proposal.objects.filter(pk=proposal.pk).update(first_response_due=today() + dt.timedelta(days=due_in))
    return proposal


def in_review(secretariat: User, officer: User, title: str, deadline_in: int) -> Consultation:
    c = consultations.create_consultation({
        "title": title, "body_type": "uk-government", "body_name": "Department for Education",
        "url": "https://www.gov.uk/government/consultations/example", "published_on": today() - dt.timedelta(days=20),
        "closes_on": today() + dt.timedelta(days=30), "lead_place": Place.objects.get(slug="bradford"),
        "work_areas": [WorkArea.objects.get(slug="skills")], "summary": "",
    }, by=secretariat)  # fmt: skip
    consultations.add_questions(c, ["Do you agree?"], by=officer)
    consultations.save_draft(c, {c.sections.get().pk: "Yes."}, base=c.latest_version().number, by=officer)  # type: ignore[union-attr]
    return consultations.open_review(c, today() + dt.timedelta(days=deadline_in), by=officer)


def page(user: User, path: str = "/my-work/") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, key: str) -> str:
    found = re.search(rf'<section[^>]*id="{key}".*?</section>', html, re.S)
    assert found, key
    return found.group(0)


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_an_officer_sees_what_is_due_most_pressing_first_and_the_count_in_the_header(
        secretariat: User, officer: User) -> None:  # fmt: skip
    later = propose("Bus lanes for colleges", due_in=6)
    overdue = propose("Digital skills bootcamps", due_in=-3)
    propose("Housing retrofit", area="housing")  # another place leads housing: not Bradford's
    answered = propose("Apprenticeship levy", due_in=1)
    proposals.transition(answered, "under-review", by=officer)  # a first response: no longer waiting
    review = in_review(secretariat, officer, "Post-16 funding reform", deadline_in=0)
    decided = in_review(secretariat, officer, "Careers advice", deadline_in=5)
    consultations.record_review(decided, officer.place, "endorse", by=officer)  # type: ignore[arg-type]

    html = page(officer)
    waiting = text(section(html, "proposals"))
    assert waiting.startswith("2 Proposals waiting for a first response")
    assert waiting.index(overdue.reference) < waiting.index(later.reference)
    assert f"{overdue.reference}: Digital skills bootcamps Overdue by 3 days" in waiting
    assert f"{later.reference}: Bus lanes for colleges First response due in 6 days" in waiting
    assert "Housing retrofit" not in html and "Apprenticeship levy" not in waiting
    reviews = text(section(html, "reviews"))
    assert reviews.startswith("1 Responses waiting for your place’s decision")
    assert f'href="/consultations/{review.pk}/review/"' in section(html, "reviews")
    assert "Post-16 funding reform (Department for Education) Decision due today" in reviews
    assert "Careers advice" not in reviews
    assert "You have 3 things to do." in text(html)
    # The same count in the header, on every page.
    assert re.search(r'href="/my-work/">My work <span class="kc-count">3<', page(officer, "/members/"))
    # The queue is in the menu for officers; the register and the claims dashboard are not.
    menu = page(officer, "/members/")
    assert 'href="/proposals/"' in menu and 'href="/consultations/register/"' not in menu
    assert 'href="/claims/dashboard/"' not in menu


def test_a_partner_sees_their_proposals_with_human_status_labels(partner: User) -> None:
    mine = propose("Digital skills bootcamps", by=partner)
    proposals.transition(mine, "declined", by=None, public_answer="Not in our plans this year.")
    propose("Someone else's idea")
    html = page(partner)
    yours = text(section(html, "your-proposals"))
    assert yours.startswith("1 Your proposals")
    assert f"{mine.reference}: Digital skills bootcamps Declined" in yours and "declined" not in yours
    assert "Someone else" not in html and "You have 0 things to do." in text(html)
    menu = page(partner, "/members/")
    assert 'class="kc-count"' not in menu  # nothing to do: no number
    assert 'href="/proposals/"' not in menu and 'href="/consultations/register/"' not in menu


def test_the_secretariat_sees_sign_offs_changed_claims_and_every_staff_section(
        secretariat: User, officer: User) -> None:  # fmt: skip
    in_review(secretariat, officer, "Post-16 funding reform", deadline_in=4)
    load_claims(Path(settings.BASE_DIR) / "data" / "claims.yaml")
    claim = Claim.objects.order_by("pk").first()
    assert claim is not None
    Evaluation.objects.create(claim=claim, verdict="does-not-hold", summary="", signature="x", changed=True)
    propose("Digital skills bootcamps", due_in=-1)

    html = page(secretariat)
    assert text(section(html, "sign-off")).startswith("1 Responses in member review, to sign off")
    changed = text(section(html, "claims"))
    assert changed.startswith("1 Claims whose verdict changed") and f"{claim.headline} Now: Does not hold" in changed
    assert "You have 3 things to do." in text(html)
    menu = page(secretariat, "/members/")
    for href in ("/proposals/", "/consultations/register/", "/claims/dashboard/"):
        assert f'href="{href}"' in menu


def test_the_page_costs_the_same_with_many_items(secretariat: User, officer: User,
                                                 django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    for i in range(12):
        propose(f"Idea {i}", due_in=i - 6)
    client = Client()
    client.force_login(officer)
    client.get("/my-work/")  # warm the session and the registry's caches
    with django_assert_max_num_queries(16):  # pinned: the same with 12 open proposals or 1,000 (engagement: +1)
        response = client.get("/my-work/")
    html = response.content.decode()
    assert "Showing the most pressing 5 of 12." in text(html)
    assert text(section(html, "proposals")).count("Overdue by") == 5  # the five most overdue, first


def test_signing_in_lands_on_my_work(officer: User) -> None:
    client = Client()
    response = client.post("/account/sign-in/", {"username": "officer", "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == "/my-work/"


def test_welsh(officer: User) -> None:
    propose("Digital skills bootcamps", due_in=-2)
    html = page(officer, "/cy/my-work/")
    assert "Fy ngwaith" in html and "Yn hwyr o 2 ddiwrnod" in text(html)
