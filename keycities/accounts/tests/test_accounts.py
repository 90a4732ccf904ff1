import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from keycities.accounts.models import Role, User
from keycities.network.models import Place

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/account/sign-in/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_sign_in_and_out(partner: User) -> None:
    client = Client()
    response = sign_in(client, "partner", "correct horse battery")
    assert response.status_code == 302 and response["Location"] == "/my-work/"
    page = client.get("/account/").content.decode()
    assert "University of Example" in page and "Partner" in page
    assert client.post("/account/sign-out/").status_code == 302
    assert client.get("/account/").status_code == 302


def test_wrong_password_shows_an_error_summary(partner: User) -> None:
    page = sign_in(Client(), "partner", "wrong").content.decode()
    assert "There is a problem" in page and "govuk-error-summary" in page
    assert "<title>Error: Sign in" in page


def test_lockout_after_five_failures_even_with_the_right_password(partner: User) -> None:
    client = Client()
    for _ in range(5):
        sign_in(client, "partner", "wrong")
    response = sign_in(client, "partner", "correct horse battery")
    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()
    assert client.get("/account/").status_code == 302  # still not signed in


def test_password_reset_by_email(partner: User) -> None:
    client = Client()
    client.post("/account/password-reset/", {"email": "partner@example.test"})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["partner@example.test"] and message.subject == "Reset your Key Cities Hub password"
    link = re.search(r"http://testserver(/account/password-reset/\S+/)", message.body)
    assert link
    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a much longer new password", "new_password2": "a much longer new password"},
    )
    assert done.status_code == 302
    assert sign_in(Client(), "partner", "a much longer new password").status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_mail(registry: None) -> None:
    response = Client().post("/account/password-reset/", {"email": "nobody@example.test"})
    assert response.status_code == 302 and response["Location"] == "/account/password-reset/sent/"
    assert mail.outbox == []


def test_roles_are_consistent(registry: None) -> None:
    officer = User(username="x", role=Role.MEMBER_OFFICER)
    with pytest.raises(ValidationError, match="must belong to a member place"):
        officer.clean()
    partner = User(username="y", role=Role.PARTNER, place=Place.objects.get(slug="hull"))
    with pytest.raises(ValidationError, match="Only member officers"):
        partner.clean()
    secretariat = User.objects.create_user("z", role=Role.SECRETARIAT)
    assert secretariat.is_staff
    demoted = User.objects.get(username="z")
    demoted.role = Role.PARTNER
    demoted.save()
    assert not demoted.is_staff


def test_admin_edits_are_audited_with_before_and_after(secretariat: User) -> None:
    client = Client()
    client.force_login(secretariat)
    place = Place.objects.get(slug="hull")
    form = client.get(f"/admin/network/place/{place.pk}/change/")
    assert form.status_code == 200
    data = {
        "slug": "hull", "name": "Hull", "official_name": "Hull City Council", "nation": "England",
        "region_code": "E12000003", "region_name": "Yorkshire and The Humber", "summary": "", "note": "",
    }  # fmt: skip
    for prefix, rows in (("areas", place.areas.all()), ("memberships", place.memberships.all())):
        data |= {f"{prefix}-TOTAL_FORMS": rows.count(), f"{prefix}-INITIAL_FORMS": rows.count(),
                 f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}  # fmt: skip
        for i, row in enumerate(rows):
            data[f"{prefix}-{i}-id"] = row.pk
            data[f"{prefix}-{i}-place"] = place.pk
            if prefix == "areas":
                data |= {f"areas-{i}-area_code": row.area_code, f"areas-{i}-area_name": row.area_name,
                         f"areas-{i}-relation": row.relation}  # fmt: skip
            else:
                data |= {f"memberships-{i}-group": row.group_id, f"memberships-{i}-start": row.start or "",
                         f"memberships-{i}-source": row.source, f"memberships-{i}-note": row.note}  # fmt: skip
    response = client.post(f"/admin/network/place/{place.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(place).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == secretariat
    assert entry.changes_dict["official_name"] == ["Kingston upon Hull, City of", "Hull City Council"]
    history = client.get(f"/admin/network/place/{place.pk}/auditlog/")
    assert history.status_code == 200 and "Hull City Council" in history.content.decode()
    assert client.get("/admin/auditlog/logentry/").status_code == 200


def test_role_predicates(secretariat: User, officer: User, partner: User) -> None:
    from django.contrib.auth.models import AnonymousUser

    from keycities.accounts import policy

    table = [(policy.is_secretariat(u), policy.is_member_officer(u), policy.is_partner(u))
             for u in (secretariat, officer, partner, AnonymousUser())]  # fmt: skip
    assert table == [(True, False, False), (False, True, False), (False, False, True), (False, False, False)]
    partner.is_active = False
    assert not policy.is_partner(partner)


def test_officers_belong_only_to_member_places(registry: None) -> None:
    from keycities.accounts import policy

    outsider = User(username="mcr", email="officer@manchester.test", role=Role.MEMBER_OFFICER,
                    place=Place.objects.get(slug="manchester"))  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        outsider.full_clean(exclude=["password"])
    assert "Manchester is not a member of Key Cities today" in str(refused.value)
    outsider.save()  # an old account, or a place that has since left the network
    assert not policy.is_member_officer(outsider) and not policy.is_staff_member(outsider)
    User(username="brad", role=Role.MEMBER_OFFICER, place=Place.objects.get(slug="bradford")).full_clean(
        exclude=["password"]
    )


def test_the_admin_offers_only_member_places_for_officers(secretariat: User) -> None:
    client = Client()
    client.force_login(secretariat)
    html = client.get("/admin/accounts/user/add/").content.decode()
    assert ">Bradford</option>" in html and ">Manchester</option>" not in html


def test_a_session_ends_after_the_idle_time_and_each_request_starts_it_again(partner: User) -> None:
    import datetime as dt

    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST  # SESSION_IDLE_MINUTES
    client = Client()
    sign_in(client, "partner", "correct horse battery")
    session = Session.objects.get()
    Session.objects.update(expire_date=timezone.now() + dt.timedelta(minutes=1))
    assert client.get("/account/").status_code == 200
    session.refresh_from_db()
    assert session.expire_date > timezone.now() + dt.timedelta(minutes=29)  # the request started it again
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))  # idle for 30 minutes
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")


def test_the_privacy_notice_gives_each_purpose_its_lawful_basis_and_retention(client: Client, registry: None) -> None:
    html = client.get("/privacy/").content.decode()
    for purpose in ("proposals", "accounts", "sign-in", "limits", "audit", "consultations", "sessions", "emails"):
        row = html.split(f'id="{purpose}"')[1].split("</section>")[0]
        assert [k in row for k in (">What we keep<", ">Lawful basis<", ">How long<")] == [True] * 3, purpose
        assert "article 6(1)" in row or purpose == "emails", purpose
    assert "Until 730 days after your proposal is closed or withdrawn" in html
    assert "after 30 minutes without using the Hub" in html and "1 hour after the last failed attempt" in html
    welsh = client.get("/cy/privacy/").content.decode()
    assert '<html lang="cy"' in welsh and "Hysbysiad preifatrwydd" in welsh
