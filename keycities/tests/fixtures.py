"""Fixtures shared by every app's tests and the browser journeys: the real registry and a user per role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Statistics every test can read, loaded once per session (each test still runs in a
    transaction that is rolled back): the ONS area list, small real extracts of four files
    (keycities/observatory/tests/data/) and the whole local-authority GDP workbook."""
    from keycities.observatory import catalogue, services
    from keycities.observatory.tests.conftest import EXTRACTS, extract_source

    with django_db_blocker.unblock():
        services.sync_catalogue()
        services.import_areas()
        for key in EXTRACTS:
            source, path = extract_source(key)
            services.import_source(source, path=path)
        services.import_source(catalogue.source("ons-gdp-la"))


@pytest.fixture
def client_for(registry: None, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """client_for(role) -> a Client signed in as that role ('anonymous' is not signed in)."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return make


@pytest.fixture(scope="session", autouse=True)
def _mail_through_the_task_queue(django_test_environment: None) -> None:
    """Django's test set-up replaces EMAIL_BACKEND with its in-memory backend; put the Hub's queue back in
    front of it, so every test's mail goes through QueuedEmail and the delivery task as in production (the
    delivery backend is still the in-memory one: `mail.outbox`)."""
    settings.EMAIL_BACKEND = "keycities.core.mail.QueuedEmailBackend"


@pytest.fixture(autouse=True)
def _the_hubs_language_afterwards() -> Iterator[None]:
    """A request to a /cy/ page leaves Welsh active in the thread (as Django's LocaleMiddleware does): every test
    starts in the Hub's language, whatever the test before it asked for."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test's uploads go to a directory of its own, never to var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture
def access_world(registry: None, secretariat: User, officer: User, partner: User) -> dict[str, Any]:
    """A user per role and the objects the expected-status table refers to (keycities/tests/access.py)."""
    from keycities.tests.access import tables

    def officer_of(slug: str) -> User:
        return User.objects.create_user(f"officer-{slug}", f"officer@{slug}.test", "correct horse battery",
                                        role=Role.MEMBER_OFFICER, place=Place.objects.get(slug=slug))  # fmt: skip

    # Manchester is a Core City, not a member: User.clean refuses this, create_user does not check.
    users = {"partner": partner, "officer": officer, "other_officer": officer_of("hull"),
             "outsider": officer_of("manchester"), "secretariat": secretariat}  # fmt: skip
    world: dict[str, Any] = {"users": users}
    for table in tables():
        if hasattr(table, "build"):
            table.build(world)
    return world
