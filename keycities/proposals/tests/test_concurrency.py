"""What a busy morning does to proposals: simultaneous submissions, the same draft sent twice, and a
withdrawal racing a decision.

The races are real (requests in threads released together by a barrier, against the database the
suite runs on: a file for SQLite, a server for PostgreSQL) and the assertions are about outcomes
that must hold whichever request wins, never about timing. Where an interleaving matters, a second
test forces it step by step.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from keycities.accounts.models import User
from keycities.network.models import WorkArea
from keycities.proposals import services
from keycities.proposals.models import Event, Proposal, Status

T = TypeVar("T")

FORM = {
    "name": "Asha Patel", "organisation": "Northern Skills Trust", "organisation_type": "charity",
    "work_areas": ["skills"], "summary": "Free twelve-week bootcamps for adults.",
    "details": "We would run the bootcamps with the local colleges and employers.", "consent": "on",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


def together(calls: list[Callable[[], T]]) -> list[T | BaseException]:
    """Run the calls in threads released at the same moment; each result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T | BaseException:
        barrier.wait()
        try:
            return call()
        except Exception as exc:  # the caller asserts on it
            return exc
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def drafted(n: int) -> Client:
    """A visitor from their own address with a valid draft waiting on 'check your answers'."""
    client = Client(REMOTE_ADDR=f"198.51.100.{n}")
    response = client.post("/work-with-us/", {**FORM, "email": f"person{n}@example.org", "title": f"Idea {n}"})
    assert response.status_code == 302 and response["Location"] == "/work-with-us/check/"
    return client


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_submissions_give_twenty_proposals_with_distinct_references(registry: None) -> None:
    clients = [drafted(n) for n in range(1, 21)]
    responses = together([lambda c=c: c.post("/work-with-us/check/") for c in clients])
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 20
    assert {r["Location"] for r in responses} == {"/work-with-us/confirmation/"}  # type: ignore[index]
    references = sorted(Proposal.objects.values_list("reference", flat=True))
    assert references == [f"KC-{timezone.localdate().year}-{n:05d}" for n in range(1, 21)]
    assert sorted(Proposal.objects.values_list("title", flat=True)) == sorted(f"Idea {n}" for n in range(1, 21))
    # Each submitter was told their own reference.
    confirmations = [m for m in mail.outbox if m.subject.startswith("Your proposal to Key Cities")]
    assert sorted((m.to[0], m.subject[-13:]) for m in confirmations) == sorted(
        (p.email, p.reference) for p in Proposal.objects.all()
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_draft_sent_twice_at_once_makes_one_proposal(registry: None) -> None:
    first = drafted(1)
    second = Client(REMOTE_ADDR="198.51.100.1")  # the same browser: a double click, or a second tab
    second.cookies = first.cookies
    responses = together([lambda: first.post("/work-with-us/check/"), lambda: second.post("/work-with-us/check/")])
    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    assert Proposal.objects.count() == 1
    assert len([m for m in mail.outbox if m.subject.startswith("Your proposal to Key Cities")]) == 1


@pytest.mark.django_db
def test_sending_the_same_draft_again_finds_the_first_proposal(registry: None) -> None:
    client = drafted(1)
    assert client.post("/work-with-us/check/")["Location"] == "/work-with-us/confirmation/"
    # Back, and send again: the draft has gone with the sending, so nothing new is made.
    assert client.post("/work-with-us/check/")["Location"] == "/work-with-us/"
    draft = services.Draft(name="A", email="a@example.org", organisation="", organisation_type="charity",
                           work_areas=[WorkArea.objects.get(slug="skills")], not_sure=False, places=[], title="T",
                           summary="S", details="D", files=[])  # fmt: skip
    once = services.submit(draft, key="k" * 32)
    again = services.submit(draft, key="k" * 32)
    assert (once.created, again.created, again.proposal.pk, again.token) == (True, False, once.proposal.pk, "")
    assert Proposal.objects.count() == 2


def under_review(officer: User) -> Proposal:
    sent = services.submit(services.Draft(
        name="Asha Patel", email="asha@example.org", organisation="", organisation_type="charity",
        work_areas=[WorkArea.objects.get(slug="skills")], not_sure=False, places=[], title="Bootcamps",
        summary="S", details="D", files=[]))  # fmt: skip
    services.transition(sent.proposal, Status.UNDER_REVIEW, by=officer)
    mail.outbox.clear()
    return sent.proposal


def accepted_emails() -> list[Any]:
    return [m for m in mail.outbox if "Accepted" in m.subject]


@pytest.mark.django_db(transaction=True)
def test_withdraw_and_accept_at_the_same_moment_cannot_both_apply(officer: User) -> None:
    for _ in range(5):
        proposal = under_review(officer)
        withdraw, accept = together([
            lambda p=proposal: services.withdraw(p, seen=Status.UNDER_REVIEW),
            lambda p=proposal: services.transition(p, Status.ACCEPTED, by=officer, public_answer="Accepted!",
                                                   seen=Status.UNDER_REVIEW),
        ])  # fmt: skip
        refused = [r for r in (withdraw, accept) if isinstance(r, ValidationError)]
        assert len(refused) == 1, (withdraw, accept)
        proposal.refresh_from_db()
        transitions = list(proposal.events.filter(kind=Event.Kind.TRANSITION).values_list("to_status", flat=True))
        if isinstance(withdraw, ValidationError):
            assert proposal.status == Status.ACCEPTED and len(accepted_emails()) == 1
        else:
            assert proposal.status == Status.WITHDRAWN and accepted_emails() == []
        assert transitions == [Status.UNDER_REVIEW, proposal.status]


@pytest.mark.django_db
@pytest.mark.parametrize("first", ["withdraw", "accept"])
def test_a_change_made_on_a_stale_page_is_refused(officer: User, first: str,
                                                  django_capture_on_commit_callbacks: Any) -> None:  # fmt: skip
    proposal = under_review(officer)
    seen_by_submitter, seen_by_reviewer = Proposal.objects.get(pk=proposal.pk), Proposal.objects.get(pk=proposal.pk)

    def withdraw() -> None:
        services.withdraw(seen_by_submitter, seen=seen_by_submitter.status)

    def accept() -> None:
        services.transition(seen_by_reviewer, Status.ACCEPTED, by=officer, public_answer="Accepted!",
                            seen=seen_by_reviewer.status)  # fmt: skip

    done, late = (withdraw, accept) if first == "withdraw" else (accept, withdraw)
    with django_capture_on_commit_callbacks(execute=True):
        done()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError, match=r"changed .*while you"):
        late()
    proposal.refresh_from_db()
    assert proposal.status == (Status.WITHDRAWN if first == "withdraw" else Status.ACCEPTED)
    assert len(accepted_emails()) == (0 if first == "withdraw" else 1)


@pytest.mark.django_db
def test_the_pages_carry_the_status_they_showed(officer: User, django_capture_on_commit_callbacks: Any) -> None:
    client = drafted(1)
    client.post("/work-with-us/check/")
    proposal = Proposal.objects.get()
    token = mail.outbox[0].body.split("/work-with-us/status/")[1].split("/")[0]
    services.transition(proposal, Status.UNDER_REVIEW, by=officer)
    reviewer = Client()
    reviewer.force_login(officer)
    assert 'name="t-seen" value="under-review"' in reviewer.get(f"/proposals/{proposal.reference}/").content.decode()
    assert 'name="seen" value="under-review"' in client.get(f"/work-with-us/status/{token}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/work-with-us/status/{token}/", {"confirm-withdraw": "1", "seen": "under-review"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = reviewer.post(f"/proposals/{proposal.reference}/", {"transition": "1", "t-status": "accepted",
                                                                   "t-seen": "under-review",
                                                                   "t-public_answer": "Accepted!"})  # fmt: skip
    assert page.status_code == 200 and "it is now withdrawn by the submitter" in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN and accepted_emails() == []
