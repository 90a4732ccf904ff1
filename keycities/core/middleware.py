"""Middleware of the Hub's own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from keycities.core.api import error_response

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
