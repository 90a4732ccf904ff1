"""Reads for consultation pages: evidence with its current value, review status, the ledger.

Evidence is read only through the observatory's and the claims register's public
functions (`observatory.queries`, `observatory.aggregation.group_figure`, `claims.queries`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from keycities.claims import queries as claims
from keycities.core.bilingual import is_welsh, official_name
from keycities.core.charts import format_value
from keycities.network.models import Group, Place
from keycities.observatory import queries as observatory
from keycities.observatory.aggregation import AggregationError, Store, group_figure

from . import services
from .models import (
    ENDORSING,
    POSITIONS,
    Ask,
    Comment,
    Consultation,
    ConsultationQuerySet,
    Evidence,
    Review,
    Section,
    Stage,
)


@dataclass
class EvidenceView:
    """What a page shows for one piece of evidence: its current value and where it comes from."""

    evidence: Evidence
    label: str
    value: str = ""
    detail: str = ""
    sources: list[str] = field(default_factory=list)
    url: str = ""
    problem: str = ""


def evidence_view(e: Evidence, store: Store) -> EvidenceView:
    if e.kind == Evidence.Kind.FIGURE:
        ind = observatory.indicator(e.indicator)
        if ind is None:
            return EvidenceView(e, e.indicator, problem=_("This indicator is no longer in the evidence base."))
        try:
            fig = group_figure(e.group, ind, as_of=timezone.localdate(), store=store)
        except (AggregationError, Group.DoesNotExist) as exc:  # no data, or a group since removed
            return EvidenceView(e, ind.name, problem=str(exc) or _("No figure is available."),
                                url=ind.get_absolute_url())  # fmt: skip
        value = format_value(fig.value, ind.unit) if fig.value is not None else _("cannot be combined for a group")
        included = _("%(included)s of %(total)s members included") % {
            "included": len(fig.members), "total": len(fig.members) + len(fig.missing)}  # fmt: skip
        return EvidenceView(e, f"{ind.name}, {fig.group_name}", value=value,
                            detail=f"{ind.label_period(fig.period)}; {fig.method.rstrip('.')}; {included}.",
                            sources=[r.citation for r in fig.releases], url=ind.get_absolute_url())  # fmt: skip
    claim = claims.claims().filter(pk=e.claim_id).first() if e.claim_id else None
    if claim is None:
        return EvidenceView(e, _("Claim %(number)s") % {"number": e.claim_id},
                            problem=_("This claim is no longer in the register."))  # fmt: skip
    latest = claims.latest(claim)
    if latest is None:
        return EvidenceView(e, claim.headline, value=_("not yet checked"), url=claim.get_absolute_url())
    sources = [_("Source: %(publisher)s, %(title)s, released %(date)s; licensed under the %(licence)s.")
               % {"publisher": official_name(r["publisher"]), "title": observatory.dataset_title(r["title"]),
                  "date": r["release_date"], "licence": official_name(r["licence"])}
               for r in latest.releases]  # fmt: skip
    return EvidenceView(e, claim.headline, value=latest.get_verdict_display(), detail=latest.summary,
                        sources=sources, url=claim.get_absolute_url())  # fmt: skip


def note_text(ev: EvidenceView) -> str:
    """One piece of evidence as a note to a response: "GVA, Key Cities: £135,466m. 2020; … Source: …"."""
    head = f"{ev.label}: {ev.problem or ev.value}".rstrip()
    parts = [head if head.endswith(".") else head + ".", ev.detail, *ev.sources]
    return " ".join(p.strip() for p in parts if p and p.strip())


@dataclass
class SectionView:
    section: Section
    number: int
    answer: str
    evidence: list[EvidenceView]
    comments: list[Comment]


def sections(c: Consultation, *, with_evidence: bool = True) -> list[SectionView]:
    latest = c.latest_version()
    answers = latest.answers() if latest else {}
    rows = (c.sections.filter(removed=False).order_by("position", "pk")
            .prefetch_related("evidence", Prefetch("comments", queryset=Comment.objects.select_related(
                "author", "place"))))  # fmt: skip
    store = Store()
    return [SectionView(s, i, answers.get(s.pk, ""),
                        [evidence_view(e, store) for e in s.evidence.all()] if with_evidence else [],
                        list(s.comments.all())) for i, s in enumerate(rows, start=1)]  # fmt: skip


@dataclass
class ReviewStatus:
    round: int
    reviews: list[Review]
    waiting: list[Place]

    @property
    def endorsing(self) -> list[Place]:
        return [r.place for r in self.reviews if r.decision in ENDORSING]

    @property
    def total(self) -> int:
        return len(self.reviews) + len(self.waiting)


def review_status(c: Consultation, round: int | None = None) -> ReviewStatus:
    """Who has and has not responded to a round (the current one by default)."""
    round = round or c.round
    reviews = list(c.reviews.filter(round=round).select_related("place", "by").order_by("place__name"))
    done = {r.place_id for r in reviews}
    waiting = [p for p in services.member_places() if p.pk not in done] if round == c.round else []
    return ReviewStatus(round, reviews, waiting)


def positions(c: Consultation) -> dict[str, list[str]]:
    """Where each member place stands: as frozen at sign-off once signed off, the current round's otherwise."""
    if c.is_final and c.positions:
        return {key: list(c.positions.get(key, [])) for key in POSITIONS}
    return services.current_positions(c)


def positions_in_language(found: dict[str, list[str]]) -> dict[str, list[str]]:
    """The positions with the places' Welsh names on a Welsh page (they are frozen as the English names)."""
    if not is_welsh():
        return found
    welsh = dict(Place.objects.exclude(name_cy="").values_list("name", "name_cy"))
    return {key: [welsh.get(n, n) for n in names] for key, names in found.items()}


def register() -> ConsultationQuerySet:
    return cast(ConsultationQuerySet,
                Consultation.objects.select_related("lead_place").prefetch_related("work_areas"))  # fmt: skip


def open_consultations(today: dt.date | None = None) -> ConsultationQuerySet:
    return register().open_on(today or timezone.localdate()).order_by("closes_on", "title")


def published() -> ConsultationQuerySet:
    return register().published().order_by("-submitted_on", "title")


def ledger(asks: QuerySet[Ask], *, department: str = "", work_area: str = "", status: str = "") -> QuerySet[Ask]:
    if department:
        asks = asks.filter(department=department)
    if work_area:
        asks = asks.filter(work_area__slug=work_area)
    if status:
        asks = asks.filter(status=status)
    return asks.select_related("consultation", "work_area").order_by("-consultation__closes_on", "position", "pk")


def departments() -> list[str]:
    """What an ask's department is chosen from (any other can still be typed): the government departments in
    the organisations list (engagement), those asks have been made of, and those that consulted us."""
    consulted = Consultation.objects.filter(body_type="uk-government").values_list("body_name", flat=True)
    found = set(Ask.objects.values_list("department", flat=True)) | set(consulted)
    if apps.is_installed("keycities.engagement"):  # the organisations list: every government department
        organisation = apps.get_model("engagement", "Organisation")
        found |= set(organisation.objects.filter(kind="department").values_list("name", flat=True))
    return sorted(found)


def public_stage(c: Consultation) -> str:
    """How the public pages describe our work on a consultation."""
    if c.status in {Stage.WATCHING}:
        return _("Considering a response")
    if c.status in {Stage.DRAFTING, Stage.MEMBER_REVIEW, Stage.SIGNED_OFF}:
        return _("Response in preparation")
    return str(Stage(c.status).label)


def response_data(c: Consultation) -> dict[str, Any]:
    """The signed-off text and who endorsed it: what the exports and the archive show."""
    version = c.signed_off_version or c.latest_version()
    found = positions(c) if c.is_final else {key: [] for key in POSITIONS}
    # The evidence attached to each answer, as numbered notes: the figure or claim, its value, and its source.
    evidence: dict[int, list[Evidence]] = {}
    for e in Evidence.objects.filter(section__consultation=c).order_by("section_id", "pk"):
        evidence.setdefault(e.section_id, []).append(e)
    store = Store()
    notes: list[dict[str, Any]] = []
    sections_out = []
    for s in version.content if version else []:
        numbers = []
        for e in evidence.get(s.get("section"), []):
            notes.append({"number": len(notes) + 1, "text": note_text(evidence_view(e, store))})
            numbers.append(len(notes))
        sections_out.append({"section": s.get("section"), "question": s["question"], "answer": s["answer"],
                             "notes": numbers})  # fmt: skip
    return {
        "group": "Key Cities",
        "title": c.title,
        "body": c.body_name,
        "body_type": c.get_body_type_display(),
        "url": c.url,
        "closes_on": c.closes_on,
        # Both names, whatever the active language: the documents show the one of the language they are built in.
        "lead_place": c.lead_place.name,
        "lead_place_cy": c.lead_place.name_cy,
        "signed_off_at": c.signed_off_at,
        "submitted_on": c.submitted_on,
        "version": version.number if version else None,
        "sections": sections_out,
        "notes": notes,
        "positions": found,
        "endorsed_by": found["endorsed"] + found["endorsed_with_comments"],
        "override_reason": c.override_reason,
    }
