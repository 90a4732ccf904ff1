from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from keycities.core import work
from keycities.core.access import public, signed_in
from keycities.core.api import error_response
from keycities.core.middleware import API_PREFIX
from keycities.core.middleware import MESSAGES as API_MESSAGES


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@public
def privacy(request: HttpRequest) -> HttpResponse:
    """Each purpose, its lawful basis and how long the data is kept, with the periods as configured."""
    return render(request, "core/privacy.html", {
        "retention_days": settings.PROPOSAL_RETENTION_DAYS, "cooloff_hours": round(settings.AXES_COOLOFF_TIME),
        "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
    })  # fmt: skip


@signed_in
def my_work(request: HttpRequest) -> HttpResponse:
    """The first page after signing in: each role's to-dos, with counts, from every app (core.work)."""
    found = work.for_request(request)
    return render(request, "core/my_work.html", {
        "todo": [s for s in found if s.todo], "information": [s for s in found if not s.todo],
        "total": work.todo_count(found),
    })  # fmt: skip


@public
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """The header's language switcher: remember the choice and show the same page in that language."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = "/"
    # Read the address in its own language (the prefix tells), then give it in the language chosen.
    with translation.override(translation.get_language_from_path(target.split("?")[0]) or settings.LANGUAGE_CODE):
        response = HttpResponseRedirect(translate_url(target, code))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
                        httponly=True)  # fmt: skip
    return response


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):  # API clients get the error envelope, whichever layer failed
        return error_response(status, str(API_MESSAGES.get(status, message)))
    if not hasattr(request, "user"):  # failed before the authentication middleware ran (a disallowed Host)
        request.user = AnonymousUser()
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        _("You cannot see this page"),
        str(exception) if exception else _("Your account does not give you access to this page."),
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("Page not found"), _("If you typed the web address, check it is correct."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Sorry, there is a problem with the service"),
        _("Something went wrong on our side; it has been logged. Try again later."),
    )
