from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keycities.core.access import public


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    # Under /api/ the error-envelope middleware turns these into JSON.
    return render(request, "core/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request,
        403,
        "You cannot see this page",
        str(exception) if exception else "Your account does not give you access to this page.",
    )


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, "Page not found", "If you typed the web address, check it is correct.")


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        "Sorry, there is a problem with the service",
        "Something went wrong on our side; it has been logged. Try again later.",
    )
