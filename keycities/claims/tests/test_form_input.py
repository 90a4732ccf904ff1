"""What the secretariat pastes into the claim form is cleaned as everywhere else (docs/adr/0023-abuse-limits.md):
a headline is one line in both languages (it becomes an email subject and a choice in other forms), and the
sentences keep their line breaks but lose control characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from keycities.claims.models import Claim
from keycities.claims.services import evaluate_all, load_claims

pytestmark = pytest.mark.django_db


def test_pasted_line_breaks_and_control_characters(registry: None, client_for) -> None:  # type: ignore[no-untyped-def]
    load_claims(Path(settings.BASE_DIR) / "data" / "claims.yaml")
    evaluate_all()
    claim = Claim.objects.get(headline="Five of the top ten goods-exporting cities")
    data = {
        "document": claim.document_id, "headline": "Five of the top ten\r\nBcc: someone@example.com",
        "headline_cy": "Pump o’r deg uchaf\r\n\x07", "text": claim.text, "text_cy": "Testun\r\nnewydd.\x1b",
        "comparison": "not-checkable", "indicator": "", "dataset": "", "group": claim.group_id,
        "membership_date": "2018-06-30", "period": "", "reading": "", "target": "", "comparator_area": "",
        "rank_within": "", "growth_windows": "", "not_checkable_reason": claim.not_checkable_reason,
        "not_checkable_reason_cy": "Rheswm\x0bnewydd.", "save": "1",
    }  # fmt: skip
    assert client_for("secretariat").post(f"/claims/{claim.pk}/edit/", data).status_code == 302
    claim.refresh_from_db()
    assert claim.headline == "Five of the top ten Bcc: someone@example.com"
    assert (claim.headline_cy, claim.text_cy, claim.not_checkable_reason_cy) == (
        "Pump o’r deg uchaf", "Testun\nnewydd.", "Rheswm\nnewydd.")  # fmt: skip
