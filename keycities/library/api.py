"""Search across the Hub (/api/v1/search) and the publications (/api/v1/publications/), as the user may see
them: the same functions as the pages."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from keycities.core.api import ErrorEnvelope, ListParams, Page, csv_response, paginate

from . import policy, search
from .models import Publication
from .schemas import PublicationOut, SearchOut

router = Router(tags=["library"])


class SearchParams(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="Words; English stop words are ignored.")
    type: str = Field("", max_length=60, description="Only this type (a facet value).")
    work_area: str = Field("", max_length=60, description="Only this work area's slug.")
    place: str = Field("", max_length=60, description="Only this member place's slug.")
    year: str = Field("", max_length=4, description="Only this year.")
    semantic: bool = Field(True, description="Re-rank the top results with the sentence-embedding model.")
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)
    format: Literal["json", "csv"] = "json"


def _hit(request: HttpRequest, h: search.Hit) -> dict[str, Any]:
    e = h.entry
    return {"type": e.source, "type_label": h.label, "title": e.title, "url": request.build_absolute_uri(e.url),
            "snippet": str(h.snippet), "date": e.date, "year": e.year, "places": e.place_list(),
            "work_areas": e.work_area_list(), "score": round(h.score, 4)}  # fmt: skip


@router.get("/search", response={200: SearchOut, 422: ErrorEnvelope}, summary="Search across the Hub")
def search_hub(request: HttpRequest, params: Query[SearchParams]) -> HttpResponse | dict[str, Any]:
    """Members, work areas, indicators, claims, publications, consultation responses, asks and issued briefings;
    for the secretariat and member officers also proposals and contacts, exactly as their own pages allow.
    Facets count the results by type, work area, place and year. A query that finds nothing gets a spelling
    suggestion (and the suggestion's results, with `corrected`)."""
    filters = {"type": params.type, "work_area": params.work_area, "place": params.place, "year": params.year}
    results = search.run(request.user, params.q, filters=filters, semantic=params.semantic)
    if params.format == "csv":
        header = ["type", "title", "url", "date", "places", "work_areas", "score"]
        return csv_response("search.csv", header, ([h.entry.source, h.entry.title, request.build_absolute_uri(
            h.entry.url), h.entry.date, h.entry.places, h.entry.work_areas, round(h.score, 4)]
            for h in results.hits))  # fmt: skip
    window = results.hits[params.offset : params.offset + params.limit]
    search.quote(results, window)
    return {"query": results.query, "count": results.total, "limit": params.limit, "offset": params.offset,
            "suggestion": results.suggestion, "corrected": results.corrected,
            "facets": {k: [{"value": v, "count": n} for v, n in counts] for k, counts in results.facets.items()},
            "results": [_hit(request, h) for h in window]}  # fmt: skip


def _publication(request: HttpRequest, p: Publication) -> dict[str, Any]:
    from django.urls import reverse

    return {"id": p.pk, "title": p.title, "title_cy": p.title_cy, "summary": p.summary, "summary_cy": p.summary_cy,
            "kind": p.kind, "published_on": p.published_on,
            "authors": p.authors, "places": [x.slug for x in p.places.all()],
            "work_areas": [w.slug for w in p.work_areas.all()], "public": p.is_public, "licence": p.licence,
            "url": request.build_absolute_uri(p.get_absolute_url()),
            "file_url": request.build_absolute_uri(reverse("library:download", args=[p.pk])),
            "no_text": p.no_text}  # fmt: skip


HEADER = [
    "id",
    "title",
    "title_cy",
    "kind",
    "published_on",
    "authors",
    "places",
    "work_areas",
    "public",
    "licence",
    "url",
]


@router.get("/publications/", response={200: Page[PublicationOut], 422: ErrorEnvelope}, summary="Publications")
def list_publications(request: HttpRequest, page: Query[ListParams]) -> HttpResponse | dict[str, Any]:
    """Every publication the user may read, newest first: public ones for everyone, private ones for staff."""
    found = policy.visible_publications(request.user).order_by("-published_on", "-pk")
    if page.format == "csv":
        rows = (_publication(request, p) for p in found)
        return csv_response("publications.csv", HEADER, ([" ".join(r[h]) if isinstance(r[h], list) else r[h]
                                                          for h in HEADER] for r in rows))  # fmt: skip
    return paginate(request, found, page, lambda p: _publication(request, p))


@router.get("/publications/{publication_id}", response={200: PublicationOut, 404: ErrorEnvelope},
            summary="One publication")  # fmt: skip
def get_publication(request: HttpRequest, publication_id: int) -> dict[str, Any]:
    return _publication(request, policy.access_publication(request.user, publication_id))
