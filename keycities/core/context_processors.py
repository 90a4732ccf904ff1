from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from keycities.core import work

# (label, URL name, the URL names that make the item current). Signing in, the account and the
# tools of signed-in users are reached from the header's account link, so the menu stays on one line.
PUBLIC_NAV = [
    (_("Members"), "network:members", {"network:members", "network:place"}),
    (_("Work areas"), "network:work-areas", {"network:work-areas", "network:work-area"}),
    (
        _("Evidence"),
        "observatory:catalogue",
        {"observatory:catalogue", "observatory:indicator", "observatory:place", "observatory:compare"},
    ),
    (_("In numbers"), "claims:in-numbers", {"claims:in-numbers", "claims:document", "claims:claim"}),
    (
        _("Consultations"),
        "consultations:open",
        {"consultations:open", "consultations:archive", "consultations:published", "consultations:ledger"},
    ),
    (_("Briefings"), "briefings:index", {"briefings:index", "briefings:issue"}),
    (_("Press"), "engagement:press-releases", {"engagement:press-releases", "engagement:press-release"}),
    (_("Work with us"), "proposals:start", {"proposals:start", "proposals:check", "proposals:confirmation"}),
]

# The language's code in HTML (lang and hreflang attributes).
HTML_LANG = {"en-gb": "en-GB", "cy": "cy"}


def _nav(request: HttpRequest) -> list[dict[str, object]]:
    """The public sections, then the staff sections the user may use (each app registers its own, with the
    test of who may use it: core.work), each marked `staff` or not: the menu shows the staff sections as a
    second row of their own on wide screens (the two rows do not fit on one)."""
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match else ""
    staff = [(link.label, link.url_name, link.current) for link in work.staff_nav(getattr(request, "user", None))]
    return [{"label": label, "href": reverse(name), "current": current in names, "staff": i >= len(PUBLIC_NAV)}
            for i, (label, name, names) in enumerate([*PUBLIC_NAV, *staff])]  # fmt: skip


def _languages(request: HttpRequest) -> list[dict[str, object]]:
    """This page in each language: its address (for hreflang) and the switcher's link, which also
    records the choice."""
    here = request.get_full_path()
    current = get_language()
    return [
        {
            "code": code,
            "html_lang": HTML_LANG[code],
            "name": name,
            "current": code == current,
            "href": translate_url(here, code),
            "switch": reverse("switch-language", args=[code]) + "?next=" + quote(here, safe="/"),
        }
        for code, name in settings.LANGUAGES
    ]


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "CONTACT_EMAIL": settings.SECRETARIAT_EMAIL,
        "HTML_LANG": HTML_LANG.get(get_language(), "en-GB"),
        "nav_items": SimpleLazyObject(lambda: _nav(request)),
        # The header's "My work (n)": counted only on pages that show it, i.e. for signed-in users.
        "my_work_count": SimpleLazyObject(lambda: work.todo_count(work.for_request(request))),
        "languages": _languages(request),
    }
