"""Writes for pilots; each public function is one transaction, and django-auditlog records every create, update
and delete of pilots, milestones, outcomes (with their comparator lists) and evaluations (apps.py)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from keycities.network.models import Place
from keycities.observatory import queries as observatory
from keycities.observatory.aggregation import Store
from keycities.proposals import services as proposals
from keycities.proposals.models import Proposal, Status

from . import estimation, panel
from .models import Evaluation, Milestone, Outcome, Pilot

GSS = re.compile(r"[EWSNK]\d{8}")
PILOT_FIELDS = (
    "name",
    "name_cy",
    "kind",
    "published",
    "work_area",
    "other_partners",
    "funder",
    "funding",
    "start",
    "end",
    "summary",
    "summary_cy",
    "expected_outcomes",
    "expected_outcomes_cy",
    "claimed_savings",
    "savings_method",
)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "pilot"
    slug, n = base, 2
    while Pilot.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save(pilot: Pilot, data: dict[str, Any]) -> Pilot:
    for name in PILOT_FIELDS:
        if name in data:
            setattr(pilot, name, data[name])
    pilot.full_clean(exclude=["slug"] if not pilot.slug else None)
    pilot.save()
    if "places" in data:
        pilot.places.set(data["places"])
    if "partners" in data:
        pilot.partners.set(data["partners"])
    if "documents" in data:
        pilot.documents.set(data["documents"])
    if not pilot.places.exists():
        raise ValidationError({"places": _("Choose at least one member place.")})
    return pilot


@transaction.atomic
def create_pilot(data: dict[str, Any], *, by: Any) -> Pilot:
    pilot = Pilot(slug=_unique_slug(data["name"]), created_by=by)
    return _save(pilot, data)


@transaction.atomic
def update_pilot(pilot: Pilot, data: dict[str, Any], *, by: Any) -> Pilot:
    pilot = Pilot.objects.select_for_update().get(pk=pilot.pk)
    return _save(pilot, data)


@transaction.atomic
def pilot_from_proposal(proposal: Proposal, *, by: Any) -> Pilot:
    """A draft pilot from a proposal marked as a pilot candidate: its title, summary, places and first work area;
    the pilot keeps the link to the proposal (and so its history), and the proposal's history records the pilot."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Status.PILOT_CANDIDATE:
        raise ValidationError(_("Only a proposal marked as a pilot candidate can become a pilot."))
    if Pilot.objects.filter(proposal=proposal).exists():
        raise ValidationError(_("This proposal is already a pilot."))
    places = list(Place.objects.members_of(observatory.KEY_CITIES).filter(proposals_about=proposal))
    if not places and proposal.referred_to_id:
        places = [proposal.referred_to] if proposal.referred_to else []
    pilot = Pilot(
        slug=_unique_slug(proposal.title),
        created_by=by,
        proposal=proposal,
        name=proposal.title,
        summary=proposal.summary,
        kind="new-approach",
        work_area=proposal.work_areas.order_by("name").first(),
    )
    pilot.full_clean(exclude=["slug"])
    pilot.save()
    pilot.places.set(places)
    proposals.add_note(
        proposal, _("Became the pilot “%(name)s” (%(slug)s).") % {"name": pilot.name, "slug": pilot.slug}, by=by
    )
    return pilot


@transaction.atomic
def save_milestone(pilot: Pilot, data: dict[str, Any], *, by: Any, milestone: Milestone | None = None) -> Milestone:
    if milestone is None:
        milestone = Milestone(pilot=pilot)
    elif milestone.pilot_id != pilot.pk:
        raise ValidationError("The milestone is not in this pilot.")
    milestone.title, milestone.due, milestone.status = data["title"], data["due"], data["status"]
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def add_outcome(pilot: Pilot, data: dict[str, Any], *, by: Any) -> Outcome:
    if observatory.indicator(data["indicator"]) is None:
        raise ValidationError({"indicator": _("There is no such indicator.")})
    if not pilot.places.filter(pk=data["place"].pk).exists():
        raise ValidationError({"place": _("Choose one of the pilot’s places.")})
    if pilot.outcomes.filter(indicator=data["indicator"], place=data["place"]).exists():
        raise ValidationError({"indicator": _("The pilot already has this outcome for this place.")})
    outcome = Outcome(
        pilot=pilot,
        indicator=data["indicator"],
        place=data["place"],
        intervention=data["intervention"],
        expected=data["expected"],
    )
    outcome.full_clean()
    outcome.save()
    return outcome


@transaction.atomic
def set_comparators(outcome: Outcome, codes: list[str], note: str, *, by: Any) -> Outcome:
    """Staff's own list of comparator local authorities (empty: back to the default), with why; the change is in
    the audit log with its before and after."""
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    codes = sorted({c.strip().upper() for c in codes if c.strip()})
    malformed = [c for c in codes if not GSS.fullmatch(c)]
    if malformed:
        raise ValidationError(_("These are not GSS codes: %(codes)s.") % {"codes": ", ".join(malformed)})
    excluded = panel.place_codes(list(outcome.pilot.places.all()))
    bad = [c for c in codes if c in excluded]
    if bad:
        raise ValidationError(_("These areas are in the pilot’s own places: %(codes)s.") % {"codes": ", ".join(bad)})
    if codes and not note.strip():
        raise ValidationError(_("Say why the comparators were changed."))
    outcome.comparators, outcome.comparators_note = codes, note.strip()
    outcome.save(update_fields=["comparators", "comparators_note"])
    return outcome


@transaction.atomic
def start_evaluation(outcome: Outcome, *, by: Any) -> Evaluation:
    """Evaluate the outcome in the background; the evaluation shows the task's progress."""
    from .tasks import evaluate_outcome

    evaluation = Evaluation.objects.create(
        outcome=outcome, requested_by=by, default_comparators=not outcome.comparators
    )
    transaction.on_commit(lambda: evaluate_outcome.enqueue(evaluation.pk))
    return evaluation


def run_evaluation(evaluation_id: int, store: Store | None = None) -> Evaluation:
    """The evaluation (the task's body): the panel from the observatory, the comparators (staff's list, or the
    most similar local authorities), then the estimates, each placebo recorded as progress; a refusal is stored
    with its reason instead of a number."""
    evaluation = Evaluation.objects.select_related("outcome", "outcome__place", "outcome__pilot").get(pk=evaluation_id)
    outcome = evaluation.outcome
    Evaluation.objects.filter(pk=evaluation_id).update(state=Evaluation.State.RUNNING)
    ind = observatory.indicator(outcome.indicator)
    first_post = panel.first_post_year(outcome.intervention)
    result = refusal = None
    sources: dict[str, Any] = {}
    comparators: list[str] = []
    try:
        if ind is None:
            raise estimation.Refusal("no-indicator")
        data, sources = panel.build(ind, outcome.place, store)
        excluded = panel.place_codes(list(outcome.pilot.places.all()))
        if outcome.comparators:
            comparators = [c for c in outcome.comparators if c not in excluded]
        else:
            estimation.check(data, first_post, [c for c in data.series if c != data.treated])  # refuse early
            comparators = estimation.similar(data, first_post, excluded)

        def progress(done: int, total: int) -> None:
            Evaluation.objects.filter(pk=evaluation_id).update(done=done, total=total)

        result = estimation.evaluate(data, first_post, comparators, expected=outcome.expected, progress=progress)
    except estimation.Refusal as refused:
        refusal = {"code": refused.code, "params": refused.params}
    with transaction.atomic():
        Evaluation.objects.filter(pk=evaluation_id).update(
            state=Evaluation.State.REFUSED if refusal else Evaluation.State.DONE,
            result=result,
            refusal=refusal,
            comparators=comparators,
            sources=sources,
            finished_at=timezone.now(),
        )
    evaluation.refresh_from_db()
    return evaluation
