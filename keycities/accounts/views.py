from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from keycities.core.access import signed_in
from keycities.core.ratelimit import allow, client_ip, email_key

HOUR = 3600


@signed_in
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")


class PasswordResetView(auth.PasswordResetView):
    """Django's password reset, limited per client address (refused with 429) and per email address (beyond
    the limit no email is sent, and the page is the same as ever, so it never tells whether the address has
    an account)."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not allow("password-reset-address", client_ip(request), limit=settings.PASSWORD_RESETS_PER_ADDRESS,
                     window=HOUR):  # fmt: skip
            return render(request, "accounts/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: Any) -> HttpResponse:
        if not allow("password-reset-email", email_key(form.cleaned_data["email"]),
                     limit=settings.PASSWORD_RESETS_PER_EMAIL, window=HOUR):  # fmt: skip
            return redirect(self.get_success_url())
        return super().form_valid(form)
