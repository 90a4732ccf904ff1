"""Form fields that clean what people type or paste (see core.text)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import ErrorDict
from django.utils.functional import lazy
from django.utils.translation import gettext

from .text import clean_text, one_line, whole_number


def _too_long(label: Any, limit: int) -> str:
    """GOV.UK's message for text over its limit, naming the field: "Title must be 150 characters or fewer"."""
    name = re.sub(r"\s*\([^)]*\)\s*$", "", str(label or gettext("This answer")))  # "Organisation (optional)"
    return gettext("%(name)s must be %(limit)s characters or fewer") % {"name": name, "limit": f"{limit:,}"}


class _Limited(forms.CharField):
    """A text field whose limit is in the page (`maxlength`) and whose message over it names the field."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.max_length is not None and "max_length" not in (kwargs.get("error_messages") or {}):
            self.error_messages["max_length"] = lazy(_too_long, str)(self.label, self.max_length)


class LineField(_Limited):
    """A single line (a title, a name): line breaks, tabs and control characters become one space."""

    def to_python(self, value: Any) -> str:
        return one_line(super().to_python(value) or "")


class TextField(_Limited):
    """Several lines (a summary, an answer): "\\n" line ends, no control characters."""

    def __init__(self, *, rows: int = 5, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return clean_text(super().to_python(value) or "")


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, but an id too large for the database's integers is refused as not a choice: Django passes
    it to the database in `pk IN (...)`, where SQLite raises OverflowError and PostgreSQL an out-of-range error (a
    500 for a tampered form). Every multiple choice of rows in the Hub uses this field (a test checks)."""

    def _check_values(self, value: Any) -> Any:
        model = self.queryset.model if self.queryset is not None else None
        if self.to_field_name is None and model is not None and isinstance(model._meta.pk, models.IntegerField):
            for pk in value if isinstance(value, list | tuple) else ():
                if str(pk).lstrip("-").isdigit() and not -(2**63) <= int(str(pk)) < 2**63:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": pk})  # fmt: skip
        return super()._check_values(value)  # type: ignore[misc]  # not in django-stubs


FIND = "find"  # the name of a picker's "Find" button; its value is the field searched


class PickerForm(forms.Form):
    """A form with choices among thousands (the contacts, the organisations): each field named in `pickers`
    is shown as checkboxes (radios, for a field of one row) of the rows chosen so far and of the rows whose name
    contains what was typed in its search box (`<field>_find`), at most `FOUND` of them, instead of a list of
    every row.

    Pressing a picker's "Find" button (name `find`, value the field) sends the whole form back: nothing typed is
    lost, nothing is saved and no error is shown; the page comes back with the rows found beside those chosen.
    It needs no JavaScript. What may be chosen is still the field's whole queryset (the user's access rule), so
    a posted id outside it is refused as ever. `pickers` maps each field to the lookup searched, e.g.
    `{"people": "name__icontains"}`; `describe(rows)` may give each row's label (e.g. a person's current role)."""

    pickers: dict[str, str] = {}
    FOUND = 30

    def setup_pickers(self) -> None:
        """Call at the end of __init__, once the fields' querysets are set."""
        self.finding = self.is_bound and self.data.get(FIND) in self.pickers
        self.found: dict[str, dict[str, Any]] = {}  # field -> what was searched for and how many were found
        for name, lookup in self.pickers.items():
            field: Any = self.fields[name]  # a ModelMultipleChoiceField, or a ModelChoiceField for one row
            single = not isinstance(field, forms.ModelMultipleChoiceField)
            if self.is_bound:
                posted = [self.data.get(name)] if single else self.data.getlist(name)  # type: ignore[attr-defined]
                chosen = [pk for pk in map(whole_number, posted) if pk is not None]
            else:
                initial = self.initial.get(name)
                chosen = [getattr(v, "pk", v) for v in ([initial] if single and initial else initial or [])]
            rows = list(field.queryset.filter(pk__in=chosen))
            typed = (self.data.get(f"{name}_find") or "").strip()[:100] if self.is_bound else ""
            if typed and self.data.get(FIND) == name:
                more = list(field.queryset.filter(**{lookup: typed}).exclude(pk__in=chosen)[: self.FOUND])
                self.found[name] = {"typed": typed, "count": len(more), "more": len(more) == self.FOUND}
                rows += more
            labels = self.describe(name, rows)
            widget = forms.RadioSelect if single else forms.CheckboxSelectMultiple
            field.widget = widget(choices=[(r.pk, labels.get(r.pk, str(r))) for r in rows])

    def describe(self, name: str, rows: list[Any]) -> dict[int, str]:
        return {}

    def full_clean(self) -> None:
        if getattr(self, "finding", False):  # a search, not a submission: no errors, nothing cleaned
            self._errors = ErrorDict()
            self.cleaned_data: dict[str, Any] = {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not getattr(self, "finding", False) and super().is_valid()
