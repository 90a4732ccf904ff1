from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import localised_text
from keycities.core.forms import LineField, TextField

from .models import Claim, Comparison


class ClaimForm(forms.ModelForm):
    """The secretariat's claim form, in the page's language (the model's own labels are English, for the admin)."""

    class Meta:
        model = Claim
        fields = ["document", "headline", "headline_cy", "text", "text_cy", "comparison", "indicator", "dataset",
                  "group", "membership_date", "period", "reading", "target", "comparator_area", "rank_within",
                  "growth_windows", "not_checkable_reason", "not_checkable_reason_cy"]  # fmt: skip
        # Pasted text cleaned as in every other form (docs/adr/0023-abuse-limits.md): headlines one line (one
        # becomes an email subject), sentences without control characters.
        field_classes = {"headline": LineField, "headline_cy": LineField, "comparator_area": LineField,
                         "growth_windows": LineField, "text": TextField, "text_cy": TextField,
                         "not_checkable_reason": TextField, "not_checkable_reason_cy": TextField}  # fmt: skip
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "text_cy": forms.Textarea(attrs={"rows": 3}),
            "not_checkable_reason": forms.Textarea(attrs={"rows": 3}),
            "not_checkable_reason_cy": forms.Textarea(attrs={"rows": 3}),
            "membership_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "document": _("Document"), "headline": _("Headline"), "headline_cy": _("Headline in Welsh"),
            "text": _("The sentence as published"), "text_cy": _("The sentence in Welsh"),
            "comparison": _("Comparison"), "indicator": _("Indicator"), "dataset": _("Dataset"), "group": _("Group"),
            "membership_date": _("Membership on"), "period": _("Year (blank for the latest)"),
            "reading": _("How the words are read"), "target": _("Target"), "comparator_area": _("Comparator area"),
            "rank_within": _("Rank within"),
            "growth_windows": _("Growth over how many years (for a rank by growth)"),
            "not_checkable_reason": _("What is missing to check it"),
            "not_checkable_reason_cy": _("What is missing, in Welsh"),
        }  # fmt: skip
        help_texts = {
            "text": _("The sentence as published."),
            "text_cy": _("The sentence as published in Welsh; blank until one is."),
            "headline": _("Short form, e.g. ‘Population: nearly 6 million’."),
            "dataset": _("Use only this dataset’s releases (blank: the newest)."),
            "membership_date": _("Whose members: the group on this date."),
            "target": _("The number claimed, in the indicator’s unit."),
            "comparator_area": _("For ‘another area’: e.g. Scotland."),
            "rank_within": _("For ‘a rank’: the top N areas."),
            "growth_windows": _("For a rank by growth: judge growth over these numbers of years, e.g. ‘5, 10’ (real "
                                "growth over 5 and over 10 years, from the published chained volume levels), never a "
                                "single year. Blank: the published annual rate."),
            "not_checkable_reason": _("What is missing to check it."),
            "period": "",
        }  # fmt: skip

    COMPARISONS = {
        Comparison.NUMBER: _("A number (the group’s figure against a target)"),
        Comparison.SHARE_OF_UK: _("A share of the UK total (per cent)"),
        Comparison.AREA: _("Another area (the group’s figure against it)"),
        Comparison.RANK: _("A rank: how many members are among the top areas"),
        Comparison.MEMBER_COUNT: _("The number of members"),
        Comparison.NOT_CHECKABLE: _("Cannot be checked with the bundled data"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comparison"].choices = [  # type: ignore[attr-defined]
            ("", "---------"), *((c.value, self.COMPARISONS[c]) for c in Comparison)]  # fmt: skip
        # The choices in the page's language: Welsh names and explanations where they exist.
        self.fields["indicator"].label_from_instance = lambda i: localised_text(i, "name")  # type: ignore[attr-defined]
        self.fields["document"].label_from_instance = lambda d: localised_text(d, "title")  # type: ignore[attr-defined]
        self.fields["reading"].label_from_instance = (  # type: ignore[attr-defined]
            lambda r: f"“{r.word}”: {localised_text(r, 'explanation')}"
        )
