from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keycities.core.bilingual import localised_text
from keycities.core.forms import LineField, TextField
from keycities.network.models import Place, WorkArea, WorkAreaLead
from keycities.observatory.queries import KEY_CITIES

from .models import AskStatus, BodyType, Consultation, Decision, Evidence, Section, Stage


def _required(message: Any) -> dict[str, Any]:
    return {"required": message}


DATE = {"required": _("Enter the date"), "invalid": _("Enter a real date, like 2026-03-31")}


class ConsultationForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https",
                         help_text=_("The consultation’s page."),
                         error_messages={"required": _("Enter the link to the consultation"),
                                         "invalid": _("Enter a full web address, starting https://")})  # fmt: skip

    class Meta:
        model = Consultation
        fields = ["title", "body_type", "body_name", "url", "published_on", "closes_on", "work_areas", "lead_place",
                  "summary"]  # fmt: skip
        field_classes = {"title": LineField, "body_name": LineField, "summary": TextField}
        widgets = {"body_type": forms.RadioSelect, "work_areas": forms.CheckboxSelectMultiple,
                   "summary": forms.Textarea(attrs={"rows": 4})}  # fmt: skip
        labels = {"title": _("Title"), "work_areas": _("Work areas"), "lead_place": _("Lead place"),
                  "summary": _("Summary")}  # fmt: skip
        help_texts = {
            "body_name": _("For example, Department for Education."),
            "lead_place": _("Left blank, it is the place that leads the first work area chosen."),
        }
        error_messages = {
            "title": _required(_("Enter the consultation’s title")),
            "body_type": _required(_("Select the type of body consulting")),
            "body_name": _required(_("Enter the body consulting, such as Department for Education")),
            "published_on": {**DATE, "required": _("Enter the date the consultation was published")},
            "closes_on": {**DATE, "required": _("Enter the closing date")},
            "lead_place": _required(_("Select the lead member place")),
        }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_place"].queryset = Place.objects.members_of(KEY_CITIES).order_by("name")  # type: ignore[attr-defined]
        self.fields["lead_place"].empty_label = _("Select a place")  # type: ignore[attr-defined]
        self.fields["work_areas"].required = False
        self.fields["lead_place"].required = False  # taken from the first work area's lead when left blank
        self.fields["body_type"].choices = BodyType.choices  # type: ignore[attr-defined]  # no blank radio
        for name in ("lead_place", "work_areas"):  # by their names in the page's language
            self.fields[name].label_from_instance = _localised_name  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("published_on") and data.get("closes_on") and data["closes_on"] < data["published_on"]:
            self.add_error("closes_on", _("The closing date must be on or after the date it was published"))
        if not data.get("lead_place"):
            leads = self.leads()
            chosen = [leads[w.pk] for w in data.get("work_areas") or [] if w.pk in leads]
            if chosen:
                data["lead_place"] = self.fields["lead_place"].queryset.get(pk=chosen[0])  # type: ignore[attr-defined]
            elif "lead_place" not in self.errors:
                self.add_error("lead_place", _("Select the lead member place, or a work area that a member leads"))
        return data

    def leads(self) -> dict[int, int]:
        """Each work area's first lead place among today's members: what choosing the work area fills in."""
        members = set(self.fields["lead_place"].queryset.values_list("pk", flat=True))  # type: ignore[attr-defined]
        found: dict[int, int] = {}
        for link in WorkAreaLead.objects.order_by("work_area_id", "position", "place__name"):
            if link.place_id in members:
                found.setdefault(link.work_area_id, link.place_id)
        return found


def _localised_name(obj: Any) -> str:
    return localised_text(obj, "name")


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), error_messages=_required(_("Choose a CSV file")))


class DocumentForm(forms.Form):
    file = forms.FileField(label=_("Attach a document"), help_text=_("PDF, DOCX or ODT, smaller than 20 MB."),
                           error_messages=_required(_("Choose a file to attach")))  # fmt: skip


class QuestionForm(forms.Form):
    question = TextField(label=_("Add a question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                               error_messages=_required(_("Enter the question")))  # fmt: skip


class PasteQuestionsForm(forms.Form):
    questions = TextField(
        label=_("Paste several questions"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000,
        help_text=_("One a line, or numbered (1. … 2. …): a numbered question may run over several lines."),
        error_messages=_required(_("Paste the questions")))  # fmt: skip


class AnswersForm(forms.Form):
    """One answer per question, the version the editor started from, and a note."""

    base = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = LineField(label=_("What did you change? (optional)"), max_length=200, required=False)

    def __init__(self, *args: Any, sections: list[tuple[int, Section, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for number, section, answer in sections:
            self.fields[f"answer_{section.pk}"] = TextField(
                label=_("Question %(number)s") % {"number": number}, required=False, max_length=50000, initial=answer,
                widget=forms.Textarea(attrs={"rows": 6}))  # fmt: skip

    def answer_fields(self) -> list[tuple[int, Section, forms.BoundField]]:
        return [(n, s, self[f"answer_{s.pk}"]) for n, s, _ in self.sections]

    def answers(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(f"answer_{s.pk}", "") for _, s, _ in self.sections}


class EvidenceForm(forms.Form):
    section = forms.TypedChoiceField(label=_("Question"), coerce=int,
                                     error_messages=_required(_("Choose the question")))  # fmt: skip
    kind = forms.ChoiceField(label=_("What kind of evidence?"), choices=Evidence.Kind.choices, widget=forms.RadioSelect,
                             error_messages=_required(_("Choose a figure or a claim")))  # fmt: skip
    indicator = forms.ChoiceField(label=_("Indicator (for a figure)"), required=False)
    group = forms.ChoiceField(label=_("Group (for a figure)"), required=False)
    claim = forms.TypedChoiceField(label=_("Claim"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, sections: list[tuple[int, Section]], **kwargs: Any) -> None:
        from keycities.claims import queries as claims
        from keycities.observatory import queries as observatory

        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", _("Choose a question"))] + [  # type: ignore[attr-defined]
            (s.pk, _("Question %(number)s: %(question)s") % {"number": n, "question": s.question[:70]})
            for n, s in sections]  # fmt: skip
        self.fields["indicator"].choices = [("", _("Choose an indicator"))] + [  # type: ignore[attr-defined]
            (i.slug, localised_text(i, "name")) for i in observatory.indicators()]  # fmt: skip
        self.fields["group"].choices = [(g.slug, g.name) for g in observatory.groups_for_comparison()]  # type: ignore[attr-defined]
        self.fields["claim"].choices = [("", _("Choose a claim"))] + [  # type: ignore[attr-defined]
            (c.pk, localised_text(c, "headline")) for c in claims.claims()]  # fmt: skip
        self.initial.setdefault("group", KEY_CITIES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Evidence.Kind.FIGURE and not data.get("indicator"):
            self.add_error("indicator", _("Choose the indicator"))
        if data.get("kind") == Evidence.Kind.CLAIM and not data.get("claim"):
            self.add_error("claim", _("Choose the claim"))
        return data


class WelshVersionForm(forms.Form):
    """The Welsh version of a signed-off response: the title, and each question and answer in Welsh."""

    title_cy = LineField(label=_("Title in Welsh"), max_length=300, required=False)

    def __init__(self, *args: Any, sections: list[dict[str, Any]], welsh: dict[str, dict[str, str]],
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.sections = sections
        for n, s in enumerate(sections, start=1):
            given = welsh.get(str(s["section"]), {})
            self.fields[f"question_cy_{s['section']}"] = TextField(
                label=_("Question %(number)s in Welsh") % {"number": n}, required=False, max_length=5000,
                initial=given.get("question", ""), rows=2)  # fmt: skip
            self.fields[f"answer_cy_{s['section']}"] = TextField(
                label=_("Answer %(number)s in Welsh") % {"number": n}, required=False, max_length=50000,
                initial=given.get("answer", ""), rows=6)  # fmt: skip

    def rows(self) -> list[tuple[dict[str, Any], forms.BoundField, forms.BoundField]]:
        return [(s, self[f"question_cy_{s['section']}"], self[f"answer_cy_{s['section']}"]) for s in self.sections]

    def texts(self) -> dict[int, tuple[str, str]]:
        return {int(s["section"]): (self.cleaned_data.get(f"question_cy_{s['section']}", ""),
                                    self.cleaned_data.get(f"answer_cy_{s['section']}", ""))
                for s in self.sections}  # fmt: skip


class CommentForm(forms.Form):
    section = forms.IntegerField(widget=forms.HiddenInput)
    text = TextField(label=_("Comment on this answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           error_messages=_required(_("Enter your comment")))  # fmt: skip


class OpenReviewForm(forms.Form):
    deadline = forms.DateField(label=_("Review deadline"),
                               help_text=_("Member places record their decision by this date."),
                               error_messages={**DATE, "required": _("Enter the review deadline")})  # fmt: skip

    def clean_deadline(self) -> Any:
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The review deadline must be today or later"))
        return deadline


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Your place’s decision"), choices=Decision.choices, widget=forms.RadioSelect,
                                 error_messages=_required(_("Select your place’s decision")))  # fmt: skip
    text = TextField(label=_("Comments, or the reason for objecting"), widget=forms.Textarea(attrs={"rows": 4}),
                           required=False, max_length=5000,
                           help_text=_("Needed if you endorse with comments or object."))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.OBJECT and not data.get("text", "").strip():
            self.add_error("text", _("Give the reason for objecting"))
        if data.get("decision") == Decision.ENDORSE_WITH_COMMENTS and not data.get("text", "").strip():
            self.add_error("text", _("Enter your place’s comments"))
        return data


class SignOffForm(forms.Form):
    """The secretariat's confirmation of a sign-off: the version and the decisions they were shown, and (while a
    member place objects) why they sign off anyway."""

    override_reason = TextField(
        label=_("Why sign it off despite the objection?"),
        required=False,
        max_length=5000,
        rows=4,
        help_text=_("This reason is published with the response, beside the names of the places that objected."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.CharField(widget=forms.HiddenInput, max_length=64)


class SubmittedForm(forms.Form):
    submitted_on = forms.DateField(label=_("Date submitted"), error_messages={**DATE,
                                   "required": _("Enter the date the response was submitted")})  # fmt: skip

    def clean_submitted_on(self) -> Any:
        day = self.cleaned_data["submitted_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date submitted cannot be in the future"))
        return day


class GovernmentResponseForm(forms.Form):
    url = forms.URLField(
        label=_("Link to the government’s response"), max_length=500, assume_scheme="https", error_messages={
        "required": _("Enter the link to the government’s response"),
        "invalid": _("Enter a full web address, starting https://")})  # fmt: skip
    published_on = forms.DateField(label=_("Date it was published"), error_messages=DATE)


class AskForm(forms.Form):
    text = TextField(label=_("The ask"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           error_messages=_required(_("Enter the ask")))  # fmt: skip
    department = LineField(label=_("Department"), max_length=200, help_text=_("Who the ask is of, e.g. HM Treasury."),
                                 error_messages=_required(_("Enter the department the ask is of")))  # fmt: skip
    work_area = forms.ModelChoiceField(label=_("Work area"), queryset=WorkArea.objects.all(), to_field_name="slug",
                                       required=False, empty_label=_("None"))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_area"].label_from_instance = _localised_name  # type: ignore[attr-defined]


class AskStatusForm(forms.Form):
    ask = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=AskStatus.choices)
    on = forms.DateField(label=_("Date"), error_messages=DATE)
    evidence = TextField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                         max_length=5000, help_text=_("A link or a quotation that shows the status."))  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") and data["status"] != AskStatus.NO_REPLY and not data.get("evidence", "").strip():
            self.add_error("evidence", _("Give the evidence for the status: a link or a quotation"))
        if data.get("on") and data["on"] > timezone.localdate():
            self.add_error("on", _("The date cannot be in the future"))
        return data


class LedgerFilter(forms.Form):
    department = forms.ChoiceField(label=_("Department"), required=False)
    work_area = forms.ChoiceField(label=_("Work area"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *AskStatus.choices])

    def __init__(self, *args: Any, departments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("Any department"))] + [(d, d) for d in departments]  # type: ignore[attr-defined]
        self.fields["work_area"].choices = [("", _("Any work area"))] + [  # type: ignore[attr-defined]
            (w.slug, localised_text(w, "name")) for w in WorkArea.objects.all()]  # fmt: skip


class RegisterFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")), *Stage.choices])
    work_area = forms.ChoiceField(label=_("Work area"), required=False)
    lead_place = forms.ChoiceField(label=_("Lead place"), required=False)
    body_type = forms.ChoiceField(label=_("Body"), required=False, choices=[("", _("Any body")), *BodyType.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_area"].choices = [("", _("Any work area"))] + [  # type: ignore[attr-defined]
            (w.slug, localised_text(w, "name")) for w in WorkArea.objects.all()]  # fmt: skip
        self.fields["lead_place"].choices = [("", _("Any place"))] + [  # type: ignore[attr-defined]
            (p.slug, localised_text(p, "name"))
            for p in Place.objects.members_of(KEY_CITIES).order_by("name")]  # fmt: skip
