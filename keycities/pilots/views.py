"""Pilot pages. Public: published pilots, their outcomes and evaluations. Staff: drafts; the secretariat and
officers of a pilot's places: editing, milestones, outcomes, comparators, and starting an evaluation (a task).
Every write is one call into `services`; every rule is in `policy`."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from keycities.accounts.policy import secretariat_only, staff_only
from keycities.core.access import public
from keycities.core.bilingual import localised_text
from keycities.core.charts import Chart, choropleth
from keycities.core.text import whole_number
from keycities.library import policy as library_policy
from keycities.observatory import catalogue
from keycities.observatory import queries as observatory
from keycities.observatory.services import DATA_DIR
from keycities.proposals import policy as proposals_policy

from . import policy, presenters, services
from .forms import ComparatorsForm, MilestoneForm, OutcomeForm, PilotForm
from .models import Evaluation, Outcome, Pilot


def _errors(form: Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in error.messages:
            form.add_error(None, message)


@cache
def _boundaries() -> dict[str, Any]:
    """The local authority boundaries the observatory's maps draw (data/PROVENANCE.md)."""
    return json.loads((DATA_DIR / catalogue.BOUNDARIES).read_text(encoding="utf-8"))


def pilots_map(pilots: list[Pilot]) -> Chart | None:
    """The local authorities of the places with pilots, shaded by how many; member places outlined."""
    today = dt.date.today()
    counts: dict[str, float | None] = {}
    for pilot in pilots:
        for place in pilot.places.all():
            for area in place.areas_on(today):
                counts[area.area_code] = (counts.get(area.area_code) or 0) + 1
    if not counts:
        return None
    return choropleth(
        _("Pilots by local authority"),
        counts,
        topology=_boundaries(),
        layer="ltla",
        outline_codes=set(observatory.member_area_codes()),
        unit="count",
        higher_is_better=True,  # the blue-green hue, visible at one pilot; no judgement
        value_title=_("Pilots"),
        outline_label=_("Key Cities member"),
        no_data_label=_("No pilot"),
    )


@public
def index(request: HttpRequest) -> HttpResponse:
    pilots = list(policy.visible_pilots(request.user).prefetch_related("places__areas"))
    return render(
        request,
        "pilots/index.html",
        {"pilots": pilots, "map": pilots_map(pilots), "may_create": policy.may_create(request.user)},
    )


def indicator_name(slug: str) -> str:
    found = observatory.indicator(slug)
    return localised_text(found, "name") if found else slug


def evaluation_view(evaluation: Evaluation | None) -> dict[str, Any] | None:
    """What the page shows of an evaluation: its state, and its result or refusal in words."""
    if evaluation is None:
        return None
    out: dict[str, Any] = {"evaluation": evaluation}
    name = indicator_name(evaluation.outcome.indicator)
    if evaluation.state == Evaluation.State.REFUSED and evaluation.refusal:
        out["refusal"] = presenters.refusal_reason(evaluation.refusal)
    elif evaluation.state == Evaluation.State.DONE and evaluation.result:
        result = evaluation.result
        out["headline"] = presenters.headline(result, name)
        out["caveats"] = presenters.caveats(result, evaluation.sources)
        out["path"], out["gap"] = presenters.charts(result, name)
        out["weights"] = presenters.weight_rows(result)
    return out


@public
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    pilot = policy.access_pilot(request.user, slug)
    outcomes = [
        {"outcome": o, "indicator": indicator_name(o.indicator), "latest": o.evaluations.first()}
        for o in pilot.outcomes.select_related("place")
    ]
    return render(
        request,
        "pilots/detail.html",
        {
            "pilot": pilot,
            "outcomes": outcomes,
            "milestones": pilot.milestones.all(),
            "partners": pilot.partners.all(),
            "documents": library_policy.visible_publications(request.user).filter(pilots=pilot),
            "may_edit": policy.may_edit(request.user, pilot),
            "proposal": pilot.proposal
            if pilot.proposal_id
            and request.user.is_authenticated
            and proposals_policy.visible_proposals(request.user).filter(pk=pilot.proposal_id).exists()
            else None,
        },
    )


@public
def outcome(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = policy.access_outcome(request.user, slug, pk)
    may_edit = policy.may_edit(request.user, found.pilot)
    latest = found.evaluations.filter(state__in=[Evaluation.State.DONE, Evaluation.State.REFUSED]).first()
    pending = found.evaluations.filter(state__in=[Evaluation.State.WAITING, Evaluation.State.RUNNING]).first()
    form = ComparatorsForm(initial={"codes": "\n".join(found.comparators), "note": found.comparators_note})
    return render(
        request,
        "pilots/outcome.html",
        {
            "pilot": found.pilot,
            "outcome": found,
            "indicator": indicator_name(found.indicator),
            "may_edit": may_edit,
            "shown": evaluation_view(latest),
            "pending": pending,
            "form": form,
        },
    )


def _pilot_form_page(request: HttpRequest, pilot: Pilot | None) -> HttpResponse:
    initial = None
    if pilot is not None:
        initial = {f: getattr(pilot, f) for f in services.PILOT_FIELDS}
        initial.update(places=list(pilot.places.all()), partners=list(pilot.partners.all()),
                       documents=list(pilot.documents.all()))  # fmt: skip
    form = PilotForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = (
                services.update_pilot(pilot, form.cleaned_data, by=request.user)
                if pilot
                else services.create_pilot(form.cleaned_data, by=request.user)
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Pilot saved."))
            return redirect("pilots:edit", slug=saved.slug)
    milestone_form = MilestoneForm()
    outcome_form = OutcomeForm(pilot=pilot) if pilot else None
    return render(
        request,
        "pilots/edit.html",
        {"pilot": pilot, "form": form, "milestone_form": milestone_form, "outcome_form": outcome_form},
        status=400 if form.errors else 200,
    )


@secretariat_only
def create(request: HttpRequest) -> HttpResponse:
    return _pilot_form_page(request, None)


@staff_only
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    return _pilot_form_page(request, policy.access_for_edit(request.user, slug))


@staff_only
def milestone(request: HttpRequest, slug: str) -> HttpResponse:
    """Add a milestone, or change one (its id in `milestone`)."""
    pilot = policy.access_for_edit(request.user, slug)
    if request.method != "POST":
        return redirect("pilots:edit", slug=pilot.slug)
    form = MilestoneForm(request.POST)
    chosen = request.POST.get("milestone", "")
    existing = pilot.milestones.filter(pk=whole_number(chosen) or 0).first()  # 0: no row
    if form.is_valid():
        services.save_milestone(pilot, form.cleaned_data, by=request.user, milestone=existing)
        messages.success(request, _("Milestone saved."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("pilots:edit", slug=pilot.slug)


@staff_only
def add_outcome(request: HttpRequest, slug: str) -> HttpResponse:
    pilot = policy.access_for_edit(request.user, slug)
    form = OutcomeForm(request.POST or None, pilot=pilot)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.add_outcome(pilot, form.cleaned_data, by=request.user)
        except ValidationError as error:
            _errors(form, error)
        else:
            return redirect("pilots:outcome", slug=pilot.slug, pk=added.pk)
    return render(
        request, "pilots/add_outcome.html", {"pilot": pilot, "form": form}, status=400 if form.errors else 200
    )


@staff_only
def comparators(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = policy.access_outcome_for_edit(request.user, slug, pk)
    if request.method == "POST":
        form = ComparatorsForm(request.POST)
        if form.is_valid():
            try:
                services.set_comparators(found, form.codes_list(), form.cleaned_data["note"], by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Comparators saved."))
    return redirect("pilots:outcome", slug=found.pilot.slug, pk=found.pk)


@staff_only
def evaluate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found: Outcome = policy.access_outcome_for_edit(request.user, slug, pk)
    if request.method == "POST":
        services.start_evaluation(found, by=request.user)
        messages.success(request, _("Evaluation started: it runs in the background and this page shows its result."))
    return redirect("pilots:outcome", slug=found.pilot.slug, pk=found.pk)


@secretariat_only
def from_proposal(request: HttpRequest, reference: str) -> HttpResponse:
    """Make a pilot of a proposal marked as a pilot candidate (POST), keeping the link to its history."""
    proposal = proposals_policy.access_proposal(request.user, reference)
    if request.method != "POST":
        return redirect("proposals:review", reference=proposal.reference)
    try:
        pilot = services.pilot_from_proposal(proposal, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("proposals:review", reference=proposal.reference)
    messages.success(request, _("The pilot was made from the proposal: complete it and publish it."))
    return redirect("pilots:edit", slug=pilot.slug)
