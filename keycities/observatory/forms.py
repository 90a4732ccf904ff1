import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import localised_text
from keycities.core.forms import ModelMultipleChoiceField
from keycities.network.models import Group, Place

from .models import Indicator


class CompareForm(forms.Form):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.all(), to_field_name="slug", empty_label=None,
        error_messages={"required": _("Choose an indicator")},
    )  # fmt: skip
    groups = ModelMultipleChoiceField(queryset=Group.objects.all(), to_field_name="slug", required=False,
                                            widget=forms.CheckboxSelectMultiple)  # fmt: skip
    as_of = forms.DateField(required=False, label=_("Members on"), help_text=_("Today if left blank."),
                            widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    places = ModelMultipleChoiceField(queryset=Place.objects.order_by("name"), to_field_name="slug",
                                            required=False, widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("groups") and not data.get("places"):
            raise forms.ValidationError(_("Choose at least one place or group to compare"))
        if len(data.get("places", [])) + len(data.get("groups", [])) > 8:
            raise forms.ValidationError(_("Choose at most 8 places and groups, so that the chart can be read"))
        return data

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each indicator by its name in the page's language (read when the choices are drawn).
        self.fields["indicator"].label_from_instance = lambda ind: localised_text(ind, "name")  # type: ignore[attr-defined]


class ReleaseUploadForm(forms.Form):
    """A new vintage of a source in the catalogue (data/catalogue/sources.yaml)."""

    source = forms.ChoiceField(label=_("Which source is this a new release of?"),
                               error_messages={"required": _("Choose the source")})  # fmt: skip
    release_date = forms.DateField(
        label=_("Release date"), help_text=_("The date the publisher released it, for example 2026-03-26."),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Enter the release date"),
                        "invalid": _("Enter the release date as a date, like 2026-03-26")},
    )  # fmt: skip
    file = forms.FileField(label=_("The file, as the publisher released it"),
                           error_messages={"required": _("Choose the file")})  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from . import catalogue
        from .models import dataset_title

        super().__init__(*args, **kwargs)
        datasets = catalogue.DATASETS
        self.fields["source"].choices = [("", "")] + [  # type: ignore[attr-defined]
            (s.key, f"{dataset_title(datasets[s.dataset]['title'])} — {s.key} ({s.format}, {s.release_date})")
            for s in catalogue.SOURCES
        ]

    def clean_release_date(self) -> dt.date:
        when: dt.date = self.cleaned_data["release_date"]
        if when > dt.date.today():
            raise forms.ValidationError(_("The release date must be today or in the past"))
        return when

    def clean_file(self) -> Any:
        from .uploads import MAX_UPLOAD_BYTES

        f = self.cleaned_data["file"]
        if not f.size:
            raise forms.ValidationError(_("The file is empty"))
        if f.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file must be smaller than %(mb)d MB") % {"mb": MAX_UPLOAD_BYTES >> 20})
        return f
