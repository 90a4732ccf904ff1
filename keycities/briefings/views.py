"""Briefing pages. Public: issued packs about the group and the work areas. Staff: a member place's issued
packs. Secretariat: writing packs, their narrative with figure tokens, and issuing them. Every write is one call
into `services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from keycities.accounts.policy import secretariat_only
from keycities.claims import queries as claims
from keycities.claims.models import Comparison
from keycities.core.access import public
from keycities.core.api import csv_response
from keycities.core.text import whole_number
from keycities.observatory.aggregation import Store

from . import content, exports, policy, presenters, services, tokens
from .forms import PackForm, SectionForm, SendForm
from .models import Batch, Issue, Pack

DOWNLOADS = {"pdf": "application/pdf",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "csv": "text/csv"}  # fmt: skip


def frozen(issue: Issue) -> dict[str, Any]:
    """The issue's content in the page's language, with its changes as sentences."""
    data = dict(issue.content.get("cy" if get_language() == "cy" else "en") or issue.content["en"])
    data["changes"] = [presenters.change_sentence(c) for c in issue.changes]
    return data


@public
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "briefings/index.html", {"issues": policy.latest_issues(request.user),
                                                    "may_edit": policy.may_edit(request.user)})  # fmt: skip


@public
def issue(request: HttpRequest, pack: int, version: int) -> HttpResponse:
    found = policy.access_issue(request.user, pack, version)
    versions = policy.visible_issues(request.user).filter(pack_id=pack).order_by("-version")
    recipients = found.recipients.select_related("person") if policy.may_edit(request.user) else None
    return render(request, "briefings/issue.html", {"issue": found, "data": frozen(found), "versions": versions,
                                                    "recipients": recipients})  # fmt: skip


@secretariat_only
def send(request: HttpRequest, pack: int, version: int) -> HttpResponse:
    """Record that the issued pack went to people from the contacts: one interaction with each."""
    found = policy.access_issue(request.user, pack, version)
    people = policy.recipients_for(request.user)
    form = SendForm(request.POST or None, people=people,
                    initial={"on": timezone.localdate().isoformat(), "kind": "email"})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        made = services.send_issue(found, list(form.cleaned_data["people"]), form.cleaned_data["kind"],
                                   form.cleaned_data["on"], by=request.user)  # fmt: skip
        messages.success(request, ngettext("Sent to %(n)s person: an interaction was recorded.",
                                           "Sent to %(n)s people: an interaction was recorded with each.",
                                           len(made)) % {"n": len(made)})  # fmt: skip
        return redirect(found.get_absolute_url())
    return render(request, "briefings/send.html", {
        "issue": found, "form": form, "recipients": found.recipients.select_related("person")},
        status=400 if form.errors else 200)  # fmt: skip


@public
def download(request: HttpRequest, pack: int, version: int, fmt: str) -> HttpResponse:
    """The issued pack as PDF or DOCX (the same frozen content as the page), or its figures as CSV."""
    if fmt not in DOWNLOADS:
        raise Http404
    found = policy.access_issue(request.user, pack, version)
    name = f"key-cities-briefing-{pack}-v{version}"
    if fmt == "csv":
        return csv_response(f"{name}.csv", presenters.FIGURE_HEADER, presenters.figure_rows(found.figures))
    data = frozen(found)
    body = (exports.build_pdf(data, version, get_language() or "en") if fmt == "pdf"
            else exports.build_docx(data, version))  # fmt: skip
    response = HttpResponse(body, content_type=DOWNLOADS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@secretariat_only
def packs(request: HttpRequest) -> HttpResponse:
    form = PackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pack = services.create_pack(form.cleaned_data, by=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("briefings:edit", pk=pack.pk)
    return render(request, "briefings/packs.html", {"packs": Pack.objects.prefetch_related("issues"), "form": form,
                                                    "batches": Batch.objects.all()[:3]},
                  status=400 if form.errors else 200)  # fmt: skip


@secretariat_only
def batch(request: HttpRequest) -> HttpResponse:
    """Issue a pack for every member place as a background task (its progress shows on the packs page)."""
    if request.method == "POST":
        of = request.POST.get("of", Batch.For.PLACES)
        if of not in Batch.For.values:
            of = Batch.For.PLACES
        services.start_batch(of, by=request.user)
        messages.success(request, _("Issuing a pack for every member place: progress is shown below.")
                         if of == Batch.For.PLACES else
                         _("Issuing a pack for every MP in member places: progress is shown below."))  # fmt: skip
    return redirect("briefings:packs")


@secretariat_only
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The pack's narrative sections (a token whose figure changed since it was written is flagged) and the pack
    as it would be issued now."""
    pack = policy.access_pack(request.user, pk)
    store = Store()
    form = SectionForm(request.POST or None)
    editing = None
    if request.method == "POST":
        if "delete" in request.POST:
            chosen = request.POST.get("delete", "")
            section = pack.sections.filter(pk=whole_number(chosen) or 0).first()  # 0: no row
            if section:
                services.delete_section(section, by=request.user)
            return redirect("briefings:edit", pk=pack.pk)
        chosen = request.POST.get("section", "")
        editing = pack.sections.filter(pk=whole_number(chosen) or 0).first()  # 0: no row
        if form.is_valid():
            try:
                services.save_section(pack, form.cleaned_data["heading"], form.cleaned_data["body"],
                                      by=request.user, section=editing, store=store)  # fmt: skip
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("body", message)
            else:
                messages.success(request, _("Section saved."))
                return redirect("briefings:edit", pk=pack.pk)
    claims = claim_numbers()
    sections = []
    for section in pack.sections.all():
        try:
            current = tokens.validate(section.body, store)
        except tokens.TokenError:
            current = {}
        sections.append({"section": section, "stale": presenters.stale(section.figures, current),
                         "suggestions": presenters.token_suggestions(section.body, claims)})  # fmt: skip
    if request.method == "GET" and (shown := whole_number(request.GET.get("section"))) is not None:
        editing = pack.sections.filter(pk=shown).first()
        if editing:
            form = SectionForm(initial={"heading": editing.heading, "body": editing.body})
    return render(request, "briefings/edit.html", {
        "pack": pack, "sections": sections, "form": form, "editing": editing, "preview": content.build(pack, store),
        "issues": pack.issues.order_by("-version")}, status=400 if form.errors else 200)  # fmt: skip


def claim_numbers() -> list[dict[str, Any]]:
    """The numbers published claims make, with the token for the live figure (claims of a number only)."""
    out = []
    for claim in claims.claims().filter(comparison=Comparison.NUMBER, indicator__isnull=False):
        assert claim.indicator is not None
        latest = claims.latest(claim)
        period = claim.period or (latest.period if latest else None)
        token = f"{{{{{claim.indicator.slug}:{claim.group.slug}:{period or 'latest'}}}}}"
        for value in {v for v in (claim.target, latest.figure if latest else None) if v is not None}:
            out.append({"label": claim.headline, "token": token, "value": value, "unit": claim.indicator.unit})
    return out


@secretariat_only
def issue_now(request: HttpRequest, pk: int) -> HttpResponse:
    pack = policy.access_pack(request.user, pk)
    if request.method != "POST":
        return redirect("briefings:edit", pk=pack.pk)
    try:
        issued = services.issue_pack(pack, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("briefings:edit", pk=pack.pk)
    messages.success(request, _("Version %(n)s issued.") % {"n": issued.version})
    return redirect(issued.get_absolute_url())
