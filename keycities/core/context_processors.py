from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from keycities.core import access

# (label, URL name, the URL names that make the item current)
PUBLIC_NAV = [
    ("Home", "core:home", {"core:home"}),
    ("Members", "network:members", {"network:members", "network:place"}),
    ("Work areas", "network:work-areas", {"network:work-areas", "network:work-area"}),
    ("Work with us", "proposals:start", {"proposals:start", "proposals:check", "proposals:confirmation"}),
    (
        "Consultations",
        "consultations:open",
        {"consultations:open", "consultations:archive", "consultations:published", "consultations:ledger"},
    ),
    ("In numbers", "claims:in-numbers", {"claims:in-numbers", "claims:document", "claims:claim"}),
    (
        "Evidence",
        "observatory:catalogue",
        {"observatory:catalogue", "observatory:indicator", "observatory:place", "observatory:compare"},
    ),
]


def _nav(request: HttpRequest) -> list[dict[str, object]]:
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    items = list(PUBLIC_NAV)
    if request.user.is_authenticated:
        items.append(("Proposals", "proposals:queue", {"proposals:queue", "proposals:review"}))
        items.append(("Your account", "accounts:account", {"accounts:account"}))
        if access.is_secretariat(request.user):
            items.append(("Claims dashboard", "claims:dashboard", {"claims:dashboard", "claims:edit", "claims:new"}))
            items.append(("Admin", "admin:index", set()))
    else:
        items.append(("Sign in", "accounts:sign-in", {"accounts:sign-in"}))
    return [{"label": label, "href": reverse(name), "current": current in names} for label, name, names in items]


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "CONTACT_EMAIL": settings.SECRETARIAT_EMAIL,
        "is_secretariat": access.is_secretariat(request.user),
        "nav_items": _nav(request),
    }
