from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import area_name

from .models import Nation, Place


def _region_choices() -> list[tuple[str, Any]]:
    regions = Place.objects.members_of("key-cities").values_list("region_code", "region_name").distinct()
    named = {(code, area_name(name)) for code, name in regions}  # in the page's language
    return [("", _("All regions")), *sorted(named, key=lambda r: r[1].casefold())]


class MemberFilterForm(forms.Form):
    nation = forms.ChoiceField(required=False, choices=[("", _("All nations")), *Nation.choices])
    region = forms.ChoiceField(required=False, label=_("Region"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = _region_choices()
