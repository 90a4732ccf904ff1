"""Fixtures shared by every app's tests and the browser journeys: the real registry and a user per role."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from keycities.accounts.models import Role, User
from keycities.network.models import Place
from keycities.network.services import load_network

NETWORK_FILE = Path(settings.BASE_DIR) / "data" / "network.yaml"


@pytest.fixture
def registry(db: None) -> None:
    """The registry as data/network.yaml describes it."""
    load_network(NETWORK_FILE)


@pytest.fixture
def secretariat(registry: None) -> User:
    return User.objects.create_user("sec", "sec@keycities.test", "correct horse battery", role=Role.SECRETARIAT)


@pytest.fixture
def officer(registry: None) -> User:
    return User.objects.create_user(
        "officer",
        "officer@bradford.test",
        "correct horse battery",
        role=Role.MEMBER_OFFICER,
        place=Place.objects.get(slug="bradford"),
    )


@pytest.fixture
def partner(registry: None) -> User:
    return User.objects.create_user(
        "partner",
        "partner@example.test",
        "correct horse battery",
        role=Role.PARTNER,
        organisation="University of Example",
    )


ROLES = ["anonymous", "partner", "officer", "secretariat"]


@pytest.fixture
def client_for(registry: None, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """client_for(role) -> a Client signed in as that role ('anonymous' is not signed in)."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return make
