"""Middleware of the Hub's own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from keycities.core.api import error_response

NUL = "\x00"
JSON_NUL = (b"\x00", b"\\u0000")

API_PREFIX = "/api/"
MESSAGES = {
    403: "You do not have access to this.",
    404: "There is nothing at this address in the API.",
    405: "This address does not accept that method.",
}


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
            message = MESSAGES.get(response.status_code, f"{response.reason_phrase}.")
            envelope = error_response(response.status_code, message)
            if response.has_header("Allow"):
                envelope["Allow"] = response["Allow"]
            return envelope
        return response


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
                return error_response(400, "The request contains a NUL character, which is not allowed.")
            from keycities.core.views import bad_request

            return bad_request(request)
        return self.get_response(request)
