from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import localised_text
from keycities.core.forms import LineField, ModelMultipleChoiceField, TextField
from keycities.engagement.models import Organisation
from keycities.library.models import Publication
from keycities.network.models import Place, WorkArea
from keycities.observatory import queries as observatory

from .models import Direction, Kind, Milestone


class DateInput(forms.DateInput):
    input_type = "date"


def member_places() -> Any:
    return Place.objects.members_of(observatory.KEY_CITIES).order_by("name")


class PilotForm(forms.Form):
    name = LineField(label=_("Name"), max_length=200)
    name_cy = LineField(label=_("Name in Welsh"), max_length=200, required=False,
                        help_text=_("Leave empty until there is a Welsh name."))  # fmt: skip
    kind = forms.ChoiceField(label=_("Type of pilot"), choices=Kind.choices)
    places = ModelMultipleChoiceField(
        label=_("Member places"), queryset=Place.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    work_area = forms.ModelChoiceField(label=_("Work area"), required=False, queryset=WorkArea.objects.none())
    summary = TextField(label=_("Public summary"), max_length=2000)
    summary_cy = TextField(label=_("Public summary in Welsh"), max_length=2000, required=False)
    partners = ModelMultipleChoiceField(
        label=_("Partners (from the contacts records)"), required=False, queryset=Organisation.objects.none()
    )
    other_partners = LineField(label=_("Other partners"), max_length=300, required=False)
    documents = ModelMultipleChoiceField(
        label=_("Documents (from the publications library)"),
        required=False,
        queryset=Publication.objects.none(),
        help_text=_("Add a document to the library first; public ones are shown on the pilot’s public page."),
    )
    funder = LineField(label=_("Funder"), max_length=200, required=False)
    funding = forms.DecimalField(label=_("Funding (£)"), required=False, min_value=0, max_digits=14, decimal_places=0)
    start = forms.DateField(label=_("Start"), required=False, widget=DateInput)
    end = forms.DateField(label=_("End"), required=False, widget=DateInput)
    expected_outcomes = TextField(label=_("Expected outcomes"), max_length=4000, required=False)
    expected_outcomes_cy = TextField(label=_("Expected outcomes in Welsh"), max_length=4000, required=False)
    claimed_savings = forms.DecimalField(
        label=_("Claimed savings (£)"), required=False, min_value=0, max_digits=14, decimal_places=0
    )
    savings_method = TextField(label=_("How the savings were worked out"), max_length=4000, required=False)
    published = forms.BooleanField(label=_("Show on the public pages"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = member_places()  # type: ignore[attr-defined]
        self.fields["work_area"].queryset = WorkArea.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["partners"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["documents"].queryset = Publication.objects.order_by("-published_on", "title")  # type: ignore[attr-defined]
        self.fields["documents"].label_from_instance = lambda p: localised_text(p, "title")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end must not be before the start."))
        if data.get("claimed_savings") is not None and not data.get("savings_method"):
            self.add_error("savings_method", _("Say how the claimed savings were worked out."))
        return data


class MilestoneForm(forms.Form):
    title = LineField(label=_("Milestone"), max_length=200)
    due = forms.DateField(label=_("Due"), widget=DateInput)
    status = forms.ChoiceField(label=_("Status"), choices=Milestone.Status.choices)


class OutcomeForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"), choices=())
    place = forms.ModelChoiceField(label=_("Place"), queryset=Place.objects.none())
    intervention = forms.DateField(label=_("Intervention date"), widget=DateInput)
    expected = forms.TypedChoiceField(label=_("The change hoped for"), choices=Direction.choices, coerce=int)

    def __init__(self, *args: Any, pilot: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [(i.slug, localised_text(i, "name"))  # type: ignore[attr-defined]
                                            for i in observatory.indicators().order_by("name")]  # fmt: skip
        self.fields["place"].queryset = pilot.places.order_by("name")  # type: ignore[attr-defined]
        if len(places := list(pilot.places.all())) == 1:
            self.fields["place"].initial = places[0]


class ComparatorsForm(forms.Form):
    codes = TextField(
        label=_("Comparator local authorities (GSS codes, one a line; empty for the default)"),
        max_length=4000,
        required=False,
        rows=8,
    )
    note = LineField(label=_("Why the list was changed"), max_length=300, required=False)

    def codes_list(self) -> list[str]:
        return [c for c in self.cleaned_data["codes"].replace(",", "\n").split() if c]
