"""Middleware of the Hub's own."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _

from keycities.core.access import no_store
from keycities.core.api import error_response
from keycities.core.ratelimit import client_address, trusted_proxy_count

NUL = "\x00"
JSON_NUL = (b"\x00", b"\\u0000")

API_PREFIX = "/api/"
WELSH = "cy"
# Served in one language only: the API (it follows Accept-Language instead), the admin, files.
UNTRANSLATED_PREFIXES = (API_PREFIX, "/admin/", "/static/", "/media/", "/language/")
MESSAGES = {
    403: _("You do not have access to this."),
    404: _("There is nothing at this address in the API."),
    405: _("This address does not accept that method."),
}


class TrustedProxyMiddleware:
    """Put the client's own address in REMOTE_ADDR, from X-Forwarded-For as written by the
    TRUSTED_PROXY_COUNT proxies in front of the Hub, and drop X-Forwarded-For, so that the rate
    limits, django-axes and the audit log all see the client and none can be fooled by a forged
    header (see core.ratelimit). First in MIDDLEWARE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.proxies = trusted_proxy_count()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        meta["REMOTE_ADDR"] = client_address(meta.get("REMOTE_ADDR", ""), meta.pop("HTTP_X_FORWARDED_FOR", ""),
                                             self.proxies)  # fmt: skip
        return self.get_response(request)


class NoStoreWhenSignedInMiddleware:
    """Every answer to a signed-in user (a page, an export, the API with a session or a token) is sent with
    `Cache-Control: private, no-store`: staff pages hold personal data, and no browser cache or proxy may keep
    a copy. Public pages for anonymous visitors stay cacheable; the few that hold a visitor's own data are
    marked with core.access.personal."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            no_store(response)
        return response


class ApiErrorEnvelopeMiddleware:
    """Answer any API error that did not come from the API's own handlers
    (an unknown address, a wrong method, a CSRF failure) with the one error
    envelope, so that API clients never meet an HTML error page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            message = str(MESSAGES.get(response.status_code, f"{response.reason_phrase}."))
            envelope = error_response(response.status_code, message)
            if response.has_header("Allow"):
                envelope["Allow"] = response["Allow"]
            return envelope
        return response


class LanguageMiddleware(LocaleMiddleware):
    """English pages at /…, Welsh at /cy/… (the language in the address wins, so links and
    bookmarks are stable). A first visit to an English address from a browser that prefers Welsh
    (Accept-Language) and has made no choice yet (no language cookie) is sent to the Welsh page;
    the header's switcher records the choice in a cookie. The API answers in the language of
    Accept-Language."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:  # type: ignore[override]
        if request.path_info.startswith(API_PREFIX):
            translation.activate(translation.get_language_from_request(request, check_path=False))
            request.LANGUAGE_CODE = translation.get_language()
            return None
        super().process_request(request)
        if (
            request.method in ("GET", "HEAD")
            and not translation.get_language_from_path(request.path_info)
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(UNTRANSLATED_PREFIXES)
            and translation.get_language_from_request(request, check_path=False) == WELSH
        ):
            welsh = translate_url(request.get_full_path(), WELSH)
            if welsh != request.get_full_path():
                redirect = HttpResponseRedirect(welsh)
                patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
                return redirect
        return None


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path or any(NUL in k or any(NUL in v for v in vs) for k, vs in request.GET.lists()):
        return True
    if any(NUL in k or NUL in v for k, v in request.COOKIES.items()):
        return True
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return False
    content_type = request.content_type or ""
    if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
        return any(NUL in k or any(NUL in v for v in vs) for k, vs in request.POST.lists())
    if content_type.endswith("json"):
        return any(marker in request.body for marker in JSON_NUL)
    return False


class RejectNulMiddleware:
    """Refuse any request with a NUL character in its address, query, cookies, form fields or JSON body (400).

    No text the Hub keeps or looks up can contain one (PostgreSQL refuses them, which made every string
    parameter a server error), so the request is answered before any view sees it: under /api/ with the
    error envelope, elsewhere with the "bad request" page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            if request.path.startswith(API_PREFIX):
                return error_response(400, str(_("The request contains a NUL character, which is not allowed.")))
            from keycities.core.views import bad_request

            return bad_request(request)
        return self.get_response(request)
