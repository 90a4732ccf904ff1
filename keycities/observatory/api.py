import datetime as dt
import hashlib
import json
from typing import Any, Literal

from django.core.cache import cache
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from keycities.core.api import ErrorEnvelope, IsoDate, ListParams, Page, csv_response, csv_stream, paginate
from keycities.network.models import Group

from . import presenters, queries
from .aggregation import AggregationError, Store, group_figure
from .models import Area, Indicator, Observation, Release
from .schemas import AggregateOut, IndicatorDetailOut, IndicatorOut, ObservationOut, SeriesOut

router = Router(tags=["observatory"])
ERRORS = {400: ErrorEnvelope, 404: ErrorEnvelope, 422: ErrorEnvelope}


def _indicator(slug: str) -> Indicator:
    found = queries.indicator(slug)
    if found is None:
        raise Http404(f"There is no indicator {slug!r}.")
    return found


@router.get("/indicators/", response={200: Page[IndicatorOut], **ERRORS}, summary="Indicators")
def list_indicators(request: HttpRequest, page: Query[ListParams]) -> HttpResponse | dict:
    """Every indicator: unit, how it may be aggregated, definition, and the span of periods served (the years with
    local authority figures, as its page shows them)."""
    store = Store()
    rows = [presenters.indicator(i, queries.periods(i, store)) for i in queries.indicators()]
    if page.format == "csv":
        header = [k for k in rows[0] if k != "releases"] if rows else []
        return csv_response("indicators.csv", header, ([r[k] for k in header] for r in rows))
    return paginate(request, rows, page, lambda r: r)


@router.get("/indicators/{slug}", response={200: IndicatorDetailOut, **ERRORS}, summary="One indicator")
def get_indicator(request: HttpRequest, slug: str) -> dict:
    ind = _indicator(slug)
    store = Store()
    return presenters.indicator(ind, queries.periods(ind, store), queries.releases_of(ind, store))


class DataFilters(Schema):
    indicator: str
    area: str | None = None
    group: str | None = None
    period: int | None = Field(None, ge=1000, le=3000, description="A year.")
    release: int | None = Field(None, ge=1, le=2**31 - 1,
                                description="One release (vintage) by its id: every row it publishes.")  # fmt: skip
    releases: Literal["preferred", "all"] = Field(
        "preferred",
        description="`preferred` (the default): one row per area and period, from the newest release that "
        "publishes it. `all`: every vintage's row, each with its release.",
    )


@router.get("/data", response={200: Page[ObservationOut], **ERRORS}, summary="Observations")
def data(request: HttpRequest, filters: Query[DataFilters], page: Query[ListParams]) -> HttpResponseBase | dict:
    """Published values of one indicator, each with its release: by default one row per area and period, from
    the newest release that publishes that area for that period (the preferred release); `release` picks one
    vintage and `releases=all` returns every vintage. `area` takes one or more GSS codes separated by commas;
    `group` keeps the areas of the group's members today."""
    store = Store()  # one query: the set of imported releases, which also keys the cache
    key = "api-data:" + hashlib.sha256(f"{store.version}|{request.get_full_path()}".encode()).hexdigest()
    if page.format == "json" and (cached := cache.get(key)) is not None:
        return HttpResponse(cached, content_type="application/json")
    found = (Indicator.objects.filter(slug=filters.indicator)
             .values_list("pk", "slug", "name", "derived", "numerator__slug").first())  # fmt: skip
    if found is None:
        raise Http404(f"There is no indicator {filters.indicator!r}.")
    ind_pk, ind_slug, ind_name, derived, numerator = found
    if derived:
        raise HttpError(400, f"{ind_name} is computed by the Hub from its parts and has no published values; "
                             f"ask for {numerator or 'its parts'} instead, or use the group aggregate.")  # fmt: skip
    qs = Observation.objects.filter(indicator_id=ind_pk)
    if filters.area:
        codes = [c.strip() for c in filters.area.split(",") if c.strip()]
        unknown = set(codes) - set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown:
            raise HttpError(404, f"Unknown area code(s): {', '.join(sorted(unknown))}.")
        qs = qs.filter(area__code__in=codes)
    if filters.group:
        if not Group.objects.filter(slug=filters.group).exists():
            raise HttpError(404, f"There is no group {filters.group!r}.")
        qs = qs.filter(area__code__in=queries.member_area_codes(filters.group).keys())
    if filters.period is not None:
        qs = qs.filter(period=filters.period)
    if filters.release is not None:
        qs = qs.filter(release_id=filters.release)
    elif filters.releases == "preferred" and _vintages_overlap(store, ind_pk, filters.period):
        newest_first = [F("release__release_date").desc(), F("release__imported_at").desc(), F("release_id").desc()]
        qs = qs.annotate(vintage=Window(RowNumber(), partition_by=[F("area_id"), F("period")],
                                        order_by=newest_first)).filter(vintage=1)  # fmt: skip
    qs = qs.order_by("area__code", "period", "release_id")
    if page.format == "csv":
        rows = qs.values_list(*presenters.OBSERVATION_FIELDS)
        return csv_stream(f"{ind_slug}.csv", presenters.OBSERVATION_HEADER, rows.iterator(chunk_size=5000))
    # Statistics change only when a release is imported, so a page of data is cached until then. The rows
    # are built from typed columns to exactly the documented schema and sent as they are: validating a
    # thousand rows through the schema again took over half of each request's time. The indicator is the one
    # asked for and each release's dataset and date are read once per page, not joined to every row.
    releases = _release_columns(store)
    columns = qs.values_list("area__code", "area__name", "period", "value", "lower_ci", "upper_ci", "status", "note",
                             "release_id")  # fmt: skip

    def row(values: tuple[Any, ...]) -> dict[str, Any]:
        release_id = values[8]
        dataset, date = releases.get(release_id) or _release_column(releases, release_id)
        return {"indicator": ind_slug, "area_code": values[0], "area_name": values[1], "period": values[2],
                "value": values[3], "lower_ci": values[4], "upper_ci": values[5], "status": values[6],
                "note": values[7], "release_id": release_id, "release_dataset": dataset,
                "release_date": date}  # fmt: skip

    body = json.dumps(paginate(request, columns, page, row))
    cache.set(key, body, DATA_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json")


_RELEASE_COLUMNS: dict[object, dict[int, tuple[str, str]]] = {}


def _release_columns(store: Store) -> dict[int, tuple[str, str]]:
    """Release id -> (dataset slug, release date as ISO text) of every imported release, from the store's
    coverage map; kept per process until the set of releases changes, like the coverage map."""
    found = _RELEASE_COLUMNS.get(store.version)
    if found is None:
        _RELEASE_COLUMNS.clear()
        found = _RELEASE_COLUMNS[store.version] = {
            r.pk: (r.dataset.slug, r.release_date.isoformat()) for rs in store.coverage().values() for r in rs
        }
    return found


def _release_column(releases: dict[int, tuple[str, str]], release_id: int) -> tuple[str, str]:
    """A release the coverage map does not hold (not finished importing): read it."""
    slug, date = Release.objects.filter(pk=release_id).values_list("dataset__slug", "release_date").get()
    releases[release_id] = (slug, date.isoformat())
    return releases[release_id]


DATA_CACHE_SECONDS = 3600


def _vintages_overlap(store: Store, indicator_id: int, period: int | None) -> bool:
    """Whether two releases hold the indicator for the period (any period): only then is there a choice to make."""
    periods = [period] if period is not None else store.periods_of(indicator_id)
    return any(len(store.releases_of(indicator_id, p)) > 1 for p in periods)


class AggregateParams(Schema):
    indicator: str
    period: int | None = Field(None, ge=1000, le=3000, description="A year.")
    as_of: IsoDate | None = None
    release: int | None = Field(None, ge=1, le=2**31 - 1, description="A release id, as listed by /indicators/{slug}.")


@router.get("/groups/{slug}/aggregate", response={200: AggregateOut, **ERRORS}, summary="A group's figure")
def aggregate(request: HttpRequest, slug: str, params: Query[AggregateParams]) -> dict:
    """The group's figure with the right arithmetic: the value, the method, the members included (with their
    values and the areas used) and those missing with the reason, and the releases used. Membership is taken on
    `as_of` (default: 30 June of the period); cover on the period."""
    group = Group.objects.filter(slug=slug).first()
    if group is None:
        raise Http404(f"There is no group {slug!r}.")
    ind = _indicator(params.indicator)
    release = None
    if params.release is not None:
        release = Release.objects.select_related("dataset").filter(pk=params.release).first()
        if release is None:
            raise Http404(f"There is no release {params.release}.")
    try:
        figure = group_figure(group, ind, params.period, as_of=params.as_of, release=release)
    except AggregationError as exc:
        raise HttpError(404, str(exc)) from exc
    return presenters.aggregate(figure)


class SeriesParams(Schema):
    indicator: str
    as_of: IsoDate | None = Field(None, description="Membership date (default: today), used for every period.")
    format: Literal["json", "csv"] = "json"


@router.get("/groups/{slug}/series", response={200: SeriesOut, **ERRORS}, summary="A group's series, with breaks")
def series(request: HttpRequest, slug: str, params: Query[SeriesParams]) -> HttpResponseBase | dict:
    """The group's figure for every period with local authority figures (the median of the members where the
    measure cannot be combined), each from the newest release that covers it, with the members counted. A point
    whose release, members counted or areas differ from the period before is a break (`is_break`, with
    `break_reason`): read the change across it as a change of basis, not growth. `format=csv` for CSV."""
    group = Group.objects.filter(slug=slug).first()
    if group is None:
        raise Http404(f"There is no group {slug!r}.")
    ind = _indicator(params.indicator)
    as_of = params.as_of or dt.date.today()
    points = queries.group_series(ind, group.slug, Store(), as_of=as_of)
    rows = [presenters.series_point(p) for p in points]
    if params.format == "csv":
        cells = ([" ".join(v) if isinstance(v, list) else v for v in r.values()] for r in rows)
        return csv_response(f"{group.slug}-{ind.slug}-series.csv", presenters.SERIES_HEADER, cells)
    return {
        "group": group.slug, "group_name": group.name, "indicator": ind.slug, "unit": ind.unit, "as_of": as_of,
        "value_kind": "median of the members" if ind.aggregation == "not-combinable" else "group figure",
        "points": rows,
    }  # fmt: skip


# ---------------------------------------------------------------- bulk download

TABLES: dict[str, tuple[list[str], Any]] = {
    "observations": (presenters.OBSERVATION_HEADER, lambda: Observation.objects.order_by("pk").values_list(
        *presenters.OBSERVATION_FIELDS)),
    "areas": (["code", "name", "kind", "parent_code", "start_year", "end_year"], lambda: Area.objects.order_by(
        "code").values_list("code", "name", "kind", "parent__code", "start_year", "end_year")),
    "indicators": (["slug", "name", "topic", "unit", "aggregation", "numerator", "denominator", "weight", "base",
                    "derived", "higher_is_better", "definition", "caveats", "name_cy", "topic_cy", "definition_cy",
                    "caveats_cy"],
                   lambda: Indicator.objects.order_by("position").values_list(
                       "slug", "name", "topic", "unit", "aggregation", "numerator__slug", "denominator__slug",
                       "weight__slug", "base", "derived", "higher_is_better", "definition", "caveats", "name_cy",
                       "topic_cy", "definition_cy", "caveats_cy")),
    "releases": (["id", "dataset", "title", "publisher", "release_date", "source_url", "licence", "geography",
                  "file_name", "sha256", "rows"],
                 lambda: Release.objects.filter(status=Release.Status.DONE).order_by("pk").values_list(
                     "pk", "dataset__slug", "dataset__title", "dataset__publisher", "release_date",
                     "dataset__source_url", "dataset__licence", "dataset__geography", "file_name", "sha256", "rows")),
}  # fmt: skip

FIELD_TYPES = {"period": "integer", "value": "number", "lower_ci": "number", "upper_ci": "number",
               "release_id": "integer", "id": "integer", "rows": "integer", "start_year": "integer",
               "end_year": "integer", "release_date": "date", "derived": "boolean",
               "higher_is_better": "boolean"}  # fmt: skip


@router.get(
    "/download/{table}.csv",
    summary="Bulk download of a table as CSV",
    response={404: ErrorEnvelope},
    url_name="download",
)
def download(request: HttpRequest, table: str) -> HttpResponseBase:
    if table not in TABLES:
        raise Http404(f"There is no table {table!r}; choose one of {', '.join(TABLES)}.")
    header, rows = TABLES[table]
    return csv_stream(f"{table}.csv", header, rows().iterator(chunk_size=5000))


@router.get("/download/datapackage.json", summary="Frictionless data package of all the data")
def datapackage(request: HttpRequest) -> HttpResponse:
    """A Frictionless Data Package describing the bulk CSV tables, with sources and licence."""
    package = {
        "name": "key-cities-hub-observatory",
        "title": "Key Cities Hub: official statistics for UK local authorities",
        "licenses": [{"name": "OGL-UK-3.0", "title": "Open Government Licence v3.0",
                      "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"}],
        "sources": [{"title": f"{r.dataset.publisher}: {r.dataset.title} ({r.release_date:%-d %B %Y})",
                     "path": r.dataset.source_url}
                    for r in Release.objects.filter(status=Release.Status.DONE).select_related("dataset")],
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "resources": [
            {"name": name, "path": request.build_absolute_uri(reverse("api:download", args=[name])),
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "schema": {"fields": [{"name": f, "type": FIELD_TYPES.get(f, "string")} for f in header]}}
            for name, (header, _) in TABLES.items()
        ],
    }  # fmt: skip
    package["resources"][0]["schema"]["foreignKeys"] = [  # type: ignore[index]
        {"fields": "area_code", "reference": {"resource": "areas", "fields": "code"}},
        {"fields": "indicator", "reference": {"resource": "indicators", "fields": "slug"}},
        {"fields": "release_id", "reference": {"resource": "releases", "fields": "id"}},
    ]
    return HttpResponse(json.dumps(package, indent=2, default=str), content_type="application/json")
