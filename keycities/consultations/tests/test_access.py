"""Access to consultations beyond the expected-status table (consultations/tests/access_table.py)."""

from __future__ import annotations

import pytest

from keycities.accounts.models import User

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_admin_shows_consultations_and_changes_nothing(secretariat: User) -> None:
    client = signed_in(secretariat)
    assert client.get("/admin/consultations/consultation/").status_code == 200
    for model in ("consultation", "section", "version", "review", "event", "ask"):
        assert client.get(f"/admin/consultations/{model}/add/").status_code == 403, model
    assert not secretariat.has_perm("consultations.change_consultation")
    assert secretariat.has_perm("consultations.view_consultation")


def test_not_even_a_superuser_can_edit_the_workflow_in_the_admin(consultation, registry: None) -> None:  # type: ignore[no-untyped-def]
    root = User.objects.create_superuser("root", "root@keycities.test", "correct horse battery")
    client = signed_in(root)
    page = client.get(f"/admin/consultations/consultation/{consultation.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="status"' not in html and 'name="_save"' not in html
    response = client.post(f"/admin/consultations/consultation/{consultation.pk}/change/", {"status": "submitted"})
    assert response.status_code == 403
    consultation.refresh_from_db()
    assert consultation.status == "watching"
    deleting = client.post(f"/admin/consultations/consultation/{consultation.pk}/delete/", {"post": "yes"})
    assert deleting.status_code == 403
