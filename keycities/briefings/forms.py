from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from keycities.core.forms import LineField, TextField
from keycities.network.models import Place, WorkArea

from .models import Kind


class PackForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the pack is about"), choices=Kind.choices)
    title = LineField(label=_("Title"), max_length=200)
    place = forms.ModelChoiceField(label=_("Member place (for a place’s pack)"), required=False,
                                   queryset=Place.objects.members_of("key-cities").order_by("name"))  # fmt: skip
    work_area = forms.ModelChoiceField(label=_("Work area (for a work area’s pack)"), required=False,
                                       queryset=WorkArea.objects.order_by("name"))  # fmt: skip


class SectionForm(forms.Form):
    heading = LineField(label=_("Heading"), max_length=200)
    body = TextField(
        label=_("Text"), max_length=20000, rows=10,
        help_text=_("Put figures in as tokens, never typed: {{indicator:group or place:year}}, e.g. "
                    "{{gva:key-cities:2022}} or {{population:bradford:latest}}. Leave a blank line between "
                    "paragraphs."),
    )  # fmt: skip
