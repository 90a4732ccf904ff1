from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from keycities.core.api import ErrorEnvelope, IsoDate, ListParams, Page, csv_response, paginate

from . import presenters, queries
from .models import Group, Nation
from .schemas import PlaceDetailOut, PlaceOut, WorkAreaOut

router = Router(tags=["registry"])
ERRORS = {400: ErrorEnvelope, 404: ErrorEnvelope, 422: ErrorEnvelope}


class PlaceFilters(Schema):
    group: str | None = None
    as_of: IsoDate | None = None
    nation: Nation | None = None


@router.get("/places/", response={200: Page[PlaceOut], **ERRORS}, summary="Places in the registry")
def list_places(request: HttpRequest, filters: Query[PlaceFilters], page: Query[ListParams]) -> HttpResponse | dict:
    """Member and comparator places. `group` (e.g. `key-cities`, `core-cities`)
    keeps the group's members on `as_of` (default today); `as_of` alone keeps the places that were members
    of any group on that date; `nation` filters by nation."""
    if filters.group and not Group.objects.filter(slug=filters.group).exists():
        raise HttpError(404, f"There is no group {filters.group!r}.")
    rows = list(queries.places(group=filters.group, as_of=filters.as_of, nation=filters.nation))
    if page.format == "csv":
        return csv_response(
            "places.csv", presenters.PLACE_CSV_HEADER, (presenters.place_csv_row(presenters.place(p)) for p in rows)
        )
    return paginate(request, rows, page, presenters.place)


@router.get("/places/{slug}", response={200: PlaceDetailOut, **ERRORS}, summary="One place")
def get_place(request: HttpRequest, slug: str) -> dict:
    place = queries.places().filter(slug=slug).first()
    if place is None:
        raise Http404(f"There is no place {slug!r}.")
    return presenters.place(place, detail=True)


@router.get("/work-areas/", response={200: Page[WorkAreaOut], **ERRORS}, summary="Work areas and their leads")
def list_work_areas(request: HttpRequest, page: Query[ListParams]) -> HttpResponse | dict:
    rows = list(queries.work_areas())
    if page.format == "csv":
        return csv_response(
            "work-areas.csv",
            presenters.WORK_AREA_CSV_HEADER,
            (presenters.work_area_csv_row(presenters.work_area(w)) for w in rows),
        )
    return paginate(request, rows, page, presenters.work_area)


@router.get("/work-areas/{slug}", response={200: WorkAreaOut, **ERRORS}, summary="One work area")
def get_work_area(request: HttpRequest, slug: str) -> dict:
    work_area = queries.work_areas().filter(slug=slug).first()
    if work_area is None:
        raise Http404(f"There is no work area {slug!r}.")
    return presenters.work_area(work_area)
