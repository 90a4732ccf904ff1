"""The one door for permissions: the generic part.

Every routed view declares who may use it with one of the decorators below
(`public`, `signed_in`, or a gate made with `only(...)`), which record the
rule on the view as `access_rule`. What a rule means for a given object
(may this officer see that draft?) is answered by each app's own `policy.py`:
`access_*` functions that return the object or raise, and `visible_*`
querysets. Views and the API call those; no view tests a role inline.

This module imports no domain app: it knows "signed in or not", and takes the
test for anything else as an argument.

Pages behind a sign-in, and pages marked `personal`, are sent with
`Cache-Control: no-store` so that no browser or proxy keeps a copy of them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

View = TypeVar("View", bound=Callable[..., Any])
UserTest = Callable[[Any], bool]

PUBLIC = "public"
SIGNED_IN = "signed-in"


def _mark(view: View, rule: str) -> View:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def rule_of(view: Any) -> str | None:
    """The access rule a view declared, or None."""
    return getattr(view, "access_rule", None)


def no_store(response: HttpResponse) -> HttpResponse:
    """Forbid every cache (browser, proxy) from keeping the response: it holds personal data."""
    add_never_cache_headers(response)
    patch_cache_control(response, private=True, no_store=True)
    return response


def public(view: View) -> View:
    """Anyone, signed in or not."""
    return _mark(view, PUBLIC)


def personal(view: View) -> View:
    """A public view whose pages hold someone's personal data (a submitter's own answers, reached by
    their session or their private link): never stored by a cache. Use inside `public`."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return no_store(view(request, *args, **kwargs))

    return cast(View, wrapper)


def signed_in(view: View) -> View:
    """Any signed-in user; anonymous visitors are sent to sign in. Never cached."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return no_store(view(request, *args, **kwargs))

    return _mark(cast(View, wrapper), SIGNED_IN)


def only(test: UserTest, rule: str, refusal: str) -> Callable[[View], View]:
    """A gate for views that only users passing `test` may use: anonymous visitors are sent to sign in,
    other signed-in users are refused with `refusal`. Apps build their gates with it
    (`accounts.policy.secretariat_only`)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not test(request.user):
                raise PermissionDenied(refusal)
            return no_store(view(request, *args, **kwargs))

        return _mark(cast(View, wrapper), rule)

    return decorate
