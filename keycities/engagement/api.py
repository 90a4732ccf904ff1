"""Engagement's API: MPs of member places (public roles only) and interactions (token or session)."""

from __future__ import annotations

import functools

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Value
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import HttpError

from keycities.accounts.auth import API_AUTH
from keycities.accounts.policy import is_secretariat
from keycities.core.api import ErrorEnvelope, ListParams, Page, csv_response, paginate

from . import policy, presenters, queries
from .models import Interaction, MediaCoverage, Organisation, Person, PressRelease, Role
from .schemas import (
    CoverageOut,
    InteractionOut,
    InteractionParams,
    MediaCoverageOut,
    MediaCoverageParams,
    MpOut,
    MpParams,
    OrganisationOut,
    OrganisationParams,
    PersonOut,
    PersonParams,
    PressReleaseOut,
)

router = Router(tags=["engagement"])


@router.get("/mps/", response={200: Page[MpOut], 404: ErrorEnvelope, 422: ErrorEnvelope}, auth=None,
            summary="Member places' constituencies and their MPs")  # fmt: skip
def list_mps(request: HttpRequest, params: Query[MpParams]) -> HttpResponse | dict:
    """Public. For each member place, the Westminster constituencies (2024 boundaries) that overlap its local
    authorities, with the share of wards (not of population), and each seat's MP and party today."""
    places = list(queries.member_places())
    if params.place:
        places = [p for p in places if p.slug == params.place]
        if not places:
            raise HttpError(404, "There is no member place with that slug.")
    rows = [presenters.overlap_row(o) for o in queries.overlaps(places)]
    if params.format == "csv":
        header = [k for k in MpOut.model_fields if k != "within"] + ["within"]
        return csv_response("mps.csv", header, ([*(r[k] for k in header[:-1]), "; ".join(r["within"])]
                                                for r in rows))  # fmt: skip
    return paginate(request, rows, params, lambda r: r)


def _interaction(i: Interaction) -> dict:
    return {"id": i.pk, "kind": i.kind, "kind_label": i.get_kind_display(), "date": i.date, "title": i.title,
            "summary": i.summary, "people": [p.name for p in i.people.all()],
            "organisations": [o.name for o in i.organisations.all()], "places": [p.slug for p in i.places.all()],
            "work_areas": [w.slug for w in i.work_areas.all()], "open_follow_ups": getattr(i, "open_follow_ups", 0),
            "url": i.get_absolute_url()}  # fmt: skip


@router.get("/interactions/", response={200: Page[InteractionOut], 401: ErrorEnvelope, 403: ErrorEnvelope,
                                        422: ErrorEnvelope}, auth=API_AUTH,
            summary="Interactions with MPs, Ministers, departments and others")  # fmt: skip
def list_interactions(request: HttpRequest, params: Query[InteractionParams]) -> HttpResponse | dict:
    """The interactions the token's user may see (the secretariat: all; an officer: those about their place or a
    work area it leads), newest first. Private notes are never in the API."""
    if not policy.sees_interactions(request.user):
        raise HttpError(403, policy.STAFF_REFUSAL)
    found = policy.visible_interactions(request.user)
    if params.place:
        found = found.filter(places__slug=params.place)
    if params.since:
        found = found.filter(date__gte=params.since)
    found = (found.annotate(open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True)))
             .prefetch_related("people", "organisations", "places", "work_areas").order_by("-date", "-pk"))  # fmt: skip
    if params.format == "csv":
        header = list(InteractionOut.model_fields)
        lists = {"people", "organisations", "places", "work_areas"}
        return csv_response(
            "interactions.csv",
            header,
            (["; ".join(v) if k in lists else v for k, v in ((k, _interaction(i)[k]) for k in header)] for i in found),
        )
    return paginate(request, found, params, _interaction)


def _staff(request: HttpRequest) -> None:
    if not policy.sees_interactions(request.user):
        raise HttpError(403, policy.STAFF_REFUSAL)


@router.get("/people/", response={200: Page[PersonOut], 401: ErrorEnvelope, 403: ErrorEnvelope,
                                   422: ErrorEnvelope}, auth=API_AUTH, summary="People and their roles")  # fmt: skip
def list_people(request: HttpRequest, params: Query[PersonParams]) -> HttpResponse | dict:
    """Staff. MPs, Ministers and APPG officers (public roles) and the contacts the token's user may see, with
    contact details only where they may see them (ADR 0029)."""
    _staff(request)
    found = policy.visible_people(request.user)
    if params.q:
        found = found.filter(name__icontains=params.q)
    # Whether the user may see each person's contact details, asked of the database for the rows returned only
    # (the secretariat may see everyone's: no subquery at all).
    mine_of = (Value(True) if is_secretariat(request.user)
               else Exists(policy.contact_ids(request.user).filter(pk=OuterRef("pk"))))  # fmt: skip
    found = found.annotate(mine=mine_of).prefetch_related(Prefetch("roles", queryset=Role.objects.select_related(
        "organisation", "constituency"))).order_by("name", "pk")  # fmt: skip

    def out(p: Person) -> dict:
        mine = bool(getattr(p, "mine", False))
        return {"id": p.pk, "name": p.name, "parliament_id": p.parliament_id, "email": p.email if mine else None,
                "phone": p.phone if mine else None, "roles": [{
                    "kind": r.kind, "title": r.title, "organisation": r.organisation.name if r.organisation else None,
                    "constituency": r.constituency.name if r.constituency else None, "party": r.party,
                    "start": r.start, "end": r.end} for r in p.roles.all() if r.is_public or mine]}  # fmt: skip

    if params.format == "csv":
        header = ["id", "name", "parliament_id", "email", "phone", "roles"]
        return csv_response("people.csv", header, ([*(o[k] for k in header[:-1]), "; ".join(
            f"{r['kind']}: {r['title']}" for r in o["roles"])] for o in map(out, found)))  # fmt: skip
    return paginate(request, found, params, out)


@router.get("/organisations/", response={200: Page[OrganisationOut], 401: ErrorEnvelope, 403: ErrorEnvelope,
                                          422: ErrorEnvelope}, auth=API_AUTH, summary="Organisations")  # fmt: skip
def list_organisations(request: HttpRequest, params: Query[OrganisationParams]) -> HttpResponse | dict:
    """Staff. Departments, parliamentary bodies, councils, media, partners and others, with their parent."""
    _staff(request)
    found = Organisation.objects.select_related("parent").order_by("name", "pk")
    if params.kind:
        found = found.filter(kind=params.kind)

    def out(o: Organisation) -> dict:
        return {"id": o.pk, "name": o.name, "kind": o.kind, "kind_label": o.get_kind_display(),
                "abbreviation": o.abbreviation, "parent": o.parent.name if o.parent else None}  # fmt: skip

    if params.format == "csv":
        header = list(OrganisationOut.model_fields)
        return csv_response("organisations.csv", header, ([out(o)[k] for k in header] for o in found))
    return paginate(request, found, params, out)


@router.get("/engagement/coverage", response={200: CoverageOut, 401: ErrorEnvelope, 403: ErrorEnvelope},
            auth=API_AUTH, summary="Which member places' MPs we have engaged")  # fmt: skip
def engagement_coverage(request: HttpRequest) -> dict:
    """Staff. MPs of member places engaged in the last 3, 6 and 12 months by party, from the interactions the
    token's user may see, and the member places whose MPs were never engaged."""
    _staff(request)
    found = queries.coverage(
        policy.visible_interactions(request.user),
        timezone.localdate(),
        scope=functools.partial(policy.interaction_scope, request.user),
    )
    return {"mps": found.total, "by_party": found.by_party, "never_engaged_places": [p.slug for p in found.never],
            "asks_raised_in_meetings": found.asks_raised, "asks_with_outcome": found.asks_with_outcome}  # fmt: skip


def _release(r: PressRelease) -> dict:
    return {"id": r.pk, "title": r.title, "title_cy": r.title_cy, "body": r.body, "body_cy": r.body_cy,
            "work_area": r.work_area.slug if r.work_area else None,
            "spokespeople": [s.person.name for s in r.spokespeople.all()], "claims": [c.pk for c in r.claims.all()],
            "published_at": r.published_at, "url": r.public_url()}  # fmt: skip


@router.get("/press-releases/", response={200: Page[PressReleaseOut], 422: ErrorEnvelope}, auth=None,
            summary="The group's published press releases")  # fmt: skip
def list_press_releases(request: HttpRequest, params: Query[ListParams]) -> HttpResponse | dict:
    """Public. Published press releases, newest first, in English and (where translated) Welsh, with the
    claims register entries behind their figures. Drafts are never listed."""
    found = queries.published_press_releases()
    if params.format == "csv":
        header = list(PressReleaseOut.model_fields)
        return csv_response("press-releases.csv", header, ([
            "; ".join(map(str, v)) if isinstance(v, list) else v for v in (_release(r)[k] for k in header)]
            for r in found))  # fmt: skip
    return paginate(request, found, params, _release)


def _coverage_item(c: MediaCoverage) -> dict:
    return {"id": c.pk, "date": c.date, "outlet": c.outlet.name, "headline": c.headline, "url": c.url,
            "press_release": c.release_id, "claim": c.claim_id}  # fmt: skip


@router.get("/media-coverage/", response={200: Page[MediaCoverageOut], 401: ErrorEnvelope, 403: ErrorEnvelope,
            422: ErrorEnvelope}, auth=API_AUTH, summary="The media coverage log")  # fmt: skip
def list_media_coverage(request: HttpRequest, params: Query[MediaCoverageParams]) -> HttpResponse | dict:
    """Staff. What the media published about the group, and which press release or claim it used."""
    if not policy.sees_interactions(request.user):
        raise HttpError(403, policy.MEDIA_REFUSAL)
    found = queries.media_coverage()
    if params.since:
        found = found.filter(date__gte=params.since)
    if params.format == "csv":
        header = list(MediaCoverageOut.model_fields)
        return csv_response("media-coverage.csv", header, ([_coverage_item(c)[k] for k in header] for c in found))
    return paginate(request, found, params, _coverage_item)
