from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from keycities.core.access import signed_in


@signed_in
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html")
