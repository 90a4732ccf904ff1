"""The account page in Welsh (issue 14)."""

from __future__ import annotations

import pytest
from django.test import Client

from keycities.accounts.models import User

pytestmark = pytest.mark.django_db


def test_the_account_page_speaks_welsh(officer: User, client: Client) -> None:
    client.force_login(officer)
    page = client.get("/cy/account/").content.decode()
    assert '<h1 class="govuk-heading-xl">Eich cyfrif</h1>' in page
    assert "Swyddog lle sy’n aelod" in page and "Cynigion i’w hadolygu" in page and ">Allgofnodi<" in page
    english = client.get("/account/").content.decode()
    assert '<h1 class="govuk-heading-xl">Your account</h1>' in english and "Member officer" in english


def test_a_refusal_is_in_the_language_of_the_page(partner: User, client: Client) -> None:
    client.force_login(partner)
    refused = client.get("/cy/proposals/people/")
    assert refused.status_code == 403
    assert "Mae’r dudalen hon ar gyfer ysgrifenyddiaeth Key Cities." in refused.content.decode()
