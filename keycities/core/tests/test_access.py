"""Every view has an explicit access rule, and each rule holds for each role."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from keycities.tests.fixtures import ROLES

pytestmark = pytest.mark.django_db

# Served by libraries with their own, tested, rules: the Django admin (staff
# only) and the API (each router declares its auth; tested in test_api_access).
DELEGATED = ("admin/", "api/v1/")


def walk(patterns: list, prefix: str = "") -> list[tuple[str, object]]:  # type: ignore[type-arg]
    found = []
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith(DELEGATED):
                continue
            found += walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            found.append((route, p.callback))
    return found


def test_every_view_declares_its_access_rule() -> None:
    views = walk(get_resolver().url_patterns)
    assert len(views) >= 12
    missing = [route for route, view in views if getattr(view, "access_rule", None) is None]
    assert missing == []


PUBLIC_PAGES = ["/", "/members/", "/members/tees-valley/", "/work-areas/", "/work-areas/integration/",
                "/accessibility/", "/privacy/", "/account/sign-in/", "/account/password-reset/",
                "/account/password-reset/sent/", "/account/password-reset/complete/"]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_open_to_every_role(client_for, role: str, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).get(url)
    # A signed-in user asking for the sign-in page is sent on to their account.
    expected = 302 if (url == "/account/sign-in/" and role != "anonymous") else 200
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_account_page_needs_sign_in(client_for, role: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).get("/account/")
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"] == "/account/sign-in/?next=/account/"
    else:
        assert response.status_code == 200


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("partner", 302), ("officer", 302),
                                              ("secretariat", 200)])  # fmt: skip
def test_admin_is_for_the_secretariat_only(client_for, role: str, status: int) -> None:  # type: ignore[no-untyped-def]
    response = client_for(role).get("/admin/network/place/")
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("role", ROLES)
def test_registry_api_is_public_and_read_only(client_for, role: str) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_for(role)
    for url in ["/api/v1/places/", "/api/v1/places/hull", "/api/v1/work-areas/", "/api/v1/work-areas/skills"]:
        assert client.get(url).status_code == 200
        assert client.post(url, {}).status_code == 405


def test_core_imports_no_domain_app() -> None:
    """core holds the generic parts; apps depend on it, never the other way round (docs/adr/0020)."""
    import ast
    from pathlib import Path

    from django.apps import apps

    core = Path(__file__).resolve().parent.parent
    domain = tuple(c.name for c in apps.get_app_configs() if c.name.startswith("keycities.") and c.label != "core")
    found = []
    for path in core.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])  # fmt: skip
            found += [f"{path.relative_to(core)}: {n}" for n in names if n.startswith(domain)]
    assert found == []


def test_the_menu_puts_staff_sections_in_a_row_of_their_own(client_for) -> None:  # type: ignore[no-untyped-def]
    """The public sections in one list, the staff sections a signed-in user may use in a second (a designed
    second row on wide screens, styled in _hub.scss); both inside the element the mobile menu button opens."""
    import re

    def lists(page: str) -> list[list[str]]:
        menu = page[page.index('id="navigation"') : page.index("</nav>", page.index('id="navigation"'))]
        return [re.findall(r'href="([^"]+)"', ul) for ul in re.findall(r"<ul [^>]*>(.*?)</ul>", menu, re.S)]

    public = lists(client_for("anonymous").get("/").content.decode())
    assert len(public) == 1 and "/press/" in public[0] and "/engagement/coverage/" not in public[0]
    staff = lists(client_for("secretariat").get("/cy/").content.decode())
    assert len(staff) == 2 and [href.removeprefix("/cy") for href in staff[0]] == public[0]
    assert staff[1] and all(href not in public[0] for href in staff[1])
