from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keycities.accounts.models import User
from keycities.accounts.policy import is_secretariat, is_staff_member
from keycities.claims.models import Claim
from keycities.consultations.models import Ask
from keycities.core.forms import LineField, ModelMultipleChoiceField, PickerForm, TextField
from keycities.network.models import Place, WorkArea

from . import policy
from .models import (
    PUBLIC_ROLES,
    Interaction,
    InteractionKind,
    Organisation,
    OrgKind,
    Person,
    PressRelease,
    ReleaseStatus,
    Role,
    RoleKind,
    Spokesperson,
)
from .queries import member_places, spokespeople

DATE = {"required": _("Enter the date"), "invalid": _("Enter a real date, like 2026-03-31")}


def describe_people(user: Any, rows: list[Any]) -> dict[int, str]:
    """Each person's label in a picker says who they are today (MP for Salford; a Minister's post), as far as the
    user may see: public roles for everyone, any role for the secretariat."""
    if not rows:
        return {}
    roles = Role.objects.current().filter(person__in=rows).select_related("organisation", "constituency")
    if not is_secretariat(user):
        roles = roles.filter(kind__in=PUBLIC_ROLES)
    said: dict[int, list[str]] = {}
    rank = {kind: i for i, kind in enumerate(RoleKind.values)}  # MP first, then Minister, APPG, ...
    for r in sorted(roles, key=lambda r: (rank[r.kind], -(r.start or dt.date.min).toordinal(), r.pk)):
        if r.kind == RoleKind.MP:  # "MP, Salford": the kind is translated, the stored title is not
            parts = [str(r.get_kind_display()), r.constituency.name if r.constituency else ""]
        else:  # "Secretary of State for Transport, Department for Transport"
            where = r.organisation.name if r.organisation else ""
            parts = [r.title or str(r.get_kind_display()), where if where not in r.title else ""]
        said.setdefault(r.person_id, []).append(", ".join(t for t in parts if t))
    return {p.pk: f"{p.name} ({'; '.join(said[p.pk])})" if p.pk in said else p.name for p in rows}


class InteractionForm(PickerForm):
    """An interaction, its people and organisations chosen by name among those the user may see (core.forms.PickerForm:
    thousands of contacts are never listed in the page)."""

    pickers = {"people": "name__icontains", "organisations": "name__icontains"}

    kind = forms.ChoiceField(label=_("Type"), choices=InteractionKind.choices)
    date = forms.DateField(label=_("Date"), error_messages=DATE)
    title = LineField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")})
    people = ModelMultipleChoiceField(label=_("People"), queryset=Person.objects.none(), required=False)
    organisations = ModelMultipleChoiceField(label=_("Organisations"), queryset=Organisation.objects.all(),
                                                   required=False)  # fmt: skip
    places = ModelMultipleChoiceField(label=_("Member places"), queryset=Place.objects.none(), required=False,
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip
    work_areas = ModelMultipleChoiceField(label=_("Work areas"), queryset=WorkArea.objects.all(),
                                                required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    asks = ModelMultipleChoiceField(label=_("Asks raised"), queryset=Ask.objects.select_related("consultation"),
                                          required=False, help_text=_("From the asks ledger."))  # fmt: skip
    summary = TextField(label=_("Summary"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4}))
    private_notes = TextField(label=_("Private notes"), required=False, max_length=20000,
                              help_text=_("Seen only by those who may see this interaction."),
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
    follow_up = LineField(label=_("Follow-up (optional)"), max_length=300, required=False)
    follow_up_owner = forms.ModelChoiceField(label=_("Owner of the follow-up"), queryset=User.objects.none(),
                                             required=False)  # fmt: skip
    follow_up_due = forms.DateField(label=_("Follow-up due on"), required=False, error_messages=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        # A contact's existence is personal data: an officer chooses among the people they may see.
        self.fields["people"].queryset = policy.visible_people(user).order_by("name", "pk")  # type: ignore[attr-defined]
        self.fields["places"].queryset = member_places()  # type: ignore[attr-defined]
        staff = [u.pk for u in User.objects.filter(is_active=True).order_by("username") if is_staff_member(u)]
        self.fields["follow_up_owner"].queryset = User.objects.filter(pk__in=staff).order_by("username")  # type: ignore[attr-defined]
        self.setup_pickers()

    def describe(self, name: str, rows: list[Any]) -> dict[int, str]:
        return describe_people(self.user, rows) if name == "people" else {}

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


class InteractionEditForm(InteractionForm):
    """The same fields without the follow-up (follow-ups are added and marked done on their own)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("follow_up", "follow_up_owner", "follow_up_due"):
            del self.fields[name]

    def clean(self) -> dict[str, Any]:
        return forms.Form.clean(self) or {}


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attach a document"), help_text=_("PDF, DOCX or ODT, smaller than 20 MB."),
                           error_messages={"required": _("Choose a file to attach")})  # fmt: skip


class AppgRoleForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.filter(parliament_id__isnull=False),
                                    error_messages={"required": _("Choose the person")},
                                    help_text=_("Members of either House, by their UK Parliament id."))  # fmt: skip
    kind = forms.ChoiceField(label=_("Role in the APPG"), choices=[(RoleKind.APPG_OFFICER.value, _("Officer")),
                                                                (RoleKind.APPG_MEMBER.value, _("Member"))])  # fmt: skip
    title = LineField(label=_("Title, for an officer (e.g. Vice-Chair)"), max_length=200, required=False)
    start = forms.DateField(label=_("Starting on"), required=False, error_messages=DATE)


class MeetingForm(PickerForm):
    """An APPG meeting; its attendees found by name (core.forms.PickerForm)."""

    pickers = {"attendees": "name__icontains"}
    date = forms.DateField(label=_("Date"), error_messages=DATE)
    title = LineField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")})
    agenda = TextField(label=_("Agenda"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 5}))
    attendees = ModelMultipleChoiceField(label=_("Attendees"), queryset=Person.objects.all(), required=False)
    minutes = TextField(label=_("Minutes"), required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 8}),
                        help_text=_("Public once published, on the APPG’s page."))  # fmt: skip
    minutes_cy = TextField(label=_("Minutes in Welsh"), required=False, max_length=50000,
                           widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup_pickers()


class AppgActionForm(forms.Form):
    text = LineField(label=_("Action"), max_length=300, error_messages={"required": _("Enter the action")})
    owner = LineField(label=_("Who does it"), max_length=200, required=False)
    due = forms.DateField(label=_("Due on"), required=False, error_messages=DATE)


class ContactsImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), error_messages={"required": _("Choose a CSV file")})


class PressReleaseForm(forms.Form):
    title = LineField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")})
    title_cy = LineField(
        label=_("Title in Welsh"),
        max_length=200,
        required=False,
        help_text=_("Shown on the Welsh page; until then it shows the English, marked as English."),
    )
    body = TextField(label=_("Text of the press release"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}),
                     error_messages={"required": _("Enter the text of the press release")})  # fmt: skip
    body_cy = TextField(label=_("Text in Welsh"), required=False, max_length=20000,
                        widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip
    work_area = forms.ModelChoiceField(label=_("Work area"), queryset=WorkArea.objects.all(), required=False)
    spokespeople = ModelMultipleChoiceField(label=_("Spokespeople"), queryset=Spokesperson.objects.none(),
                                                  required=False, widget=forms.CheckboxSelectMultiple,
                                                  help_text=_("Spokespeople for the work area today."))  # fmt: skip
    claims = ModelMultipleChoiceField(
        label=_("Claims cited"),
        queryset=Claim.objects.none(),
        required=False,
        help_text=_("Every figure the release quotes must come from a claim in the claims register that holds."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from keycities.claims import queries as claims

        super().__init__(*args, **kwargs)
        self.fields["spokespeople"].queryset = spokespeople()  # type: ignore[attr-defined]
        self.fields["claims"].queryset = claims.claims()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area = data.get("work_area")
        wrong = [s for s in data.get("spokespeople") or [] if area is None or s.work_area_id != area.pk]
        if wrong:
            self.add_error("spokespeople", _("Choose spokespeople for the release’s work area"))
        return data


class SpokespersonForm(PickerForm):
    """The secretariat names a spokesperson, found by name among everyone (thousands: see PickerForm)."""

    pickers = {"person": "name__icontains"}

    work_area = forms.ModelChoiceField(label=_("Work area"), queryset=WorkArea.objects.all(),
                                       error_messages={"required": _("Choose the work area")})  # fmt: skip
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(),
                                    error_messages={"required": _("Choose the person")})  # fmt: skip
    title = LineField(label=_("How releases name them"), max_length=200, required=False)
    start = forms.DateField(label=_("Spokesperson since"), required=False, error_messages=DATE)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["person"].queryset = policy.visible_people(user).order_by("name", "pk")  # type: ignore[attr-defined]
        self.setup_pickers()

    def describe(self, name: str, rows: list[Any]) -> dict[int, str]:
        return describe_people(self.user, rows) if name == "person" else {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, area = data.get("person"), data.get("work_area")
        if person and area:
            start = data.get("start") or timezone.localdate()
            overlapping = Spokesperson.objects.filter(person=person, work_area=area).filter(
                Q(end__isnull=True) | Q(end__gte=start))  # fmt: skip
            if overlapping.exists():
                self.add_error("person", gettext("%(person)s already speaks for the group on %(area)s.")
                               % {"person": person.name, "area": area})  # fmt: skip
        return data


class CoverageForm(forms.Form):
    outlet = forms.ModelChoiceField(label=_("Outlet"), queryset=Organisation.objects.filter(kind=OrgKind.MEDIA),
                                    error_messages={"required": _("Choose the outlet")})  # fmt: skip
    date = forms.DateField(label=_("Date"), error_messages=DATE)
    url = forms.URLField(
        label=_("Web address"), required=False, max_length=500, assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://www.example.com/story")},
    )  # fmt: skip
    headline = LineField(label=_("Headline"), max_length=300, error_messages={"required": _("Enter the headline")})
    release = forms.ModelChoiceField(label=_("Press release used"), required=False,
                                     queryset=PressRelease.objects.exclude(status=ReleaseStatus.DRAFT))  # fmt: skip
    claim = forms.ModelChoiceField(label=_("Claim used"), required=False, queryset=Claim.objects.all())


__all__ = ["Interaction", "InteractionForm"]
