import datetime as dt
import hashlib
import json
import math
from json.encoder import encode_basestring_ascii
from typing import Any, Literal

from django.core.cache import cache
from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from keycities.core.api import (
    ErrorEnvelope,
    IsoDate,
    ListParams,
    Page,
    csv_response,
    csv_stream,
    page_links,
    paginate,
)
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
    found = _indicator_columns(filters.indicator)
    if found is None:
        raise Http404(f"There is no indicator {filters.indicator!r}.")
    ind_pk, ind_slug, ind_name, derived, numerator = found
    if derived:
        raise HttpError(400, f"{ind_name} is computed by the Hub from its parts and has no published values; "
                             f"ask for {numerator or 'its parts'} instead, or use the group aggregate.")  # fmt: skip
    codes: list[str] | None = None
    if filters.area:
        codes = [c.strip() for c in filters.area.split(",") if c.strip()]
        unknown = set(codes) - set(Area.objects.filter(code__in=codes).values_list("code", flat=True))
        if unknown:
            raise HttpError(404, f"Unknown area code(s): {', '.join(sorted(unknown))}.")
    if filters.group:
        if not Group.objects.filter(slug=filters.group).exists():
            raise HttpError(404, f"There is no group {filters.group!r}.")
        members = queries.member_area_codes(filters.group).keys()
        codes = [c for c in codes if c in members] if codes is not None else list(members)
    preferred = (filters.release is None and filters.releases == "preferred"
                 and _vintages_overlap(store, ind_pk, filters.period))  # fmt: skip
    if page.format == "csv":
        qs = Observation.objects.filter(indicator_id=ind_pk)
        if codes is not None:
            qs = qs.filter(area__code__in=codes)
        if filters.period is not None:
            qs = qs.filter(period=filters.period)
        if filters.release is not None:
            qs = qs.filter(release_id=filters.release)
        elif preferred:
            newest_first = [F("release__release_date").desc(), F("release__imported_at").desc(), F("release_id").desc()]
            qs = qs.annotate(vintage=Window(RowNumber(), partition_by=[F("area_id"), F("period")],
                                            order_by=newest_first)).filter(vintage=1)  # fmt: skip
        qs = qs.order_by("area__code", "period", "release_id")
        rows = qs.values_list(*presenters.OBSERVATION_FIELDS)
        return csv_stream(f"{ind_slug}.csv", presenters.OBSERVATION_HEADER, rows.iterator(chunk_size=5000))
    # Statistics change only when a release is imported, so a page of data is cached until then. A page that is
    # not cached is read with one SQL query as tuples (no model or ORM row iteration) and written as JSON text
    # directly, each row from its typed columns to exactly the documented schema, byte for byte what
    # `json.dumps` gave for the same rows as dicts (test_data_json_is_what_the_orm_and_json_dumps_gave). The
    # indicator is the one asked for; each release's id, dataset and date are written once per process and
    # release set (`Store.kept`), not joined to every row.
    window, count = _page_rows(ind_pk, codes, filters.period, filters.release, preferred, page)
    tails = store.kept(("api-data-release-json",), lambda: _release_json(store))
    head = '{"indicator": ' + _text(ind_slug) + ', "area_code": '
    results = ", ".join([
        f'{head}{_text(code)}, "area_name": {_text(name)}, "period": {period!r}, '
        f'"value": {_float(value) if value.__class__ is float and -_INF < value < _INF else _number(value)}, '
        f'"lower_ci": {"null" if lower is None else _number(lower)}, '
        f'"upper_ci": {"null" if upper is None else _number(upper)}, "status": {_text(status)}, '
        f'"note": {_text(note)}, "release_id": {tails.get(release_id) or _release_json_of(release_id)}'
        for code, name, period, value, lower, upper, status, note, release_id in window
    ])  # fmt: skip
    following, preceding = page_links(request, page, count)
    body = (f'{{"count": {count!r}, "limit": {page.limit!r}, "offset": {page.offset!r}, '
            f'"next": {_optional_text(following)}, "previous": {_optional_text(preceding)}, '
            f'"results": [{results}]}}')  # fmt: skip
    cache.set(key, body, DATA_CACHE_SECONDS)
    return HttpResponse(body, content_type="application/json")


DATA_CACHE_SECONDS = 3600

# The tables /data reads with SQL of its own (the same SQL on SQLite and PostgreSQL).
_OBSERVATIONS, _AREAS = Observation._meta.db_table, Area._meta.db_table
_RELEASES, _INDICATORS = Release._meta.db_table, Indicator._meta.db_table


def _indicator_columns(slug: str) -> tuple[int, str, str, bool, str | None] | None:
    """(id, slug, name, derived, the numerator's slug) of the indicator, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT i.id, i.slug, i.name, i.derived, n.slug FROM {_INDICATORS} i "  # noqa: S608 (table names only)
            f"LEFT JOIN {_INDICATORS} n ON n.id = i.numerator_id WHERE i.slug = %s",
            [slug],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    pk, slug, name, derived, numerator = found
    return pk, slug, name, bool(derived), numerator


def _page_rows(indicator_id: int, codes: list[str] | None, period: int | None, release: int | None, preferred: bool,
               page: ListParams) -> tuple[list[tuple[Any, ...]], int]:  # fmt: skip
    """One page of the indicator's observations as tuples (area code, area name, period, value, lower_ci,
    upper_ci, status, note, release id), ordered by area code, period and release, and the count of all the
    rows that match; with `preferred`, only each area and period's newest release (by release date, then import
    time, then id). The count is read only when the page does not show it (as `core.api.paginate`)."""
    if codes is not None and not codes:
        return [], 0
    where = ["o.indicator_id = %s"]
    params: list[Any] = [indicator_id]
    if codes is not None:
        where.append(f"a.code IN ({', '.join(['%s'] * len(codes))})")
        params += codes
    if period is not None:
        where.append("o.period = %s")
        params.append(period)
    if release is not None:
        where.append("o.release_id = %s")
        params.append(release)
    # Only fixed table and column names and placeholders are written into the SQL; every value is a parameter.
    columns = "a.code, a.name, o.period, o.value, o.lower_ci, o.upper_ci, o.status, o.note, o.release_id"
    matching = f"FROM {_OBSERVATIONS} o JOIN {_AREAS} a ON a.id = o.area_id"
    rows = f"SELECT {columns} {matching} WHERE {' AND '.join(where)}"
    if preferred:
        newest_first = "r.release_date DESC, r.imported_at DESC, o.release_id DESC"
        rows = (
            "SELECT code, name, period, value, lower_ci, upper_ci, status, note, release_id FROM ("  # noqa: S608
            f"SELECT {columns}, ROW_NUMBER() OVER (PARTITION BY o.area_id, o.period ORDER BY {newest_first}) "
            f"AS vintage {matching} JOIN {_RELEASES} r ON r.id = o.release_id WHERE {' AND '.join(where)}"
            ") v WHERE vintage = 1"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"{rows} ORDER BY 1, 3, 9 LIMIT %s OFFSET %s", [*params, page.limit, page.offset])
        window = cursor.fetchall()
        last = len(window) < page.limit and (len(window) > 0 or page.offset == 0)
        if last:
            return window, page.offset + len(window)
        cursor.execute(f"SELECT COUNT(*) FROM ({rows}) c", params)  # noqa: S608 (the same SQL, counted)
        return window, int(cursor.fetchone()[0])


# What json.dumps writes for a string (ASCII only, as the API has always answered) and for a finite float.
_text = encode_basestring_ascii
_float = float.__repr__
_INF = math.inf


def _optional_text(value: str | None) -> str:
    return "null" if value is None else _text(value)


def _number(value: Any) -> str:
    """A number as json.dumps writes it (`float.__repr__` for a finite float, `null` for None)."""
    if value is None:
        return "null"
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)
    return json.dumps(value)


def _release_json(store: Store) -> dict[int, str]:
    """Release id -> the end of each of its rows in /data (release_id, release_dataset, release_date), for every
    imported release in the store's coverage map."""
    return {r.pk: _release_tail(r.pk, r.dataset.slug, r.release_date) for rs in store.coverage().values() for r in rs}


def _release_json_of(release_id: int) -> str:
    """A release the coverage map does not hold (not finished importing): read it."""
    slug, date = Release.objects.filter(pk=release_id).values_list("dataset__slug", "release_date").get()
    return _release_tail(release_id, slug, date)


def _release_tail(release_id: int, dataset: str, date: dt.date) -> str:
    return f'{release_id!r}, "release_dataset": {_text(dataset)}, "release_date": {_text(date.isoformat())}}}'


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
