"""Agreement means agreement: a response is signed off as agreed only if no member place objects,
and the sign-off applies to exactly the text and the decisions the secretariat confirmed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from keycities.accounts.models import User
from keycities.consultations import services
from keycities.consultations.models import Consultation, Event, Stage

from .conftest import draft, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(consultation: Consultation, officer: User, members: dict[str, User]) -> Consultation:
    services.add_questions(consultation, ["Do you agree?"], by=officer)
    draft(consultation, officer, ["Yes."])
    services.open_review(consultation, today(), by=officer)
    services.record_review(consultation, officer.place, "endorse", by=officer)  # type: ignore[arg-type]
    return consultation


def version(c: Consultation) -> int:
    return c.latest_version().number  # type: ignore[union-attr]


def test_an_objection_blocks_sign_off_until_the_secretariat_overrides_it_with_a_reason(
        in_review: Consultation, members: dict[str, User], secretariat: User) -> None:  # fmt: skip
    c, hull = in_review, members["hull"]
    services.record_review(c, hull.place, "object", "It ignores rural colleges.", by=hull)  # type: ignore[arg-type]
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="Hull objects to this response, so it cannot be signed off"):
            services.sign_off(c, by=secretariat, version=version(c), override_reason=reason)
    c.refresh_from_db()
    assert c.status == Stage.MEMBER_REVIEW and c.positions == {}
    services.sign_off(c, by=secretariat, version=version(c), override_reason="Agreed by the board on 3 March.")
    c.refresh_from_db()
    assert (c.status, c.positions["objected"]) == (Stage.SIGNED_OFF, ["Hull"])
    assert c.override_reason == "Agreed by the board on 3 March."
    note = c.events.get(kind=Event.Kind.SIGNED_OFF).note
    assert "Review round 1 closed: 1 endorsed, 1 objected, 22 did not respond." in note
    assert "Signed off despite the objection of Hull: Agreed by the board on 3 March." in note


def test_without_objection_no_reason_is_kept(in_review: Consultation, secretariat: User) -> None:
    services.sign_off(in_review, by=secretariat, version=version(in_review), override_reason="Not needed.")
    in_review.refresh_from_db()
    assert in_review.override_reason == "" and in_review.positions["endorsed"] == ["Bradford"]


def test_a_decision_recorded_after_the_confirmation_page_was_shown_is_not_signed_over(
        in_review: Consultation, members: dict[str, User], secretariat: User) -> None:  # fmt: skip
    c, hull = in_review, members["hull"]
    seen = services.decisions_seen(c)
    services.record_review(c, hull.place, "object", "No.", by=hull)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="recorded or changed its decision since you checked"):
        services.sign_off(c, by=secretariat, version=version(c), seen=seen, override_reason="Overridden.")
    assert services.decisions_seen(c) != seen


def test_a_text_changed_after_the_confirmation_page_was_shown_is_not_signed_off(
        in_review: Consultation, officer: User, secretariat: User) -> None:  # fmt: skip
    c = in_review
    shown = version(c)
    draft(c, officer, ["Yes, and more."])  # starts round 2 in drafting
    services.open_review(c, today(), by=officer)
    with pytest.raises(ValidationError, match="The text has changed since you checked it"):
        services.sign_off(c, by=secretariat, version=shown)


def test_positions_are_frozen_at_sign_off(in_review: Consultation, secretariat: User, members: dict[str, User]) -> None:
    from keycities.consultations import queries
    from keycities.network.models import Membership

    c = in_review
    services.sign_off(c, by=secretariat, version=version(c))
    services.mark_submitted(c, today(), by=secretariat)
    c.refresh_from_db()
    before = queries.response_data(c)["positions"]
    assert before["endorsed"] == ["Bradford"] and len(before["did_not_respond"]) == 23
    # A member leaves the group afterwards: the published positions do not change.
    Membership.objects.filter(place__slug="hull", group__slug="key-cities").update(end=today().replace(year=2000))
    c.refresh_from_db()
    assert queries.response_data(c)["positions"] == before and "Hull" in before["did_not_respond"]
