from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

# (label, URL name, the URL names that make the item current). Signing in, the account and the
# tools of signed-in users are reached from the header's account link, so the menu stays on one line.
PUBLIC_NAV = [
    ("Members", "network:members", {"network:members", "network:place"}),
    ("Work areas", "network:work-areas", {"network:work-areas", "network:work-area"}),
    (
        "Evidence",
        "observatory:catalogue",
        {"observatory:catalogue", "observatory:indicator", "observatory:place", "observatory:compare"},
    ),
    ("In numbers", "claims:in-numbers", {"claims:in-numbers", "claims:document", "claims:claim"}),
    (
        "Consultations",
        "consultations:open",
        {"consultations:open", "consultations:archive", "consultations:published", "consultations:ledger"},
    ),
    ("Work with us", "proposals:start", {"proposals:start", "proposals:check", "proposals:confirmation"}),
]


def _nav(request: HttpRequest) -> list[dict[str, object]]:
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    return [{"label": label, "href": reverse(name), "current": current in names} for label, name, names in PUBLIC_NAV]


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "CONTACT_EMAIL": settings.SECRETARIAT_EMAIL,
        "nav_items": _nav(request),
    }
