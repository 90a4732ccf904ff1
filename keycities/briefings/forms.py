from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import gss_name
from keycities.core.forms import LineField, ModelMultipleChoiceField, TextField
from keycities.engagement.models import Organisation, OrgKind, Person, Role, RoleKind
from keycities.network.models import Place, WorkArea

from .models import Kind


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        role = gss_name(getattr(obj, "shown_role", "") or "", getattr(obj, "shown_code", "") or "")
        return f"{obj.name} ({role})" if role else obj.name


class PackForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the pack is about"), choices=Kind.choices)
    title = LineField(label=_("Title"), max_length=200)
    place = forms.ModelChoiceField(label=_("Member place (for a place’s pack)"), required=False,
                                   queryset=Place.objects.members_of("key-cities").order_by("name"))  # fmt: skip
    work_area = forms.ModelChoiceField(label=_("Work area (for a work area’s pack)"), required=False,
                                       queryset=WorkArea.objects.order_by("name"))  # fmt: skip
    mp = PersonChoice(label=_("MP (for an MP’s pack): the MPs for constituencies in member places"), required=False,
                      queryset=Person.objects.none())  # fmt: skip
    organisation = forms.ModelChoiceField(label=_("Department (for a Minister’s or department’s pack)"),
                                          required=False,
                                          queryset=Organisation.objects.filter(kind=OrgKind.DEPARTMENT))  # fmt: skip
    minister = PersonChoice(label=_("Minister (optional, for a department’s pack)"), required=False,
                            queryset=Person.objects.none())  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .services import sitting_mps

        super().__init__(*args, **kwargs)

        def role(kind: str, field: str) -> Subquery:
            found = Role.objects.current().filter(person=OuterRef("pk"), kind=kind).order_by("-start", "pk")
            return Subquery(found.values(field)[:1])

        ids = [p.pk for p in sitting_mps()]
        self.fields["mp"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(pk__in=ids)
            .annotate(
                shown_role=role(RoleKind.MP, "constituency__name"), shown_code=role(RoleKind.MP, "constituency__code")
            )
            .order_by("name")
        )
        ministers = Person.objects.filter(
            pk__in=Role.objects.current().filter(kind=RoleKind.MINISTER).values("person_id")
        )
        minister: Any = self.fields["minister"]
        minister.queryset = ministers.annotate(shown_role=role(RoleKind.MINISTER, "title")).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["person"] = data.get("mp") if data.get("kind") == Kind.MP else data.get("minister")
        if data.get("kind") == Kind.MP and not data.get("mp"):
            self.add_error("mp", _("Choose the MP the pack is for."))
        if data.get("kind") == Kind.DEPARTMENT and not data.get("organisation"):
            self.add_error("organisation", _("Choose the department the pack is about."))
        return data


class SendForm(forms.Form):
    """Sending an issued pack to people from the contacts (each gets an interaction recorded)."""

    KINDS = (("email", _("Email")), ("letter", _("Letter")), ("meeting", _("Meeting")))
    people = ModelMultipleChoiceField(label=_("Send to"), queryset=Person.objects.none(),
                                            help_text=_("People from the contacts; hold Ctrl or ⌘ to choose more "
                                                        "than one."))  # fmt: skip
    kind = forms.ChoiceField(label=_("How"), choices=KINDS)
    on = forms.DateField(label=_("Sent on (YYYY-MM-DD)"), input_formats=["%Y-%m-%d"])

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["people"].queryset = people  # type: ignore[attr-defined]


class SectionForm(forms.Form):
    heading = LineField(label=_("Heading"), max_length=200)
    body = TextField(
        label=_("Text"), max_length=20000, rows=10,
        help_text=_("Put figures in as tokens, never typed: {{indicator:group or place:year}}, e.g. "
                    "{{gva:key-cities:2022}} or {{population:bradford:latest}}. Leave a blank line between "
                    "paragraphs."),
    )  # fmt: skip
