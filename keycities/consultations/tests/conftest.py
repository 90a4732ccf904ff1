"""Fixtures: a consultation led by Bradford (the `officer` fixture), officers of three other member
places, and a helper that runs what the code defers until commit (emails)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from keycities.accounts.models import Role, User
from keycities.consultations import services
from keycities.consultations.models import Consultation
from keycities.network.models import Place, WorkArea

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501


def today() -> dt.date:
    """Today's date, read when called: a constant read at import goes stale when a run crosses midnight."""
    return timezone.localdate()


def make_officer(slug: str) -> User:
    return User.objects.create_user(f"officer-{slug}", f"officer@{slug}.test", "correct horse battery",
                                    role=Role.MEMBER_OFFICER, place=Place.objects.get(slug=slug),
                                    first_name=slug.title(), last_name="Officer")  # fmt: skip


@pytest.fixture
def members(registry: None) -> dict[str, User]:
    """Officers of Hull, Kirklees and Wakefield (three member places besides the lead, Bradford)."""
    return {slug: make_officer(slug) for slug in ("hull", "kirklees", "wakefield")}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def consultation(registry: None, secretariat: User) -> Consultation:
    return services.create_consultation({
        "title": "Skills England: post-16 funding reform", "body_type": "uk-government",
        "body_name": "Department for Education", "url": "https://www.gov.uk/government/consultations/post-16-funding",
        "published_on": today() - dt.timedelta(days=20), "closes_on": today() + dt.timedelta(days=10),
        "lead_place": Place.objects.get(slug="bradford"), "work_areas": [WorkArea.objects.get(slug="skills")],
        "summary": "How adult skills funding is allocated.",
    }, by=secretariat)  # fmt: skip


QUESTIONS = """1. Do you agree with the proposed funding formula?
2. How should the formula treat
places with low skills levels?
3. Any other comments?"""


def draft(c: Consultation, author: User, answers: list[str], base: int | None = None) -> None:
    """Save answers (in question order) as a new version."""
    sections = list(c.sections.filter(removed=False).order_by("position"))
    latest = c.latest_version()
    services.save_draft(c, {s.pk: a for s, a in zip(sections, answers, strict=False)},
                        base=latest.number if base is None and latest else (base or 0), by=author)  # fmt: skip
