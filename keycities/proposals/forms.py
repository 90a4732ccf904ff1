from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import localised_text
from keycities.core.files import sniff_document
from keycities.core.forms import LineField, ModelMultipleChoiceField, TextField
from keycities.network.models import Place, WorkArea
from keycities.observatory.queries import KEY_CITIES

from .models import Attachment, OrganisationType, Status

MAX_FILES = 3
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_SUMMARY_WORDS = 100


def words(text: str) -> int:
    return len(re.findall(r"\S+", text))


def check_upload(f: UploadedFile) -> tuple[str | None, str]:
    """(content type, '') for an acceptable file, or (None, the error message)."""
    if f.size is not None and f.size > MAX_FILE_BYTES:
        return None, _("%(name)s must be smaller than 10 MB") % {"name": f.name}
    if not f.size:
        return None, _("%(name)s is empty") % {"name": f.name}
    kind = sniff_document(f.file) if f.file is not None else None  # from the bytes, not the name
    if kind is None or kind not in Attachment.ALLOWED:
        return None, _("%(name)s must be a PDF, DOCX or ODT document") % {"name": f.name}
    return kind, ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class LocalisedChoices(ModelMultipleChoiceField):
    """Work areas and places by their name in the page's language (the English where no Welsh exists)."""

    def label_from_instance(self, obj: Any) -> str:
        return localised_text(obj, "name")


class LocalisedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localised_text(obj, "name")


class ProposalForm(forms.Form):
    name = LineField(label=_("Your name"), max_length=120, error_messages={"required": _("Enter your name")})
    email = forms.EmailField(label=_("Email address"), max_length=254, error_messages={
        "required": _("Enter your email address"),
        "invalid": _("Enter an email address in the correct format, like name@example.com")})  # fmt: skip
    organisation = LineField(label=_("Organisation (optional)"), max_length=200, required=False)
    organisation_type = forms.ChoiceField(label=_("What kind of organisation is it?"),
                                          choices=OrganisationType.choices, widget=forms.RadioSelect,
                                          error_messages={
                                              "required": _("Select the kind of organisation")})  # fmt: skip
    work_areas = LocalisedChoices(label=_("Which work areas is it about?"), required=False,
                                                queryset=WorkArea.objects.all(), to_field_name="slug",
                                                widget=forms.CheckboxSelectMultiple)  # fmt: skip
    not_sure = forms.BooleanField(label=_("Not sure"), required=False)
    places = LocalisedChoices(label=_("Which places does it concern? (optional)"), required=False,
                                            queryset=Place.objects.none(), to_field_name="slug",
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip
    title = LineField(label=_("Title"), max_length=150, error_messages={"required": _("Enter a title")})
    summary = TextField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}),
                        help_text=_("Up to 100 words."),
                        error_messages={"required": _("Enter a summary")})  # fmt: skip
    details = TextField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000,
                              error_messages={"required": _("Enter the details of your proposal")})  # fmt: skip
    consent = forms.BooleanField(label=_("I have read the privacy notice and agree to Key Cities using "
                                                    "these details to consider my proposal"), error_messages={
        "required": _("Confirm that you have read the privacy notice")})  # fmt: skip
    # A honeypot: hidden from people, filled in by bots.
    website = LineField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = Place.objects.members_of(KEY_CITIES).order_by("name")  # type: ignore[attr-defined]

    def clean_summary(self) -> str:
        summary: str = self.cleaned_data["summary"].strip()
        if words(summary) > MAX_SUMMARY_WORDS:
            raise forms.ValidationError(_("Summary must be 100 words or fewer (it has %(count)s)")
                                        % {"count": words(summary)})  # fmt: skip
        return summary

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("work_areas") and not data.get("not_sure"):
            self.add_error("work_areas", _("Select the work areas your proposal is about, or select ‘Not sure’"))
        if data.get("work_areas") and data.get("not_sure"):
            self.add_error("work_areas", _("Select work areas or ‘Not sure’, not both"))
        return data


class AdditionForm(forms.Form):
    text = TextField(label=_("Add information to your proposal"), widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=5000,
                           error_messages={"required": _("Enter the information you want to add")})  # fmt: skip


REVIEW_STATUSES = [(s.value, s.label) for s in Status if s not in {Status.RECEIVED, Status.WITHDRAWN}]


class TransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=REVIEW_STATUSES)
    seen = forms.ChoiceField(
        choices=Status.choices,
        required=False,
        widget=forms.HiddenInput,
        help_text="The status the reviewer saw when they chose the new one.",
    )
    referred_to = LocalisedChoice(label=_("Refer to (for ‘Referred to a member place’)"), required=False,
                                         queryset=Place.objects.none(), to_field_name="slug")  # fmt: skip
    note = TextField(label=_("Note for reviewers (the reason, if declining)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    public_answer = TextField(label=_("Answer to the submitter (optional; emailed to them)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referred_to"].queryset = Place.objects.members_of(KEY_CITIES).order_by("name")  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = TextField(label=_("Private note"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Enter the note")})  # fmt: skip


# The queue's sort orders: the key in the address, the fields it orders by (the most urgent first by default).
QUEUE_ORDER = {
    "due": ("first_response_due", "pk"),
    "-due": ("-first_response_due", "-pk"),
    "sent": ("submitted_at", "pk"),
    "-sent": ("-submitted_at", "-pk"),
    "status": ("status", "first_response_due", "pk"),
    "-status": ("-status", "first_response_due", "pk"),
    "reviewer": ("reviewer__last_name", "reviewer__first_name", "reviewer__username", "first_response_due", "pk"),
    "-reviewer": ("-reviewer__last_name", "-reviewer__first_name", "-reviewer__username", "first_response_due", "pk"),
}


class QueueFilter(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", _("Any status")), *Status.choices])
    work_area = forms.ModelChoiceField(required=False, queryset=WorkArea.objects.all(), to_field_name="slug",
                                       empty_label=_("Any work area"))  # fmt: skip
    place = forms.ModelChoiceField(required=False, queryset=Place.objects.none(), to_field_name="slug",
                                   label=_("Routed to"), empty_label=_("Any place"))  # fmt: skip
    overdue = forms.BooleanField(required=False, label=_("Only overdue"))
    mine = forms.BooleanField(required=False, label=_("Only assigned to me"))
    unassigned = forms.BooleanField(required=False, label=_("Only without a reviewer"))
    sort = forms.ChoiceField(required=False, choices=[(key, key) for key in QUEUE_ORDER])

    def __init__(self, *args: Any, places: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if places is not None:  # the secretariat choose among the places proposals are routed to
            self.fields["place"].queryset = places  # type: ignore[attr-defined]


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("The person’s email address"), error_messages={
        "required": _("Enter the email address"),
        "invalid": _("Enter an email address in the correct format")})  # fmt: skip
