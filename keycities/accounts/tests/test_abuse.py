"""Password guessing and reset flooding: per username, per address, for everyone; behind a proxy too."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings

from keycities.accounts.models import Role, User

pytestmark = pytest.mark.django_db
RIGHT = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


@pytest.fixture
def people(registry: None) -> list[User]:
    return [User.objects.create_user(f"user{n}", f"user{n}@example.test", RIGHT, role=Role.PARTNER)
            for n in range(20)]  # fmt: skip


def sign_in(username: str, password: str, address: str) -> int:
    return Client(REMOTE_ADDR=address).post("/account/sign-in/", {"username": username, "password": password},
                                            ).status_code  # fmt: skip


def test_four_guesses_at_each_of_twenty_usernames_from_one_address_lock_the_address(people: list[User]) -> None:
    statuses = [sign_in(u.username, "wrong", "10.0.0.9") for u in people for _ in range(4)]
    assert statuses[:19] == [200] * 19  # the 20th failure locks the address
    assert set(statuses[20:]) == {429}
    # Locked for every username from that address, even with the right password...
    assert sign_in("user2", RIGHT, "10.0.0.9") == 429
    # ...but not elsewhere: no username reached its own limit (user2 has 4 failures, and 1 more while locked).
    assert sign_in("user3", RIGHT, "10.0.0.10") == 302


def test_a_username_is_locked_whatever_address_the_guesses_come_from(people: list[User]) -> None:
    assert [sign_in("user1", "wrong", f"10.0.1.{n}") for n in range(5)] == [200, 200, 200, 200, 429]
    assert sign_in("user1", RIGHT, "10.0.1.99") == 429
    assert sign_in("user2", RIGHT, "10.0.1.99") == 302


@override_settings(SIGNIN_GLOBAL_FAILURE_LIMIT=30)
def test_guessing_spread_over_many_addresses_and_usernames_pauses_sign_in(people: list[User]) -> None:
    # Two guesses at each username, each from its own address: no username or address reaches its limit.
    statuses = [sign_in(u.username, "wrong", f"10.2.{i}.{n}") for i, u in enumerate(people) for n in range(2)]
    assert statuses[:29] == [200] * 29 and set(statuses[30:]) == {429}
    assert sign_in("user0", RIGHT, "10.9.9.9") == 429


def test_signing_in_clears_only_the_users_own_failures(people: list[User]) -> None:
    # Someone with an account of their own (user0) guesses at others from their address, signing in as
    # themselves between guesses: the address's guesses still add up to its limit.
    for u in people[1:7]:
        for _ in range(3):
            assert sign_in(u.username, "wrong", "10.3.0.1") == 200
        assert sign_in("user0", RIGHT, "10.3.0.1") == 302
    assert [sign_in("user7", "wrong", "10.3.0.1") for _ in range(2)] == [200, 429]  # the 20th failure
    assert sign_in("user0", RIGHT, "10.3.0.1") == 429
    # The people guessed at can still sign in from their own addresses; their own typing mistakes are cleared.
    assert [sign_in("user8", "wrong", "10.3.0.2"), sign_in("user8", RIGHT, "10.3.0.2")] == [200, 302]
    from axes.models import AccessAttempt

    assert not AccessAttempt.objects.filter(username="user8").exists()
    assert AccessAttempt.objects.filter(username="user1", ip_address="10.3.0.1").exists()


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_limits_key_on_the_client_not_the_proxy(people: list[User]) -> None:
    def via_proxy(username: str, password: str, client: str, forged: str = "") -> int:
        forwarded = f"{forged}, {client}" if forged else client
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded).post(
            "/account/sign-in/", {"username": username, "password": password}).status_code  # fmt: skip

    # One client guessing is locked out; another client behind the same proxy is not.
    assert [via_proxy(u.username, "wrong", "203.0.113.5") for u in people][-1] == 429
    assert via_proxy("user0", RIGHT, "203.0.113.6") == 302
    # Forging X-Forwarded-For does not help: the proxy appends the real address, which is the one believed.
    assert via_proxy("user1", RIGHT, "203.0.113.5", forged="198.51.100.1") == 429
    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_password_reset_is_limited_per_email_without_saying_so(people: list[User]) -> None:
    for n in range(5):
        response = Client(REMOTE_ADDR=f"10.4.0.{n}").post("/account/password-reset/", {"email": "user0@example.test"})
        assert response.status_code == 302 and response["Location"] == "/account/password-reset/sent/"
    assert len(mail.outbox) == 3  # PASSWORD_RESETS_PER_EMAIL


def test_password_reset_is_limited_per_address(people: list[User]) -> None:
    client = Client(REMOTE_ADDR="10.5.0.1")
    statuses = [client.post("/account/password-reset/", {"email": f"user{n}@example.test"}).status_code
                for n in range(12)]  # fmt: skip
    assert statuses == [302] * 10 + [429] * 2
    assert len(mail.outbox) == 10
    assert (
        "Too many password reset requests"
        in client.post("/account/password-reset/", {"email": "x@y.z"}).content.decode()
    )
