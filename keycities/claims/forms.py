from django import forms

from .models import Claim


class ClaimForm(forms.ModelForm):
    class Meta:
        model = Claim
        fields = ["document", "headline", "headline_cy", "text", "text_cy", "comparison", "indicator", "dataset",
                  "group", "membership_date", "period", "reading", "target", "comparator_area", "rank_within",
                  "growth_windows", "not_checkable_reason", "not_checkable_reason_cy"]  # fmt: skip
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "text_cy": forms.Textarea(attrs={"rows": 3}),
            "not_checkable_reason": forms.Textarea(attrs={"rows": 3}),
            "not_checkable_reason_cy": forms.Textarea(attrs={"rows": 3}),
            "membership_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"text": "The sentence as published", "text_cy": "The sentence in Welsh",
                  "headline_cy": "Headline in Welsh", "not_checkable_reason_cy": "What is missing, in Welsh",
                  "membership_date": "Membership on", "period": "Year (blank for the latest)",
                  "reading": "How the words are read",
                  "growth_windows": "Growth over how many years (for a rank by growth)"}  # fmt: skip
