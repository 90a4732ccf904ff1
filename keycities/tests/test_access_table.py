"""Every routed view, for every role, answers what the expected-status table says (see access.py)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from keycities.tests.access import ROLES, SIGN_IN, Row, Status, World, data, rows, url

pytestmark = pytest.mark.django_db

# The Django admin is a library with its own, tested, rules (staff only, and the permissions in
# accounts.models.SECRETARIAT_PERMISSIONS); test_admin_is_for_the_secretariat_only covers the door.
DELEGATED = ("admin/",)


def routed_views(patterns: list | None = None, prefix: str = "", namespace: str = "") -> set[str]:  # type: ignore[type-arg]
    found: set[str] = set()
    for p in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith(DELEGATED):
                continue
            inner = ":".join(n for n in (namespace, p.namespace) if n)
            found |= routed_views(p.url_patterns, route, inner)
        elif isinstance(p, URLPattern):
            assert p.name, f"{route} has no URL name, so the table cannot name it"
            found.add(f"{namespace}:{p.name}" if namespace else p.name)
    return found


def test_every_routed_view_has_a_row_and_every_row_a_view() -> None:
    views, named = routed_views(), {row.view for row in rows()}
    assert len(views) >= 70
    assert sorted(views - named) == [], "views with no row in any access_table.py"
    assert sorted(named - views) == [], "rows for views that are not routed"
    duplicates = [i for i, n in Counter(row.id for row in rows()).items() if n > 1]
    assert duplicates == [], "give rows for the same view and method a label"


def observed(response: HttpResponse) -> Status:
    if response.status_code == 302 and response["Location"].startswith("/account/sign-in/"):
        return SIGN_IN
    return response.status_code


def request(client: Client, row: Row, world: World) -> HttpResponse:
    body = data(row, world)
    if row.method == "GET":
        return client.get(url(row, world))
    if row.json:
        return client.generic(row.method, url(row, world), json.dumps(body), content_type="application/json")
    return client.generic(row.method, url(row, world), body and _encode(body),
                          content_type="application/x-www-form-urlencoded")  # fmt: skip


def _encode(body: object) -> str:
    from urllib.parse import urlencode

    return urlencode(body, doseq=True)  # type: ignore[arg-type]


@pytest.mark.parametrize("role", ROLES)
def test_every_view_answers_each_role_as_the_table_says(access_world: World, role: str) -> None:
    got: dict[str, Status] = {}
    stored: list[str] = []  # answers to a signed-in user that a cache may keep
    for row in rows():
        cache.clear()  # rate limits are tested on their own
        client = Client()
        if role != "anonymous":
            client.force_login(access_world["users"][role])
        with transaction.atomic():  # each request's writes are undone, so rows do not affect each other
            response = request(client, row, access_world)
            transaction.set_rollback(True)
        got[row.id] = observed(response)
        if role != "anonymous" and "no-store" not in response.get("Cache-Control", ""):
            stored.append(row.id)
    assert got == {row.id: row.expect[role] for row in rows()}
    assert stored == [], "pages for signed-in users must be sent with Cache-Control: no-store"


def test_pages_with_a_visitors_own_data_are_never_stored(access_world: World) -> None:
    client = Client()
    pages = [client.get("/work-with-us/"), client.get(f"/work-with-us/status/{access_world['token']}/")]
    client.post("/work-with-us/", {"name": "A", "email": "a@example.org", "organisation_type": "charity",
                                   "work_areas": ["skills"], "title": "T", "summary": "S", "details": "D",
                                   "consent": "on"})  # fmt: skip
    pages += [client.get("/work-with-us/check/"), client.post("/work-with-us/check/"),
              client.get("/work-with-us/confirmation/")]  # fmt: skip
    assert [p.status_code for p in pages] == [200, 200, 200, 302, 200]
    assert all("no-store" in p["Cache-Control"] and "private" in p["Cache-Control"] for p in pages)
    assert "no-store" not in Client().get("/members/").get("Cache-Control", "")  # public pages may be cached
