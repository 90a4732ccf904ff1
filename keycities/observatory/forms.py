from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keycities.network.models import Group, Place

from .models import Indicator


class CompareForm(forms.Form):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.all(), to_field_name="slug", empty_label=None,
        error_messages={"required": "Choose an indicator"},
    )  # fmt: skip
    groups = forms.ModelMultipleChoiceField(queryset=Group.objects.all(), to_field_name="slug", required=False,
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip
    as_of = forms.DateField(required=False, label=_("Members on"), help_text=_("Today if left blank."),
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    places = forms.ModelMultipleChoiceField(queryset=Place.objects.order_by("name"), to_field_name="slug",
                                            required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("groups") and not data.get("places"):
            raise forms.ValidationError("Choose at least one place or group to compare")
        if len(data.get("places", [])) + len(data.get("groups", [])) > 8:
            raise forms.ValidationError("Choose at most 8 places and groups, so that the chart can be read")
        return data
