from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from keycities.core.forms import LineField, ModelMultipleChoiceField, TextField
from keycities.network.models import Place, WorkArea

from .models import Kind, Licence


class PublicationForm(forms.Form):
    title = LineField(label=_("Title"), max_length=300)
    title_cy = LineField(label=_("Title in Welsh"), max_length=300, required=False,
                         help_text=_("Leave empty until there is a Welsh title."))  # fmt: skip
    summary = TextField(label=_("Summary"), max_length=5000, rows=4)
    summary_cy = TextField(label=_("Summary in Welsh"), max_length=5000, rows=4, required=False)
    published_on = forms.DateField(label=_("Date published"), help_text=_("For example, 2026-03-31"))
    authors = LineField(label=_("Authors"), max_length=500,
                        help_text=_("As they are to be cited, e.g. ‘Key Cities; A. Author’."))  # fmt: skip
    kind = forms.ChoiceField(label=_("Type"), choices=Kind.choices)
    places = ModelMultipleChoiceField(label=_("Member places"), required=False,
                                            queryset=Place.objects.members_of("key-cities").order_by("name"),
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip
    work_areas = ModelMultipleChoiceField(label=_("Work areas"), required=False,
                                                queryset=WorkArea.objects.order_by("position", "name"),
                                                widget=forms.CheckboxSelectMultiple)  # fmt: skip
    is_public = forms.BooleanField(label=_("Public: anyone may read and download it"), required=False)
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    file = forms.FileField(label=_("File (PDF or DOCX)"), required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the Hub"), max_length=200, required=False)
