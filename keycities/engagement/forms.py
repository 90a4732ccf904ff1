from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keycities.accounts.models import User
from keycities.accounts.policy import is_staff_member
from keycities.consultations.models import Ask
from keycities.core.forms import LineField, TextField
from keycities.network.models import Place, WorkArea

from .models import Interaction, InteractionKind, Organisation, Person
from .queries import member_places

DATE = {"required": _("Enter the date"), "invalid": _("Enter a real date, like 2026-03-31")}


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=InteractionKind.choices)
    date = forms.DateField(label=_("Date"), error_messages=DATE)
    title = LineField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")})
    people = forms.ModelMultipleChoiceField(label=_("People"), queryset=Person.objects.all(), required=False)
    organisations = forms.ModelMultipleChoiceField(label=_("Organisations"), queryset=Organisation.objects.all(),
                                                   required=False)  # fmt: skip
    places = forms.ModelMultipleChoiceField(label=_("Member places"), queryset=Place.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip
    work_areas = forms.ModelMultipleChoiceField(label=_("Work areas"), queryset=WorkArea.objects.all(),
                                                required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    asks = forms.ModelMultipleChoiceField(label=_("Asks raised"), queryset=Ask.objects.select_related("consultation"),
                                          required=False, help_text=_("From the asks ledger."))  # fmt: skip
    summary = TextField(label=_("Summary"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    private_notes = TextField(label=_("Private notes"), required=False, max_length=20000,
                              help_text=_("Seen only by those who may see this interaction."),
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    follow_up = LineField(label=_("Follow-up (optional)"), max_length=300, required=False)
    follow_up_owner = forms.ModelChoiceField(label=_("Owner of the follow-up"), queryset=User.objects.none(),
                                             required=False)  # fmt: skip
    follow_up_due = forms.DateField(label=_("Follow-up due on"), required=False, error_messages=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = member_places()  # type: ignore[attr-defined]
        staff = [u.pk for u in User.objects.filter(is_active=True).order_by("username") if is_staff_member(u)]
        self.fields["follow_up_owner"].queryset = User.objects.filter(pk__in=staff).order_by("username")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("follow_up"):
            if not data.get("follow_up_owner"):
                self.add_error("follow_up_owner", _("Choose who owns the follow-up"))
            if not data.get("follow_up_due"):
                self.add_error("follow_up_due", _("Enter the date the follow-up is due"))
        return data

    def interaction(self) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("kind", "date", "title", "people", "organisations", "places",
                                                  "work_areas", "asks", "summary", "private_notes")}  # fmt: skip

    def follow_up_data(self) -> dict[str, Any] | None:
        if not self.cleaned_data.get("follow_up"):
            return None
        return {"text": self.cleaned_data["follow_up"], "owner": self.cleaned_data["follow_up_owner"],
                "due": self.cleaned_data["follow_up_due"]}  # fmt: skip


class ContactsImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), error_messages={"required": _("Choose a CSV file")})


__all__ = ["Interaction", "InteractionForm"]
