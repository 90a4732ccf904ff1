"""'Work with us' pages: the public form (form → check your answers →
confirmation), the submitter's status page, and the reviewers' queue."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from keycities.accounts.policy import is_secretariat, secretariat_only
from keycities.core import erasure
from keycities.core.access import personal, public, signed_in
from keycities.core.api import csv_response
from keycities.core.bilingual import localised_text
from keycities.core.files import download
from keycities.core.ratelimit import allow, client_ip
from keycities.core.tasks import UPLOADS_DIR
from keycities.network.models import Place, WorkArea, WorkAreaLead
from keycities.network.queries import member_place_ids

from . import policy, services, similarity
from .forms import (
    MAX_FILES,
    QUEUE_ORDER,
    AdditionForm,
    NoteForm,
    PersonForm,
    ProposalForm,
    QueueFilter,
    TransitionForm,
    check_upload,
)
from .models import FINISHED, OPEN, TRANSITIONS, Event, Proposal, Status

QUEUE_PAGE = 50  # proposals per page of the queue
DRAFT, FILES, DONE = "proposal_draft", "proposal_files", "proposal_done"
SUBMISSIONS_PER_HOUR = 5
MAX_REQUEST_BYTES = 35 * 1024 * 1024


def _kept_files(request: HttpRequest) -> list[dict[str, Any]]:
    return [f for f in request.session.get(FILES, []) if "stored" in f and default_storage.exists(f["stored"])]


def _keep(upload: UploadedFile, kind: str) -> dict[str, Any]:
    """Store a checked upload in the default storage until the proposal is submitted (or the clean-up task
    deletes it, a day later)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = default_storage.save(f"{UPLOADS_DIR}/{uuid.uuid4().hex}.upload", upload)
    return {"stored": stored, "name": Path(upload.name or "document").name[:200], "type": kind, "size": upload.size,
            "sha256": digest.hexdigest()}  # fmt: skip


@public
@personal
def start(request: HttpRequest) -> HttpResponse:
    """The form. Valid answers go to the session and on to 'check your answers'; on an error nothing
    typed is lost, and files already accepted are kept."""
    if request.method == "POST":
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_REQUEST_BYTES:
            return render(request, "proposals/too_large.html", status=413)
        form = ProposalForm(request.POST)
        kept = [f for i, f in enumerate(_kept_files(request)) if f"remove_file_{i}" not in request.POST]
        file_errors = []
        uploads = request.FILES.getlist("attachments")
        checked = []
        if len(kept) + len(uploads) > MAX_FILES:
            file_errors.append(_("Attach up to %(count)s files") % {"count": MAX_FILES})
        else:
            for upload in uploads:
                kind, error = check_upload(upload)
                if kind is None:
                    file_errors.append(error)
                else:
                    checked.append((upload, kind))
        valid = form.is_valid()
        if form.data.get("website"):  # the honeypot: a person never fills it
            return render(request, "proposals/refused.html", status=400)
        if valid and not file_errors:
            # Only now, with the whole form valid, is anything stored.
            request.session[FILES] = kept + [_keep(upload, kind) for upload, kind in checked]
            data = form.cleaned_data
            # The draft keeps one key however often it is changed, until it is sent: sending it twice finds the
            # proposal the first sending made (services.submit).
            key = (request.session.get(DRAFT) or {}).get("key") or uuid.uuid4().hex
            request.session[DRAFT] = {
                "key": key,
                **{k: data[k] for k in ("name", "email", "organisation", "organisation_type", "title", "summary",
                                        "details", "not_sure")},
                "work_areas": [w.slug for w in data["work_areas"]], "places": [p.slug for p in data["places"]],
            }  # fmt: skip
            return redirect("proposals:check")
        request.session[FILES] = kept
        if checked:
            names = ", ".join(Path(u.name or "document").name for u, _ in checked)
            file_errors.append(
                _("Attach %(names)s again: files are kept once the rest of the form is correct") % {"names": names}
            )
        for error in file_errors:
            form.add_error(None, error)
    else:
        draft = request.session.get(DRAFT)
        chosen = request.GET.get("work_area")
        initial = draft or ({"work_areas": [chosen]} if chosen else {})
        if not draft and request.user.is_authenticated:  # a signed-in partner's details, from their account
            user = request.user
            initial = {**initial, "name": user.get_full_name(), "email": user.email,
                       "organisation": getattr(user, "organisation", "")}  # fmt: skip
        form = ProposalForm(initial=initial or None)
    return render(request, "proposals/form.html", {"form": form, "kept": _kept_files(request),
                                                   "work_areas": _work_areas_with_leads(),
                                                   "word_count_i18n": word_count_i18n()})  # fmt: skip


PLURAL_RULES = ("zero", "one", "two", "few", "many", "other")  # every CLDR category, Welsh uses all six


def word_count_i18n() -> list[tuple[str, str]]:
    """The messages GOV.UK Frontend's character count shows as words are typed, in the page's language, as
    `data-i18n.*` attributes (`%{count}` is the component's placeholder). Only English's "one" differs."""
    count = {"count": "%{count}"}
    under, over = _("You have %(count)s words remaining") % count, _("You have %(count)s words too many") % count
    attributes = [("words-at-limit", _("You have 0 words remaining"))]
    for rule in PLURAL_RULES:
        one = rule == "one"
        attributes.append(
            (f"words-under-limit.{rule}", _("You have %(count)s word remaining") % count if one else under)
        )
        attributes.append((f"words-over-limit.{rule}", _("You have %(count)s word too many") % count if one else over))
    return attributes


def _work_areas_with_leads() -> QuerySet[WorkArea]:
    return WorkArea.objects.prefetch_related(
        Prefetch("lead_links", queryset=WorkAreaLead.objects.select_related("place"))
    )


def _suggestions(draft: dict[str, Any]) -> list[dict[str, Any]]:
    from .suggest import WorkAreaText, suggest

    areas = [WorkAreaText(w.slug, w.name, w.description) for w in WorkArea.objects.all()]
    return [{"slug": s.slug, "name": s.name, "score": round(s.score, 3)}
            for s in suggest(draft["title"], f"{draft['summary']}\n{draft['details']}", areas)]  # fmt: skip


@public
@personal
def check(request: HttpRequest) -> HttpResponse:
    draft = request.session.get(DRAFT)
    if not draft:
        return redirect("proposals:start")
    suggestions = _suggestions(draft)
    routed = draft["work_areas"] or [suggestions[0]["slug"]]
    if request.method == "POST":
        # Per account for a signed-in partner (a council office shares one address), per address for the public.
        who = f"user:{request.user.pk}" if request.user.is_authenticated else client_ip(request)
        if not allow("proposal-submit", who, limit=SUBMISSIONS_PER_HOUR, window=3600):
            return render(request, "proposals/rate_limited.html", status=429)
        files = _kept_files(request)
        sent = services.submit(services.Draft(
            name=draft["name"], email=draft["email"], organisation=draft["organisation"],
            organisation_type=draft["organisation_type"], work_areas=list(WorkArea.objects.filter(slug__in=routed)),
            not_sure=draft["not_sure"], places=list(Place.objects.filter(slug__in=draft["places"])),
            title=draft["title"], summary=draft["summary"], details=draft["details"],
            files=[(f["stored"], f["name"], f["type"], f["size"], f["sha256"]) for f in files],
            language=translation.get_language() or settings.LANGUAGE_CODE,
        ), user=request.user, key=draft.get("key"), suggestions=suggestions,
           embedding=similarity.embed(f"{draft['title']}\n{draft['summary']}"))  # fmt: skip
        for name in (DRAFT, FILES):
            request.session.pop(name, None)
        request.session[DONE] = {"reference": sent.proposal.reference, "email": sent.proposal.email,
                                 "routing": services.routing(sent.proposal)}  # fmt: skip
        return redirect("proposals:confirmation")
    names = {w.slug: localised_text(w, "name") for w in WorkArea.objects.all()}
    return render(request, "proposals/check.html", {
        "draft": draft, "files": _kept_files(request),
        "suggestions": [{**s, "name": names.get(s["slug"], s["name"])} for s in suggestions[:3]],
        "work_area_names": [names[s] for s in draft["work_areas"]],
        "routed_names": [names[s] for s in routed],
        "place_names": [localised_text(p, "name") for p in Place.objects.filter(slug__in=draft["places"])],
        "organisation_type": dict(ProposalForm.base_fields["organisation_type"].choices)[draft["organisation_type"]],  # type: ignore[attr-defined]
    })  # fmt: skip


@public
@personal
def confirmation(request: HttpRequest) -> HttpResponse:
    done = request.session.get(DONE)
    if not done:
        return redirect("proposals:start")
    return render(request, "proposals/confirmation.html", {"done": done})


@public
@personal
def status(request: HttpRequest, token: str) -> HttpResponse:
    """The submitter's page, reached by the unguessable link in their confirmation email."""
    proposal = policy.access_by_token(token)
    form = AdditionForm(request.POST or None)
    if request.method == "POST":
        try:
            if "withdraw" in request.POST:  # asks first: withdrawing cannot be undone
                return render(request, "proposals/withdraw_confirm.html", {
                    "proposal": proposal, "token": token, "seen": request.POST.get("seen", "")})  # fmt: skip
            if "confirm-withdraw" in request.POST:
                services.withdraw(proposal, seen=request.POST.get("seen") or None)
                messages.success(request, _("Your proposal has been withdrawn."))
                return redirect("proposals:status", token=token)
            if form.is_valid():
                services.add_information(proposal, form.cleaned_data["text"])
                messages.success(request, _("Thank you. The information has been added to your proposal."))
                return redirect("proposals:status", token=token)
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
    events = [e for e in proposal.events.all() if e.kind in {Event.Kind.SUBMITTED, Event.Kind.TRANSITION,
                                                            Event.Kind.ADDITION}]  # fmt: skip
    return render(request, "proposals/status.html", {
        "proposal": proposal, "events": events, "form": form, "token": token,
        "finished": proposal.status in FINISHED, "routing": services.routing(proposal),
    })  # fmt: skip


# --------------------------------------------------------------------------- reviewers


def _queue(request: HttpRequest) -> tuple[QuerySet[Proposal], QueueFilter]:
    lead_places = Prefetch("work_areas", queryset=WorkArea.objects.prefetch_related("lead_links__place"))
    qs = policy.visible_proposals(request.user).prefetch_related(lead_places).select_related("reviewer", "referred_to")
    places = Place.objects.filter(pk__in=member_place_ids()).order_by("name") if is_secretariat(request.user) else None
    form = QueueFilter(request.GET or None, places=places)
    order = QUEUE_ORDER["due"]
    if form.is_valid():
        data = form.cleaned_data
        if data["status"]:
            qs = qs.filter(status=data["status"])
        if data["work_area"]:
            qs = qs.filter(work_areas=data["work_area"])
        if data["place"]:
            qs = qs.routed_to(data["place"])
        if data["overdue"]:
            qs = qs.filter(status__in=OPEN, first_response_at__isnull=True, first_response_due__lt=timezone.localdate())
        if data["mine"]:
            qs = qs.filter(reviewer=request.user)
        if data["unassigned"]:
            qs = qs.filter(reviewer__isnull=True)
        order = QUEUE_ORDER.get(data["sort"] or "due", order)
    return qs.order_by(*order), form


@signed_in
def queue(request: HttpRequest) -> HttpResponse:
    if not policy.sees_review_queue(request.user):
        return render(request, "proposals/mine.html", {"proposals": policy.visible_proposals(request.user)})
    proposals, form = _queue(request)
    page = Paginator(proposals, QUEUE_PAGE).get_page(request.GET.get("page"))
    current = (form.cleaned_data.get("sort") if form.is_bound and form.is_valid() else "") or "due"
    sorts = {}  # each sortable column: the address that sorts by it (reversed if it is the order now), aria-sort
    for key in ("sent", "status", "due", "reviewer"):
        query = request.GET.copy()
        query["sort"] = f"-{key}" if current == key else key
        query.pop("page", None)
        aria = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
        sorts[key] = {"href": "?" + query.urlencode(), "aria": aria}
    without_page = request.GET.copy()
    without_page.pop("page", None)
    return render(request, "proposals/queue.html", {
        "proposals": page, "page": page, "form": form, "today": timezone.localdate(), "sorts": sorts,
        "query": without_page.urlencode(),
    })  # fmt: skip


@signed_in
def export(request: HttpRequest) -> HttpResponse:
    policy.access_queue_export(request.user)
    proposals, _ = _queue(request)
    header = ["reference", "title", "status", "work_areas", "organisation", "organisation_type", "submitted_at",
              "first_response_due", "first_response_at", "reviewer", "referred_to", "language"]  # fmt: skip
    return csv_response("proposals.csv", header, ([
        p.reference, p.title, p.get_status_display(), "; ".join(w.name for w in p.work_areas.all()),
        p.organisation, p.get_organisation_type_display(), p.submitted_at.isoformat(),
        p.first_response_due.isoformat(), p.first_response_at.isoformat() if p.first_response_at else "",
        p.reviewer.display_name if p.reviewer else "", p.referred_to.name if p.referred_to else "", p.language,
    ] for p in proposals))  # fmt: skip


@signed_in
def review(request: HttpRequest, reference: str) -> HttpResponse:
    proposal = policy.access_proposal(request.user, reference)
    reviewer = policy.may_review(request.user, proposal)
    transition_form, note_form = TransitionForm(prefix="t"), NoteForm(prefix="n")
    if request.method == "POST":
        proposal = policy.access_for_review(request.user, reference)
        try:
            if "transition" in request.POST:
                transition_form = TransitionForm(request.POST, prefix="t")
                if transition_form.is_valid():
                    d = transition_form.cleaned_data
                    services.transition(proposal, d["status"], by=request.user, note=d["note"],
                                        public_answer=d["public_answer"], referred_to=d["referred_to"],
                                        seen=d["seen"] or None)  # fmt: skip
                    status = Status(d["status"]).label.lower()
                    messages.success(request, _("Status changed to %(status)s.") % {"status": status})
                    return redirect(proposal.get_absolute_url())
            elif "note" in request.POST:
                note_form = NoteForm(request.POST, prefix="n")
                if note_form.is_valid():
                    services.add_note(proposal, note_form.cleaned_data["note"], by=request.user)
                    messages.success(request, _("Note added."))
                    return redirect(proposal.get_absolute_url())
            elif "assign" in request.POST:
                who = request.POST.get("reviewer") or None
                candidates = policy.eligible_reviewers(proposal)
                chosen = next((u for u in candidates if str(u.pk) == who), None)
                if who and chosen is None:
                    messages.error(request, _("Choose a reviewer from the list."))
                    return redirect(proposal.get_absolute_url())
                services.assign(proposal, chosen, by=request.user)
                messages.success(request, _("Reviewer updated."))
                return redirect(proposal.get_absolute_url())
        except ValidationError as exc:
            transition_form.add_error(None, exc.messages[0])
    internals = policy.sees_internals(request.user, proposal)
    similar = similarity.similar(proposal, policy.visible_proposals(request.user)) if internals else []
    return render(request, "proposals/review.html", {
        "proposal": proposal, "events": policy.history_for(request.user, proposal), "internals": internals,
        "can_review": reviewer, "transition_form": transition_form, "note_form": note_form,
        "allowed": [str(s) for s in TRANSITIONS[proposal.status]],
        "reviewers": policy.eligible_reviewers(proposal) if reviewer else [], "similar": similar,
        "suggestions": _named(proposal.suggestions[:3]) if internals else [], "today": timezone.localdate(),
    })  # fmt: skip


def _named(suggestions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Suggestions as stored (with the English names of their time), named in the page's language."""
    names = {
        w.slug: localised_text(w, "name") for w in WorkArea.objects.filter(slug__in=[s["slug"] for s in suggestions])
    }
    return [{**s, "name": names.get(s["slug"], s["name"])} for s in suggestions]


@signed_in
def attachment(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    found = policy.access_attachment(request.user, reference, pk)
    return download(found.file, filename=found.original_name, content_type=found.content_type)


@secretariat_only
def people(request: HttpRequest) -> HttpResponse:
    """Export or erase one person's data on request; erasing asks for confirmation first."""
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if "erase" in request.POST:
            person = erasure.find(email)
            found = {"accounts": len(person.user_ids), "proposals": services.count_for_person(person)}
            return render(request, "proposals/people_confirm.html", {"email": email, "found": found})
        if "confirm-erase" in request.POST:
            erasure.erase_person(email, by=request.user)
            messages.success(request, _("The personal data of %(email)s has been erased.") % {"email": email})
            return redirect("proposals:people")
        data = services.record_export(email, by=request.user)
        response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="personal-data-{dt.date.today()}.json"'
        return response
    return render(request, "proposals/people.html", {"form": form})
