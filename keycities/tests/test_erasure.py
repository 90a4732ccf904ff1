"""Erasing a person removes their data everywhere it lives.

A person leaves traces everywhere a real one would: an account (and its audit history), a failed and a
successful sign-in, a password reset, two proposals (one signed in, with a document that names them;
one as a visitor), a half-finished proposal left in another browser, information added through their
private link, a reviewer's note and an answer that name them, and an export of their data. The
secretariat erases them; then every text and JSON column of every table (found by introspection, so a
new table is searched without anyone remembering to add it), every session, the media store and the
cache are searched for their email address, their name, their username and the address they used.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client

from keycities.accounts.models import Role, User
from keycities.core.ratelimit import email_key
from keycities.proposals import services
from keycities.proposals.models import Event, Proposal, Status

pytestmark = pytest.mark.django_db

EMAIL, NAME, USERNAME, ADDRESS = "sian.obriain@example.org", "Siân Ó Briain", "sobriain", "192.0.2.77"
NEEDLES = [EMAIL, NAME, USERNAME, ADDRESS]
PDF = (
    b"%PDF-1.4\n% A plan by Si\xc3\xa2n \xc3\x93 Briain, sian.obriain@example.org\n"
    b"1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
)
FORM = {"organisation": "Cwmni Prawf", "organisation_type": "charity", "work_areas": ["skills"],
        "summary": "Bootcamps for adults.", "consent": "on"}  # fmt: skip


def send(client: Client, title: str, details: str, files: list[Any] | None = None) -> Proposal:
    response = client.post("/work-with-us/", {**FORM, "name": NAME, "email": EMAIL, "title": title, "details": details,
                                              "attachments": files or []})  # fmt: skip
    assert response["Location"] == "/work-with-us/check/", response.content[:2000]
    assert client.post("/work-with-us/check/")["Location"] == "/work-with-us/confirmation/"
    return Proposal.objects.get(title=title)


def text_columns(model: type[models.Model]) -> list[str]:
    kinds = (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField)
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]


def traces(value: Any) -> list[str]:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return [n for n in NEEDLES if n.casefold() in text.casefold()]


def search_everything() -> list[tuple[str, str, list[str]]]:
    found = []
    for model in apps.get_models():
        columns = text_columns(model)
        if not columns or model._meta.proxy:
            continue
        for row in model._default_manager.values_list("pk", *columns):
            for column, value in zip(columns, row[1:], strict=True):
                if value and (hits := traces(value)):
                    found.append((model._meta.label, column, hits))
    for session in Session.objects.all():  # stored encoded: search what it holds
        if hits := traces(session.get_decoded()):
            found.append(("sessions.Session", "session_data (decoded)", hits))
    return found


def search_media() -> list[str]:
    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    raw = [n.encode() for n in NEEDLES]
    return [str(p) for p in root.rglob("*") if p.is_file() and (any(n.encode() in str(p).encode() for n in NEEDLES)
            or any(r in p.read_bytes() for r in raw))]  # fmt: skip


def test_erasing_a_person_leaves_no_trace_of_them(
        registry: None, officer: User, secretariat: User, settings: Any, tmp_path: Path,
        django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    settings.MEDIA_ROOT = tmp_path  # a media store of its own, searched whole
    cache.clear()
    User.objects.create_user(USERNAME, EMAIL, "correct horse battery", role=Role.PARTNER, first_name="Siân",
                             last_name="Ó Briain", organisation="Cwmni Prawf")  # fmt: skip
    person = Client(REMOTE_ADDR=ADDRESS)
    # A mistyped password on a phone elsewhere, then signing in.
    phone = Client(REMOTE_ADDR="198.51.100.23")
    assert phone.post("/account/sign-in/", {"username": USERNAME, "password": "wrong"}).status_code == 200
    assert (
        person.post("/account/sign-in/", {"username": USERNAME, "password": "correct horse battery"}).status_code == 302
    )
    with django_capture_on_commit_callbacks(execute=True):
        signed_in = send(person, "Bootcamps led by Siân Ó Briain", f"{NAME} will lead it; write to {EMAIL}.",
                         [SimpleUploadedFile("Siân Ó Briain plan.pdf", PDF)])  # fmt: skip
    assert signed_in.submitted_by is not None and signed_in.attachments.count() == 1
    visitor = Client(REMOTE_ADDR=ADDRESS)
    with django_capture_on_commit_callbacks(execute=True):
        anonymous = send(visitor, "A second idea", "More bootcamps.")
    token = re.search(r"/work-with-us/status/([^/]+)/", mail.outbox[-2].body).group(1)  # type: ignore[union-attr]
    assert visitor.post(f"/work-with-us/status/{token}/", {"text": f"From {NAME}: a budget."}).status_code == 302
    # A form filled in and never sent, in another browser.
    Client().post("/work-with-us/", {**FORM, "name": NAME, "email": EMAIL, "title": "Unsent", "details": "Draft."})
    Client(REMOTE_ADDR=ADDRESS).post("/account/password-reset/", {"email": EMAIL})
    with django_capture_on_commit_callbacks(execute=True):
        services.add_note(signed_in, f"Called {NAME} on Tuesday.", by=officer)
        services.transition(signed_in, Status.ACCEPTED, by=officer, public_answer=f"Dear {NAME}, yes.")
        services.assign(anonymous, officer, by=officer)
    staff = Client()
    staff.force_login(secretariat)
    export = json.loads(staff.post("/proposals/people/", {"email": EMAIL, "export": "1"}).content)
    assert [a["username"] for a in export["accounts"]] == [USERNAME]
    assert sorted(p["title"] for p in export["proposals"]) == ["A second idea", "Bootcamps led by Siân Ó Briain"]
    before = search_everything()
    assert {label for label, _, _ in before} >= {"accounts.User", "auditlog.LogEntry", "proposals.Proposal",
                                                 "proposals.Event", "proposals.Attachment", "axes.AccessAttempt",
                                                 "sessions.Session"}  # fmt: skip
    assert search_media() and any(email_key(EMAIL) in str(k) for k in cache._cache)  # type: ignore[attr-defined]

    confirm = staff.post("/proposals/people/", {"email": EMAIL, "erase": "1"})
    assert confirm.status_code == 200 and "1 account, which will be closed" in confirm.content.decode()
    assert "2 proposals, kept without" in confirm.content.decode()
    assert search_everything()  # nothing is erased before it is confirmed
    with django_capture_on_commit_callbacks(execute=True):
        done = staff.post("/proposals/people/", {"email": EMAIL, "confirm-erase": "1"})
    assert done.status_code == 302

    assert search_everything() == []
    assert search_media() == []
    assert not any(email_key(EMAIL) in str(k) for k in cache._cache)  # type: ignore[attr-defined]
    # The proposals are kept, without the person.
    signed_in.refresh_from_db()
    assert (signed_in.reference, signed_in.status, signed_in.name, signed_in.email) == (
        signed_in.reference, Status.ACCEPTED, "[erased]", "erased@invalid")  # fmt: skip
    assert signed_in.title == "Bootcamps led by [erased]" and signed_in.attachments.count() == 0
    assert signed_in.events.filter(kind=Event.Kind.ERASED).count() == 1
    assert [w.slug for w in signed_in.work_areas.all()] == ["skills"]
    account = User.objects.get(username__startswith="erased-")
    assert not account.is_active and not account.has_usable_password()
    # Their private link no longer works, and signing in as them is impossible.
    assert visitor.get(f"/work-with-us/status/{token}/").status_code == 404
    assert Client().post("/account/sign-in/", {"username": USERNAME, "password": "correct horse battery"}
                         ).status_code == 200  # fmt: skip


def test_retention_erasure_clears_the_audit_history_of_that_proposal_only(registry: None, officer: User) -> None:
    import datetime as dt

    from auditlog.models import LogEntry
    from django.utils import timezone

    from keycities.network.models import WorkArea

    def sent(title: str) -> Proposal:
        return services.submit(services.Draft(
            name=NAME, email=EMAIL, organisation="", organisation_type="charity",
            work_areas=[WorkArea.objects.get(slug="skills")], not_sure=False, places=[], title=title,
            summary="S", details="D", files=[])).proposal  # fmt: skip

    old, recent = sent("Old"), sent("Recent")
    services.transition(old, Status.DECLINED, by=officer, note="Out of scope")
    services.transition(old, Status.CLOSED, by=officer)
    Proposal.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=800))
    assert services.erase_expired() == 1

    def logged(p: Proposal) -> str:
        return json.dumps([e.changes for e in LogEntry.objects.get_for_object(p)], ensure_ascii=False)

    assert EMAIL not in logged(old) and NAME not in logged(old)
    assert EMAIL in logged(recent)  # still within its retention period
    old.refresh_from_db()
    assert (old.name, old.erased_at is not None) == ("[erased]", True)
