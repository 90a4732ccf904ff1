"""Residents' voice pages: the survey a resident answers one question a page (start, question, check your
answers, saved, sent), the results, and the staff's pages to build, launch and publish a survey."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from keycities.accounts.policy import staff_only
from keycities.core import charts
from keycities.core.access import personal, public
from keycities.core.api import csv_response
from keycities.core.ratelimit import allow, client_ip
from keycities.core.text import clean_text, one_line, whole_number

from . import policy, presenters, results, services, themes
from .forms import EmailForm, QuestionForm, StartForm, SurveyForm
from .models import PREFER_NOT, AgeBand, Question, Response, Sex

BROWSER_COOKIE = "kc_voice"
MAX_TEXT = 2000


def _per_hour() -> int:
    return int(getattr(settings, "VOICE_RESPONSES_PER_HOUR", 20))


@public
def index(request: HttpRequest) -> HttpResponse:
    """Open surveys, and the published results of closed ones."""
    return render(request, "voice/index.html", {
        "open": policy.open_surveys().prefetch_related("places"),
        "published": policy.published_surveys().prefetch_related("places"),
        "may_build": policy.may_build(request.user),
    })  # fmt: skip


@public
@personal
def survey(request: HttpRequest, slug: str) -> HttpResponse:
    """The start page: what the survey is, its dates and privacy notice; choosing a place starts a response."""
    found = policy.access_survey(request.user, slug)
    places = found.places.order_by("name")
    form = StartForm(request.POST or None, places=places, initial={"place": places[0]} if len(places) == 1 else {})
    if request.method == "POST" and found.is_open():
        if form.data.get("website"):  # the honeypot: a person never fills it
            return render(request, "voice/refused.html", status=400)
        if not allow("voice-start", client_ip(request), limit=_per_hour(), window=3600):
            return render(request, "voice/rate_limited.html", status=429)
        if form.is_valid():
            browser = request.COOKIES.get(BROWSER_COOKIE) or secrets.token_urlsafe(24)
            try:
                _response, token = services.start_response(found, form.cleaned_data["place"], browser=browser,
                                                           language=get_language() or "en")  # fmt: skip
            except services.AlreadyAnswered:
                return render(request, "voice/already.html", {"survey": found}, status=409)
            except ValidationError as exc:
                form.add_error(None, exc.messages[0])
            else:
                reply = redirect("voice:question", token=token, position=1)
                reply.set_cookie(BROWSER_COOKIE, browser, max_age=365 * 86400, httponly=True, samesite="Lax",
                                 secure=settings.SESSION_COOKIE_SECURE)  # fmt: skip
                return reply
    return render(request, "voice/start.html", {"survey": found, "form": form, "places": places,
                                                "may_edit": policy.may_edit(request.user, found)})  # fmt: skip


def _response(token: str) -> Response:
    found = services.response_by_token(token)
    if found is None:
        raise Http404
    return found


def _read(question: Question, data: Any) -> tuple[dict[str, Any], str | None]:
    """The answer in a POST, as save_answer's arguments, or an error message."""
    kind = question.kind
    if kind == Question.Kind.WARD:
        return {"choice": data.get("answer", "")}, None  # checked against the place's wards by save_answer
    if kind in {Question.Kind.AGE, Question.Kind.SEX}:
        choice = data.get("answer", "")
        allowed = {*(AgeBand.values if kind == Question.Kind.AGE else Sex.values), PREFER_NOT}
        return ({"choice": choice}, None) if not choice or choice in allowed else ({}, _("Choose from the options"))
    if kind == Question.Kind.POSTCODE:
        return {"text": one_line(data.get("answer", ""))[:10]}, None
    if kind == Question.Kind.TEXT:
        text = clean_text(data.get("answer", ""))  # no control characters in stored text (ADR 23)
        if len(text) > MAX_TEXT:
            return {}, _("Your answer must be %(count)s characters or fewer") % {"count": MAX_TEXT}
        return {"text": text}, None
    if kind == Question.Kind.SCALE:
        value = data.get("answer", "")
        if not value:
            return {}, None
        scale = whole_number(value)
        if scale is None or not 1 <= scale <= question.scale_points:
            return {}, _("Choose from the options")
        return {"scale": scale}, None
    ids = {o.pk for o in question.options.all()}
    if kind == Question.Kind.RANKING:
        ranks: dict[int, int] = {}
        for pk in ids:
            value = data.get(f"rank-{pk}", "")
            if value:
                rank = whole_number(value)
                if rank is None or not 1 <= rank <= len(ids):
                    return {}, _("Choose from the options")
                ranks[pk] = rank
        if ranks and (len(ranks) != len(ids) or len(set(ranks.values())) != len(ids)):
            return {}, _("Give each option a different rank, from 1 to %(count)s") % {"count": len(ids)}
        return {"options": sorted(ranks, key=ranks.__getitem__)}, None
    chosen = [whole_number(v) for v in data.getlist("answer")]
    if any(c not in ids for c in chosen) or (kind == Question.Kind.SINGLE and len(chosen) > 1):
        return {}, _("Choose from the options")
    return {"options": chosen}, None


@public
@personal
def question(request: HttpRequest, token: str, position: int) -> HttpResponse:
    """One question a page. 'Continue' keeps the answer and goes on; 'Save and come back later' keeps it and
    shows the link to come back by."""
    response = _response(token)
    if response.submitted_at is not None:
        return redirect("voice:done", token=token)
    questions = list(response.survey.questions.prefetch_related("options"))
    current = next((q for q in questions if q.position == position), None)
    if current is None:
        raise Http404
    error = None
    if request.method == "POST":
        if not response.survey.is_open():
            return render(request, "voice/closed.html", {"survey": response.survey}, status=410)
        answer, error = _read(current, request.POST)
        if error is None and current.required and not any(answer.values()):
            error = _("Answer this question to continue")
        if error is None:
            try:
                services.save_answer(response, current, **answer)
            except ValidationError as exc:
                error = exc.messages[0]
        if error is None:
            if "save" in request.POST:
                return redirect("voice:saved", token=token)
            later = [q for q in questions if q.position > position]
            if later and "check" not in request.POST:
                return redirect("voice:question", token=token, position=later[0].position)
            return redirect("voice:check", token=token)
    context = presenters.question_page(response, current, questions, request.POST if error else None)
    return render(request, "voice/question.html", {**context, "token": token, "error": error},
                  status=400 if error else 200)  # fmt: skip


@public
@personal
def check(request: HttpRequest, token: str) -> HttpResponse:
    """Check your answers, then send."""
    response = _response(token)
    if response.submitted_at is not None:
        return redirect("voice:done", token=token)
    error = None
    if request.method == "POST":
        if not allow("voice-submit", client_ip(request), limit=_per_hour(), window=3600):
            return render(request, "voice/rate_limited.html", status=429)
        try:
            services.submit(response)
            return redirect("voice:done", token=token)
        except services.AlreadyAnswered:
            return render(request, "voice/already.html", {"survey": response.survey}, status=409)
        except ValidationError as exc:
            error = exc.messages[0]
    return render(request, "voice/check.html", {"token": token, "error": error, "survey": response.survey,
                                                "summary": presenters.summary(response)})  # fmt: skip


@public
@personal
def saved(request: HttpRequest, token: str) -> HttpResponse:
    """The link to come back by, and (if the resident wants) the same link by email."""
    response = _response(token)
    link = request.build_absolute_uri(reverse("voice:question", kwargs={"token": token, "position": 1}))
    form = EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not allow("voice-email", client_ip(request), limit=5, window=3600):
            return render(request, "voice/rate_limited.html", status=429)
        services.remember_email(response, form.cleaned_data["email"])
        body = render_to_string("voice/email/link.txt", {"survey": response.survey, "link": link})
        send_mail(one_line(_("Your link to the survey")), body, None, [form.cleaned_data["email"]])
        messages.success(request, _("We have sent the link to your email address."))
        return redirect("voice:saved", token=token)
    return render(request, "voice/saved.html", {"survey": response.survey, "link": link, "form": form,
                                                "token": token})  # fmt: skip


@public
@personal
def done(request: HttpRequest, token: str) -> HttpResponse:
    response = _response(token)
    if response.submitted_at is None:
        return redirect("voice:check", token=token)
    return render(request, "voice/done.html", {"survey": response.survey})


# --------------------------------------------------------------------------- results


@public
def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    found = policy.access_results(request.user, slug)
    built = results.build(found)
    page = presenters.results_page(built)
    for place, report in zip(page["places"], built.places, strict=True):
        bars = presenters.representation_bars(report)
        place["chart"] = charts.bar_chart(
            _("%(place)s: respondents’ share of each group divided by its share of residents (1 = as many as "
              "expected)") % {"place": report.name}, bars, unit="ratio", sort_descending=False,
            label=_("Group"), value_title=_("Respondents’ share ÷ residents’ share"),
            highlight={label for label, _v in bars if label in presenters.cannot_fix_labels(report)},
        ) if report.weighted and bars else None  # fmt: skip
    drawn = presenters.answer_charts(built)
    for q in page["questions"]:
        q["chart"] = drawn.get(q["position"], {}).get("chart")
        for group in q["groups"]:
            group["chart"] = drawn.get(q["position"], {}).get("places", {}).get(group["name"]) \
                if group["kind"] == "place" else None  # fmt: skip
    return render(request, "voice/results.html", {
        "survey": found, "results": page, "may_edit": policy.may_edit(request.user, found),
        "theme_tables": themes.theme_tables(found),
    })  # fmt: skip


CSV_TABLES = {
    "answers": (results.ANSWER_HEADER, results.answer_rows),
    "representativeness": (results.REPRESENTATION_HEADER, results.representation_rows),
    "weighting": (results.WEIGHTING_HEADER, results.weighting_rows),
}


@public
def results_csv(request: HttpRequest, slug: str, table: str) -> HttpResponse:
    found = policy.access_results(request.user, slug)
    if table == "themes":
        return csv_response(f"{found.slug}-themes.csv", themes.THEME_HEADER, themes.theme_rows(found))
    if table.startswith("question-") and (position := whole_number(table.removeprefix("question-"))) is not None:
        chosen = [row for row in results.answer_rows(results.build(found)) if row[0] == position]
        if not chosen:
            raise Http404
        return csv_response(f"{found.slug}-{table}.csv", results.ANSWER_HEADER, chosen)
    if table not in CSV_TABLES:
        raise Http404
    header, rows = CSV_TABLES[table]
    return csv_response(f"{found.slug}-{table}.csv", header, rows(results.build(found)))


# --------------------------------------------------------------------------- staff


@staff_only
def manage(request: HttpRequest) -> HttpResponse:
    return render(request, "voice/manage.html", {"surveys": policy.managed_surveys(request.user)
                                                 .prefetch_related("places")})  # fmt: skip


def _survey_data(data: dict[str, Any], slug: str) -> services.SurveyData:
    return services.SurveyData(
        slug=slug, title=data["title"], title_cy=data["title_cy"], introduction=data["introduction"],
        introduction_cy=data["introduction_cy"], privacy_notice=data["privacy_notice"],
        privacy_notice_cy=data["privacy_notice_cy"], opens_on=data["opens_on"], closes_on=data["closes_on"],
        places=list(data["places"]), work_areas=list(data["work_areas"]), allow_repeat=data["allow_repeat"],
        retention_days=data["retention_days"],
    )  # fmt: skip


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@staff_only
def create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None, place_ids=policy.buildable_place_ids(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            made = services.create_survey(_survey_data(form.cleaned_data, form.cleaned_data["slug"]), by=request.user)
            return redirect("voice:edit", slug=made.slug)
        except ValidationError as exc:
            _apply_errors(form, exc)
    return render(request, "voice/survey_form.html", {"form": form})


@staff_only
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    """A survey's page for staff: its details, its questions (added while a draft), launching, publishing."""
    found = policy.access_manage(request.user, slug)
    initial = {**{f: getattr(found, f) for f in SurveyForm.base_fields if f not in {"places", "work_areas"}},
               "places": list(found.places.all()), "work_areas": list(found.work_areas.all())}  # fmt: skip
    form = SurveyForm(initial=initial, place_ids=policy.buildable_place_ids(request.user), editing=True)
    question_form = QuestionForm(initial={"kind": Question.Kind.SINGLE, "scale_points": 5})
    if request.method == "POST":
        found = policy.access_edit(request.user, slug)
        try:
            if "details" in request.POST:
                form = SurveyForm(request.POST, initial=initial, place_ids=policy.buildable_place_ids(request.user),
                                  editing=True)  # fmt: skip
                if form.is_valid():
                    services.update_survey(found, _survey_data(form.cleaned_data, found.slug))
                    messages.success(request, _("The survey has been saved."))
                    return redirect("voice:edit", slug=slug)
            elif "add-question" in request.POST:
                question_form = QuestionForm(request.POST)
                if question_form.is_valid():
                    services.add_question(found, _question_data(question_form.cleaned_data),
                                          seen=whole_number(request.POST.get("questions_shown")))  # fmt: skip
                    messages.success(request, _("The question has been added."))
                    return redirect("voice:edit", slug=slug)
            elif {"move-up", "move-down", "remove"} & set(request.POST):
                try:
                    target, seen = _question_seen(found, request.POST)
                    if "remove" in request.POST:
                        services.remove_question(target, seen=seen)
                        messages.success(request, _("The question has been removed."))
                    else:
                        services.move_question(target, -1 if "move-up" in request.POST else 1, seen=seen)
                        messages.success(request, _("The question has been moved."))
                except ValidationError as exc:
                    messages.error(request, exc.messages[0])
                return redirect("voice:edit", slug=slug)
            elif "launch" in request.POST:
                services.launch(found)
                messages.success(request, _("The survey has been launched."))
                return redirect("voice:edit", slug=slug)
            elif "publish" in request.POST or "unpublish" in request.POST:
                services.publish_results(found, "publish" in request.POST)
                messages.success(request, _("The results have been published.") if "publish" in request.POST
                                 else _("The results are no longer public."))  # fmt: skip
                return redirect("voice:edit", slug=slug)
        except ValidationError as exc:
            _apply_errors(question_form if "add-question" in request.POST else form, exc)
    return render(request, "voice/edit.html", {
        "survey": found, "form": form, "question_form": question_form, "locked": services.questions_locked(found),
        "questions": found.questions.prefetch_related("options"), "responses": services.submitted(found).count(),
        "kinds": presenters.kind_choices(),
    }, status=400 if form.errors or question_form.errors else 200)  # fmt: skip


def _question_data(d: dict[str, Any]) -> services.QuestionData:
    return services.QuestionData(
        kind=d["kind"], text=d["text"], text_cy=d["text_cy"], hint=d["hint"], hint_cy=d["hint_cy"],
        required=d["required"], options=d["option_pairs"], scale_points=d["scale_points"] or 5,
        low_label=d["low_label"], low_label_cy=d["low_label_cy"], high_label=d["high_label"],
        high_label_cy=d["high_label_cy"])  # fmt: skip


def _question_at(survey: Any, position: Any) -> Question:
    at = whole_number(position)
    found = survey.questions.filter(position=at).first() if at is not None else None
    if found is None:
        raise Http404
    return found


def _question_seen(survey: Any, posted: Any) -> tuple[Question, int]:
    """The question a page's button was for (by its id, within the survey) and the position the page showed it at;
    ValidationError if it is no longer in the survey."""
    position, pk = whole_number(posted.get("question")), whole_number(posted.get("question_id"))
    if position is None:
        raise Http404
    found = survey.questions.filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise ValidationError(services.changed_since_shown())
    return found, position


@staff_only
def question_edit(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    """Change one question's wording, options or settings, while nobody has started answering the survey."""
    found = policy.access_manage(request.user, slug)
    target = _question_at(found, position)
    options = list(target.options.all())
    initial = {**{f: getattr(target, f) for f in QuestionForm.base_fields if hasattr(target, f) and f != "options"},
               "options": "\n".join(o.text for o in options),
               "options_cy": "\n".join(o.text_cy for o in options)}  # fmt: skip
    form = QuestionForm(initial=initial)
    locked = services.questions_locked(found)
    if request.method == "POST":
        found = policy.access_edit(request.user, slug)
        form = QuestionForm(request.POST, initial=initial)
        if request.POST.get("question_id") != str(target.pk):  # another question is at this position now
            form.add_error(None, services.changed_since_shown())
        elif form.is_valid():
            try:
                services.update_question(target, _question_data(form.cleaned_data))
                messages.success(request, _("The question has been changed."))
                return redirect("voice:edit", slug=slug)
            except ValidationError as exc:
                _apply_errors(form, exc)
    return render(request, "voice/question_edit.html", {
        "survey": found, "question_form": form, "editing": target, "locked": locked,
        "kinds": presenters.kind_choices()}, status=400 if form.errors else 200)  # fmt: skip


def _theme_id(request: HttpRequest) -> int:
    """The theme a button names, or a clear refusal (never Python's own words about a bad number)."""
    posted = whole_number(request.POST.get("theme"))
    if posted is None:
        raise ValidationError(_("There is no such theme."))
    return posted


@staff_only
def theme_manage(request: HttpRequest, slug: str, position: int) -> HttpResponse:
    """The themes of one free-text question: find them (again), rename, merge and split."""
    found = policy.access_manage(request.user, slug)
    target = found.questions.filter(position=position, kind=Question.Kind.TEXT).first()
    if target is None:
        raise Http404
    if request.method == "POST":
        found = policy.access_edit(request.user, slug)
        try:
            if "run" in request.POST:
                themes.run(target)
                messages.success(request, _("The themes have been found again; your changes were kept."))
            elif "rename" in request.POST:
                themes.rename(target, _theme_id(request), request.POST.get("label", ""),
                              request.POST.get("label_cy", ""))  # fmt: skip
                messages.success(request, _("The theme has been renamed."))
            elif "merge" in request.POST:
                chosen = [whole_number(x) for x in request.POST.getlist("themes")]
                themes.merge(target, [pk for pk in chosen if pk is not None])
                messages.success(request, _("The themes have been merged."))
            elif "split" in request.POST:
                themes.split(target, _theme_id(request))
                messages.success(request, _("The theme has been split in two."))
        except (ValidationError, ValueError) as exc:
            messages.error(request, exc.messages[0] if isinstance(exc, ValidationError) else str(exc))
        return redirect("voice:themes", slug=slug, position=position)
    return render(request, "voice/themes.html", {"survey": found, "question": target,
                                                 "themes": themes.staff_view(target)})  # fmt: skip
