"""Consultation pages. Public: open consultations, the archive of published responses,
the asks ledger. Staff (secretariat and member officers): the register and each
response's workspace. Every write is one call into `services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from keycities.accounts.policy import is_staff_member, secretariat_only, staff_only
from keycities.core.access import public
from keycities.core.api import csv_response
from keycities.core.bilingual import localised_text
from keycities.core.files import download

from . import exports, policy, presenters, queries, services
from .forms import (
    AnswersForm,
    AskForm,
    AskStatusForm,
    CommentForm,
    ConsultationForm,
    DocumentForm,
    EvidenceForm,
    GovernmentResponseForm,
    ImportForm,
    LedgerFilter,
    OpenReviewForm,
    PasteQuestionsForm,
    QuestionForm,
    RegisterFilter,
    ReviewForm,
    SignOffForm,
    SubmittedForm,
    WelshVersionForm,
)
from .models import RESTARTS_REVIEW, Ask, Consultation, Evidence, Section, Stage

EXPORT_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "pdf": "application/pdf"}  # fmt: skip


def _refuse(form: Form, exc: ValidationError) -> None:
    form.add_error(None, exc.messages[0])


# --------------------------------------------------------------------------- public


@public
def open_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    rows = [(c, presenters.days_left_text(c.closes_on, today), presenters.urgency_tag(c.closes_on, today),
             queries.public_stage(c)) for c in queries.open_consultations(today)]  # fmt: skip
    return render(request, "consultations/open.html", {"rows": rows, "staff": is_staff_member(request.user),
                                                       "can_manage": policy.may_manage(request.user)})  # fmt: skip


@public
def archive(request: HttpRequest) -> HttpResponse:
    rows = [(c, presenters.positions_summary(queries.positions(c))) for c in queries.published()]
    return render(request, "consultations/archive.html", {"rows": rows})


@public
def published(request: HttpRequest, pk: int) -> HttpResponse:
    c = policy.access_published(request.user, pk)
    data = queries.response_data(c)
    data["positions"] = queries.positions_in_language(data["positions"])
    sections = presenters.with_welsh(data["sections"], c.welsh_answers if c.welsh_version == data["version"] else {})
    return render(request, "consultations/published.html", {
        "c": c, "data": data, "sections": sections, "untranslated": any(s.answer_fallback for s in sections),
        "asks": c.asks.select_related("work_area"), "ask_tags": presenters.ASK_TAGS,
        "agreement": presenters.agreement_statement(data["positions"]),
        "positions": presenters.position_rows(data["positions"]),
        "objected": presenters.names(data["positions"]["objected"]),
    })  # fmt: skip


@public
def export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The signed-off response as DOCX or PDF: staff once signed off, everyone once published."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    c = policy.access_export(request.user, pk)
    data = queries.response_data(c)
    data["positions"] = queries.positions_in_language(data["positions"])
    name = f"key-cities-response-{c.pk}"
    welsh = c.welsh_answers if c.welsh_version == data["version"] else {}
    build = exports.build_docx if fmt == "docx" else exports.build_pdf
    # The Welsh title as the published page shows it (the answers only from the Welsh version of this version).
    content = build(data, welsh=welsh, title_cy=c.title_cy)
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _ledger(request: HttpRequest) -> tuple[Any, LedgerFilter]:
    form = LedgerFilter(request.GET or None, departments=queries.departments())
    data = form.cleaned_data if form.is_valid() else {}
    asks = queries.ledger(policy.visible_asks(request.user), department=data.get("department", ""),
                          work_area=data.get("work_area", ""), status=data.get("status", ""))  # fmt: skip
    return asks, form


@public
def ledger(request: HttpRequest) -> HttpResponse:
    asks, form = _ledger(request)
    return render(request, "consultations/ledger.html", {
        "asks": asks, "form": form, "query": request.GET.urlencode(), "ask_tags": presenters.ASK_TAGS,
        "staff": is_staff_member(request.user)})  # fmt: skip


@public
def ledger_csv(request: HttpRequest) -> HttpResponse:
    asks, _ = _ledger(request)
    header = ["ask", "department", "work_area", "status", "status_on", "evidence", "consultation", "body",
              "response_status", "submitted_on"]  # fmt: skip
    return csv_response("asks.csv", header, ([
        a.text, a.department, a.work_area.name if a.work_area else "", a.get_status_display(), a.status_on,
        a.evidence, a.consultation.title, a.consultation.body_name, a.consultation.get_status_display(),
        a.consultation.submitted_on] for a in asks))  # fmt: skip


# --------------------------------------------------------------------------- the register (staff)


@staff_only
def register(request: HttpRequest) -> HttpResponse:
    policy.access_register(request.user)
    form = RegisterFilter(request.GET or None)
    found = queries.register().order_by("closes_on", "title")
    if form.is_valid():
        d = form.cleaned_data
        found = found.filter(**{k: v for k, v in {"status": d["status"], "work_areas__slug": d["work_area"],
                                                   "lead_place__slug": d["lead_place"],
                                                   "body_type": d["body_type"]}.items() if v})  # fmt: skip
    today = timezone.localdate()
    rows = [(c, presenters.days_left_text(c.closes_on, today), presenters.urgency_tag(c.closes_on, today),
             presenters.days_left(c.closes_on, today) < 0) for c in found.distinct()]  # fmt: skip
    return render(request, "consultations/register.html", {"rows": rows, "form": form,
                                                           "tags": presenters.STAGE_TAGS,
                                                           "can_manage": policy.may_manage(request.user)})  # fmt: skip


@secretariat_only
def new(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = services.create_consultation(form.cleaned_data, by=request.user)
        messages.success(request, _("Consultation added: %(title)s") % {"title": c.title})
        return redirect(c.get_absolute_url())
    return render(request, "consultations/form.html", {"form": form, "c": None, "leads": form.leads()})


@secretariat_only
def details(request: HttpRequest, pk: int) -> HttpResponse:
    c = policy.access_workspace(request.user, pk)
    form = ConsultationForm(request.POST or None, instance=Consultation.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.update_consultation(c, form.cleaned_data, by=request.user)
        messages.success(request, _("Details saved."))
        return redirect(c.get_absolute_url())
    return render(request, "consultations/form.html", {"form": form, "c": c, "leads": form.leads()})


@secretariat_only
def import_file(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            added, skipped = services.import_csv(upload, upload.name, by=request.user)
        except services.CsvFileError as exc:
            problems = exc.errors
            form.add_error("file", ngettext("%(name)s has %(count)s problem; nothing was imported",
                                            "%(name)s has %(count)s problems; nothing was imported", len(problems))
                           % {"name": upload.name, "count": len(problems)})  # fmt: skip
        else:
            imported = ngettext("Imported %(count)s consultation", "Imported %(count)s consultations", len(added)) % {
                "count": len(added)}  # fmt: skip
            if skipped:
                imported += _("; %(count)s already in the register") % {"count": skipped}
            messages.success(request, imported + ".")
            return redirect("consultations:register")
    return render(request, "consultations/import.html", {"form": form, "problems": problems})


# --------------------------------------------------------------------------- one response (staff)


def _roles(request: HttpRequest, c: Consultation) -> dict[str, bool]:
    user = request.user
    return {"can_draft": policy.may_draft(user, c), "can_manage": policy.may_manage(user),
            "can_comment": policy.may_comment(user, c), "can_record_review": policy.may_record_review(user, c),
            "can_export": policy.may_download_export(user, c)}  # fmt: skip


def _detail(request: HttpRequest, c: Consultation, **forms: Any) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "c": c, "sections": queries.sections(c), "documents": c.documents.all(),
        "days_left": presenters.days_left_text(c.closes_on, today), "stage_tag": presenters.STAGE_TAGS[c.status],
        "status": queries.review_status(c), "stages": list(Stage), "stage_index": list(Stage).index(Stage(c.status)),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "document_form": forms.get("document_form") or DocumentForm(),
        "submitted_form": forms.get("submitted_form") or SubmittedForm(initial={"submitted_on": today}),
        "government_form": forms.get("government_form") or GovernmentResponseForm(),
        "error_form": next((f for f in forms.values() if f.errors), None), **_roles(request, c),
    }  # fmt: skip
    return render(request, "consultations/detail.html", context)


@staff_only
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = policy.access_workspace(request.user, pk)
    if request.method != "POST":
        return _detail(request, c)
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "comment" and policy.may_comment(user, c):
            form = CommentForm(request.POST)
            if not form.is_valid():
                return _detail(request, c, comment_form=form)
            section = get_object_or_404(Section, pk=form.cleaned_data["section"], consultation=c, removed=False)
            services.add_comment(section, form.cleaned_data["text"], by=user)
            messages.success(request, _("Comment added."))
            return redirect(c.get_absolute_url() + f"#section-{section.pk}")
        if action == "document" and policy.may_draft(user, c):
            dform = DocumentForm(request.POST, request.FILES)
            if not dform.is_valid():
                return _detail(request, c, document_form=dform)
            try:
                services.add_document(c, dform.cleaned_data["file"], by=user)
            except ValidationError as exc:
                dform.add_error("file", exc.messages[0])
                return _detail(request, c, document_form=dform)
            messages.success(request, _("Document attached."))
        elif action == "start" and policy.may_draft(user, c):
            services.start_drafting(c, by=user)
            messages.success(request, _("Drafting started. Add the consultation’s questions."))
            return redirect("consultations:edit", pk=c.pk)
        elif action == "submitted" and policy.may_manage(user):
            sform = SubmittedForm(request.POST)
            if not sform.is_valid():
                return _detail(request, c, submitted_form=sform)
            services.mark_submitted(c, sform.cleaned_data["submitted_on"], by=user)
            messages.success(request, _("Recorded as submitted, and published in the archive."))
        elif action == "government" and policy.may_manage(user):
            gform = GovernmentResponseForm(request.POST)
            if not gform.is_valid():
                return _detail(request, c, government_form=gform)
            services.record_government_response(c, gform.cleaned_data["url"], gform.cleaned_data["published_on"],
                                                by=user)  # fmt: skip
            messages.success(request, _("The government’s response is recorded."))
        else:
            raise PermissionDenied(_("You cannot do that to this consultation."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(c.get_absolute_url())


def _edit(request: HttpRequest, c: Consultation, **forms: Any) -> HttpResponse:
    rows = queries.sections(c)
    latest = c.latest_version()
    answers = forms.get("answers_form") or AnswersForm(
        sections=[(r.number, r.section, r.answer) for r in rows], initial={"base": latest.number if latest else 0}
    )
    context = {
        "c": c, "sections": rows, "latest": latest, "answers_form": answers,
        "question_form": forms.get("question_form") or QuestionForm(),
        "paste_form": forms.get("paste_form") or PasteQuestionsForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(sections=[(r.number, r.section) for r in rows]),
        "restarts_review": c.status in RESTARTS_REVIEW, "frozen": c.is_published,
        "error_form": next((f for f in forms.values() if f.errors), None),
    }  # fmt: skip
    return render(request, "consultations/edit.html", context)


@staff_only
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    c = policy.access_drafting(request.user, pk)
    if request.method != "POST":
        return _edit(request, c)
    action, user = request.POST.get("action"), request.user
    rows = [(r.number, r.section, r.answer) for r in queries.sections(c, with_evidence=False)]
    try:
        if action == "save":
            form = AnswersForm(request.POST, sections=rows)
            if not form.is_valid():
                return _edit(request, c, answers_form=form)
            try:
                version = services.save_draft(c, form.answers(), base=form.cleaned_data["base"], by=user,
                                              note=form.cleaned_data["note"])  # fmt: skip
            except ValidationError as exc:
                _refuse(form, exc)
                return _edit(request, c, answers_form=form)
            messages.success(request, _("Saved as version %(number)s.") % {"number": version.number} if version
                             else _("Nothing had changed."))  # fmt: skip
            return redirect("consultations:detail", pk=c.pk)
        if action == "question":
            qform = QuestionForm(request.POST)
            if not qform.is_valid():
                return _edit(request, c, question_form=qform)
            services.add_questions(c, [qform.cleaned_data["question"]], by=user)
            messages.success(request, _("Question added."))
        elif action == "paste":
            pform = PasteQuestionsForm(request.POST)
            if not pform.is_valid():
                return _edit(request, c, paste_form=pform)
            added = services.add_questions(c, services.split_questions(pform.cleaned_data["questions"]), by=user)
            messages.success(request, ngettext("%(count)s question added.", "%(count)s questions added.", len(added))
                             % {"count": len(added)})  # fmt: skip
        elif action == "remove-question":
            section = get_object_or_404(Section, pk=request.POST.get("section"), consultation=c)
            services.remove_question(section, by=user)
            messages.success(request, _("Question removed."))
        elif action == "evidence":
            eform = EvidenceForm(request.POST, sections=[(n, s) for n, s, _ in rows])
            if not eform.is_valid():
                return _edit(request, c, evidence_form=eform)
            d = eform.cleaned_data
            section = get_object_or_404(Section, pk=d["section"], consultation=c, removed=False)
            try:
                services.add_evidence(section, kind=d["kind"], indicator=d["indicator"], group=d["group"],
                                      claim_id=d["claim"], by=user)  # fmt: skip
            except ValidationError as exc:
                _refuse(eform, exc)
                return _edit(request, c, evidence_form=eform)
            messages.success(request, _("Evidence added."))
        elif action == "remove-evidence":
            evidence = get_object_or_404(Evidence, pk=request.POST.get("evidence"), section__consultation=c)
            services.remove_evidence(evidence, by=user)
            messages.success(request, _("Evidence removed."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("consultations:edit", pk=c.pk)


@staff_only
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    c = policy.access_workspace(request.user, pk)
    found = list(c.versions.select_related("author__place"))
    return render(request, "consultations/versions.html", {"c": c, "versions": found})


@staff_only
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    c = policy.access_workspace(request.user, pk)
    try:
        numbers = sorted({int(request.GET["from"]), int(request.GET["to"])})
    except (KeyError, ValueError):
        return redirect("consultations:versions", pk=c.pk)
    if len(numbers) == 1:
        messages.error(request, _("Choose two different versions to compare."))
        return redirect("consultations:versions", pk=c.pk)
    found = {v.number: v for v in c.versions.filter(number__in=numbers).select_related("author__place")}
    if len(found) != 2:
        raise Http404
    old, new = found[numbers[0]], found[numbers[1]]
    diffs = presenters.compare(old.content, new.content)
    return render(request, "consultations/compare.html", {
        "c": c, "old": old, "new": new, "diffs": diffs, "summary": presenters.diff_summary(diffs),
        "show_all": request.GET.get("all") == "1", "query": f"from={old.number}&to={new.number}"})  # fmt: skip


def _review(request: HttpRequest, c: Consultation, **forms: Any) -> HttpResponse:
    user = request.user
    mine = c.reviews.filter(round=c.round, place_id=getattr(user, "place_id", None) or 0).first()
    status = queries.review_status(c)
    context = {
        "c": c, "status": status, "mine": mine, "decision_tags": presenters.DECISION_TAGS,
        "review_form": forms.get("review_form") or ReviewForm(initial={"decision": mine.decision, "text": mine.text}
                                                              if mine else None),
        "open_form": forms.get("open_form") or OpenReviewForm(), "earlier": _earlier_rounds(c),
        "error_form": next((f for f in forms.values() if f.errors), None),
        "is_member": getattr(user, "place_id", None) in {p.pk for p in services.member_places()},
        **_roles(request, c),
    }  # fmt: skip
    return render(request, "consultations/review.html", context)


def _sign_off(request: HttpRequest, c: Consultation, *, typed: str = "",
              refusal: ValidationError | None = None) -> HttpResponse:  # fmt: skip
    """The confirmation page: the text to be frozen and every member place's position, shown before signing off.
    It carries the version and the decisions shown, so that the sign-off applies to exactly those."""
    if c.status != Stage.MEMBER_REVIEW:
        messages.error(request, _("Only a response in member review can be signed off."))
        return redirect("consultations:review", pk=c.pk)
    latest = c.latest_version()
    form = SignOffForm({"version": latest.number if latest else 0, "seen": services.decisions_seen(c),
                        "override_reason": typed})  # fmt: skip
    form.is_valid()
    if refusal is not None:
        form.add_error(None, refusal)
    positions = services.current_positions(c)
    return render(request, "consultations/sign_off.html", {
        "c": c, "latest": latest, "form": form, "error_form": form if form.errors else None,
        "status": queries.review_status(c), "positions": presenters.position_rows(positions),
        "objected": presenters.names(positions["objected"]), "agreement": presenters.agreement_statement(positions),
        "decision_tags": presenters.DECISION_TAGS,
    })  # fmt: skip


def _earlier_rounds(c: Consultation) -> list[queries.ReviewStatus]:
    return [s for r in range(c.round - 1, 0, -1) if (s := queries.review_status(c, r)).reviews]


@staff_only
def review(request: HttpRequest, pk: int) -> HttpResponse:
    c = policy.access_workspace(request.user, pk)
    if request.method != "POST":
        return _review(request, c)
    action, user = request.POST.get("action"), request.user
    try:
        if action == "record" and policy.may_record_review(user, c):
            form = ReviewForm(request.POST)
            if not form.is_valid():
                return _review(request, c, review_form=form)
            try:
                services.record_review(c, getattr(user, "place"), form.cleaned_data["decision"],  # noqa: B009
                                       form.cleaned_data["text"], by=user)  # fmt: skip
            except ValidationError as exc:
                _refuse(form, exc)
                return _review(request, c, review_form=form)
            place = localised_text(user.place, "name")  # type: ignore[union-attr]
            messages.success(request, _("%(place)s’s decision is recorded.") % {"place": place})
        elif action == "open" and policy.may_draft(user, c):
            oform = OpenReviewForm(request.POST)
            if not oform.is_valid():
                return _review(request, c, open_form=oform)
            try:
                services.open_review(c, oform.cleaned_data["deadline"], by=user)
            except ValidationError as exc:
                _refuse(oform, exc)
                return _review(request, c, open_form=oform)
            messages.success(request, _("Member review is open; every member place’s officers have been emailed."))
        elif action == "remind" and policy.may_draft(user, c):
            places = services.send_reminders(c, by=user)
            sent = ngettext("Reminders sent to %(count)s place.", "Reminders sent to %(count)s places.", len(places))
            messages.success(request, sent % {"count": len(places)})
        elif action == "sign-off" and policy.may_manage(user):
            return _sign_off(request, c)
        elif action == "confirm-sign-off" and policy.may_manage(user):
            confirmation = SignOffForm(request.POST)
            if not confirmation.is_valid():
                return _sign_off(request, c)
            d = confirmation.cleaned_data
            try:
                services.sign_off(c, by=user, version=d["version"], seen=d["seen"],
                                  override_reason=d["override_reason"])  # fmt: skip
            except ValidationError as exc:
                return _sign_off(request, c, typed=d["override_reason"], refusal=exc)
            messages.success(request, _("Signed off. The text is frozen and the review round is closed."))
            return redirect(c.get_absolute_url())
        else:
            raise PermissionDenied(_("You cannot do that to this response."))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("consultations:review", pk=c.pk)


@staff_only
def asks(request: HttpRequest, pk: int) -> HttpResponse:
    c = policy.access_workspace(request.user, pk)
    can_update = policy.may_update_asks(request.user, c)
    ask_form, status_form = AskForm(), None
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied(_("Only officers of the lead place and the secretariat record asks."))
        try:
            if request.POST.get("action") == "add":
                ask_form = AskForm(request.POST)
                if ask_form.is_valid():
                    d = ask_form.cleaned_data
                    services.add_ask(c, d["text"], d["department"], d["work_area"], by=request.user)
                    messages.success(request, _("Ask recorded."))
                    return redirect("consultations:asks", pk=c.pk)
            else:
                status_form = AskStatusForm(request.POST, prefix="status")
                if status_form.is_valid():
                    d = status_form.cleaned_data
                    ask = get_object_or_404(Ask, pk=d["ask"], consultation=c)
                    services.update_ask(ask, d["status"], d["on"], d["evidence"], by=request.user)
                    messages.success(request, _("Status recorded: %(status)s.") % {"status": ask.get_status_display()})
                    return redirect("consultations:asks", pk=c.pk)
        except ValidationError as exc:
            (status_form or ask_form).add_error(None, exc.messages[0])
    found = list(c.asks.select_related("work_area").prefetch_related("updates__by"))
    editing = status_form.data.get("status-ask") if status_form is not None else None
    return render(request, "consultations/asks.html", {
        "c": c, "asks": found, "ask_form": ask_form, "status_form": status_form, "can_update": can_update,
        "editing": editing, "ask_tags": presenters.ASK_TAGS, "today": timezone.localdate(),
        "error_form": ask_form if ask_form.errors else status_form, "departments": queries.departments()})  # fmt: skip


@staff_only
def welsh_version(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead place's officers or the secretariat add the Welsh version of a signed-off response."""
    c = policy.access_welsh_version(request.user, pk)
    data = queries.response_data(c)
    welsh = c.welsh_answers if c.welsh_version == data["version"] else {}
    form = WelshVersionForm(request.POST or None, sections=data["sections"], welsh=welsh,
                            initial={"title_cy": c.title_cy})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            services.save_welsh_version(c, form.cleaned_data["title_cy"], form.texts(), by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Welsh version saved."))
            return redirect("consultations:welsh", pk=c.pk)
    return render(request, "consultations/welsh.html", {"c": c, "data": data, "form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@staff_only
def history(request: HttpRequest, pk: int) -> HttpResponse:
    c = policy.access_workspace(request.user, pk)
    return render(request, "consultations/history.html", {"c": c, "events": c.events.select_related("by__place")})


@staff_only
def document(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    found = policy.access_document(request.user, pk, doc)
    return download(found.file, filename=found.original_name, content_type=found.content_type)
