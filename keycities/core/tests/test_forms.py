"""core.forms: a tampered id is a form error, never a database error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from keycities.core.forms import ModelMultipleChoiceField
from keycities.core.text import whole_number
from keycities.network.models import WorkArea

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("posted", ["99999999999999999999999", "-99999999999999999999999", str(2**63)])
def test_an_id_beyond_the_databases_integers_is_not_a_choice(registry: None, posted: str) -> None:
    field = ModelMultipleChoiceField(queryset=WorkArea.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([str(WorkArea.objects.first().pk), posted])  # type: ignore[union-attr]
    assert refused.value.code == "invalid_choice"


def test_ids_in_range_are_chosen_as_before(registry: None) -> None:
    areas = list(WorkArea.objects.order_by("pk")[:2])
    field = ModelMultipleChoiceField(queryset=WorkArea.objects.all())
    assert list(field.clean([str(a.pk) for a in areas]).order_by("pk")) == areas
    with pytest.raises(ValidationError) as refused:
        field.clean([str(2**63 - 1)])  # the largest id the databases hold: simply not there
    assert refused.value.code == "invalid_choice"


def test_every_multiple_choice_of_rows_uses_the_hubs_field() -> None:
    root = Path(settings.BASE_DIR) / "keycities"
    django_field = re.compile(r"\bforms\.ModelMultipleChoiceField\b")
    ours = [p for p in root.rglob("*.py") if "tests" not in p.parts and p != root / "core" / "forms.py"]
    found = [str(p.relative_to(root)) for p in ours if django_field.search(p.read_text())]
    assert found == []


NUMBERS = [("12", 12), ("0", 0), ("²", None), ("٣", None), ("1" * 19, None), ("-3", None), (" 4", None), ("", None),
           (None, None), (7, 7)]  # fmt: skip


@pytest.mark.parametrize(("typed", "number"), NUMBERS)
def test_whole_number_takes_plain_ascii_digits_only(typed: object, number: int | None) -> None:
    assert whole_number(typed) == number
