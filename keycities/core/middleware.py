"""Middleware of the Hub's own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from keycities.core.api import error_response
from keycities.core.ratelimit import client_address, trusted_proxy_count

API_PREFIX = "/api/"
MESSAGES = {
    403: "You do not have access to this.",
    404: "There is nothing at this address in the API.",
    405: "This address does not accept that method.",
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
