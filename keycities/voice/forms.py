from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import localised_text
from keycities.core.forms import LineField, ModelMultipleChoiceField, TextField
from keycities.network.models import Place, WorkArea
from keycities.network.queries import member_place_ids

from .models import Option, Question

RESERVED_SLUGS = {"manage", "answer", "new"}
OPTION_LENGTH = Option._meta.get_field("text").max_length or 200


class LocalisedPlaces(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return localised_text(obj, "name")


class SurveyForm(forms.Form):
    slug = forms.SlugField(label=_("Web address"), max_length=80, help_text=_("Lower case letters, numbers and "
                           "hyphens, for example town-centre-2026"))  # fmt: skip
    title = LineField(label=_("Title in English"), max_length=200)
    title_cy = LineField(label=_("Title in Welsh"), max_length=200)
    introduction = TextField(label=_("Introduction in English"), max_length=3000)
    introduction_cy = TextField(label=_("Introduction in Welsh"), max_length=3000)
    privacy_notice = TextField(label=_("Privacy notice in English"), max_length=5000)
    privacy_notice_cy = TextField(label=_("Privacy notice in Welsh"), max_length=5000)
    opens_on = forms.DateField(label=_("Opening date"), help_text=_("For example 2026-12-01"))
    closes_on = forms.DateField(label=_("Closing date"), help_text=_("For example 2027-01-31"))
    places = LocalisedPlaces(label=_("Member places"), queryset=Place.objects.none(),
                             widget=forms.CheckboxSelectMultiple)  # fmt: skip
    work_areas = ModelMultipleChoiceField(label=_("Work areas"), queryset=WorkArea.objects.all(),
                                                required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip
    allow_repeat = forms.BooleanField(label=_("Allow more than one response from the same browser"), required=False)
    retention_days = forms.IntegerField(label=_("Keep responses for this many days after closing"), min_value=30,
                                        max_value=3650, initial=365)  # fmt: skip

    def __init__(self, *args: Any, place_ids: set[int] | None = None, editing: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        members = Place.objects.filter(pk__in=member_place_ids())
        self.fields["places"].queryset = members if place_ids is None else members.filter(pk__in=place_ids)  # type: ignore[attr-defined]
        if editing:
            self.fields["slug"].disabled = True

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"])
        if slug in RESERVED_SLUGS:
            raise ValidationError(_("Choose another web address"))
        return slug


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of question"), choices=Question.Kind.choices, widget=forms.RadioSelect)
    text = LineField(label=_("Question in English"), max_length=300, required=False)
    text_cy = LineField(label=_("Question in Welsh"), max_length=300, required=False)
    hint = LineField(label=_("Hint in English (optional)"), max_length=300, required=False)
    hint_cy = LineField(label=_("Hint in Welsh (optional)"), max_length=300, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = TextField(label=_("Options in English, one a line"), max_length=3000, required=False, rows=5)
    options_cy = TextField(label=_("Options in Welsh, one a line, in the same order"), max_length=3000,
                           required=False, rows=5)  # fmt: skip
    scale_points = forms.IntegerField(label=_("Points on the scale"), min_value=2, max_value=11, initial=5,
                                      required=False)  # fmt: skip
    low_label = LineField(label=_("Label of the lowest point in English"), max_length=60, required=False)
    low_label_cy = LineField(label=_("Label of the lowest point in Welsh"), max_length=60, required=False)
    high_label = LineField(label=_("Label of the highest point in English"), max_length=60, required=False)
    high_label_cy = LineField(label=_("Label of the highest point in Welsh"), max_length=60, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind not in {Question.Kind.AGE, Question.Kind.SEX, Question.Kind.POSTCODE, Question.Kind.WARD}:
            if not data.get("text"):
                self.add_error("text", _("Enter the question in English"))
            if not data.get("text_cy"):
                self.add_error("text_cy", _("Enter the question in Welsh"))
        english = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        welsh = [line.strip() for line in (data.get("options_cy") or "").splitlines() if line.strip()]
        options_needed = kind in {Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.RANKING}
        if options_needed and (len(english) < 2 or len(english) != len(welsh)):
            self.add_error("options_cy", _("Give at least two options, and the same number in Welsh as in English"))
        for name, lines in (("options", english), ("options_cy", welsh)):
            if any(len(line) > OPTION_LENGTH for line in lines):  # the column's limit (PostgreSQL would refuse)
                self.add_error(name, _("Each option must be %(limit)s characters or fewer") % {"limit": OPTION_LENGTH})
        data["option_pairs"] = list(zip(english, welsh, strict=False))
        return data


class StartForm(forms.Form):
    place = forms.ModelChoiceField(label=_("Where do you live?"), queryset=Place.objects.none(),
                                   widget=forms.RadioSelect, empty_label=None,
                                   error_messages={"required": _("Choose where you live")})  # fmt: skip
    # A honeypot: hidden from people, filled in by bots.
    website = LineField(required=False, label=_("Leave this field empty"))

    def __init__(self, *args: Any, places: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
        self.fields["place"].label_from_instance = lambda p: localised_text(p, "name")  # type: ignore[attr-defined]


class EmailForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254,
                             error_messages={"required": _("Enter your email address"),
                                             "invalid": _("Enter an email address like name@example.com")})  # fmt: skip
