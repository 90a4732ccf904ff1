"""Observatory pages. Thin: each parses its input, calls `queries`, builds
charts and renders."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from functools import cache
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext

from keycities.core import charts
from keycities.core.access import public
from keycities.core.api import csv_response
from keycities.core.bilingual import Localised, is_welsh, localised, localised_text
from keycities.network.models import Place, PlaceArea
from keycities.network.queries import welsh_place_names

from . import catalogue, presenters, queries
from .aggregation import AggregationError, Store, local_periods
from .forms import CompareForm
from .models import Aggregation, Indicator
from .services import DATA_DIR


@cache
def _topology() -> dict[str, Any]:
    return json.loads((DATA_DIR / catalogue.BOUNDARIES).read_text(encoding="utf-8"))


def _get_indicator(slug: str) -> Indicator:
    found = queries.indicator(slug)
    if found is None:
        raise Http404
    return found


def _as_of(request: HttpRequest) -> tuple[dt.date, bool]:
    """The membership date asked for (`?as_of=YYYY-MM-DD`), and whether it was asked for; today by default."""
    try:
        return dt.date.fromisoformat(request.GET.get("as_of", "")), True
    except ValueError:
        return dt.date.today(), False


def _period(request: HttpRequest, available: list[int]) -> int:
    try:
        wanted = int(request.GET.get("period", ""))
    except ValueError:
        wanted = 0
    return wanted if wanted in available else available[-1]


@public
def catalogue_page(request: HttpRequest) -> HttpResponse:
    """Every indicator with figures, by theme; `q` (words in the name or definition) and `theme` narrow the
    list, from a plain GET form (no JavaScript needed)."""
    store = Store()
    query = request.GET.get("q", "").strip()[:100]
    theme = request.GET.get("theme", "")
    words = query.lower().split()
    topics: dict[str, list[dict[str, Any]]] = {}
    themes: dict[str, Localised] = {}  # the English topic (the `theme` parameter) -> its name in the page's language
    total = 0
    for ind in queries.indicators():
        periods = queries.periods(ind, store)  # the years its pages serve
        if not periods:
            continue
        total += 1
        if ind.topic not in themes:
            themes[ind.topic] = localised(ind, "topic")
        # Words match in either language: a Welsh reader may search with English terms, and the reverse.
        text = " ".join((ind.name, ind.definition, ind.slug, ind.topic, ind.name_cy, ind.definition_cy,
                         ind.topic_cy)).lower()  # fmt: skip
        if (theme and ind.topic != theme) or any(w not in text for w in words):
            continue
        topics.setdefault(ind.topic, []).append({
            "indicator": ind, "first": periods[0], "latest": periods[-1],
            "regions_only": not local_periods(ind, store),
        })  # fmt: skip
    shown = sum(len(items) for items in topics.values())
    return render(request, "observatory/catalogue.html", {
        "topics": [(themes[topic], items) for topic, items in topics.items()], "themes": list(themes.items()),
        "query": query, "theme": theme if theme in themes else "", "shown": shown, "total": total,
        "filtered": bool(query or theme),
    })  # fmt: skip


def _series_chart(ind: Indicator, store: Store, as_of: dt.date) -> charts.Chart:
    named = {
        "Key Cities": queries.group_series(ind, queries.KEY_CITIES, store, as_of=as_of),
        "Core Cities": queries.group_series(ind, queries.CORE_CITIES, store, as_of=as_of),
    }
    uk = queries.area_series(ind, "K02000001", store)
    if any(p.value is not None for p in uk):
        named[gettext("United Kingdom")] = uk  # Key Cities and Core Cities are proper names, the same in Welsh
    series, breaks = queries.chart_series(named)
    combined = ind.aggregation != Aggregation.NOT_COMBINABLE
    what = "" if combined else gettext(" (median of the members)")
    title = gettext("%(name)s%(what)s, Key Cities (members on %(date)s) compared") % {
        "name": localised_text(ind, "name"),
        "what": what,
        "date": date_format(as_of, "j F Y"),
    }
    return charts.line_chart(title, series,
                             unit=ind.unit, highlight="Key Cities", breaks=breaks)  # fmt: skip


@public
def indicator_page(request: HttpRequest, slug: str) -> HttpResponse:
    ind = _get_indicator(slug)
    store = Store()
    periods = queries.periods(ind, store)
    if not periods:
        raise Http404
    period = _period(request, periods)
    as_of, as_of_given = _as_of(request)
    summary, summary_error, regions = None, "", []
    rows, releases = queries.area_values(ind, period, store, as_of=as_of)
    members = {r.code for r in rows if r.member}
    if is_welsh():  # a Welsh member's Welsh name (Casnewydd); the rows are this request's own
        welsh = welsh_place_names()
        for r in rows:
            r.member = welsh.get(r.member, r.member)
    regions_only = not local_periods(ind, store)
    if regions_only:
        # Published for ITL regions and nations only (subnational trade): no member can be compared, so the
        # page shows what the data does say, the regions, and no group figure or one-dot chart.
        found, releases = queries.area_values(ind, period, store, local_authorities_only=False, as_of=as_of)
        regions = presenters.regions_by_level(found)
    else:
        try:
            summary = queries.compare_group(ind, period, store, as_of=as_of)
        except AggregationError as exc:
            summary_error = str(exc)
    built: dict[str, charts.Chart] = {}
    if not regions_only and len(periods) > 1:
        built["series"] = _series_chart(ind, store, as_of)
    if rows:
        map_title = gettext("%(name)s, %(period)s, by local authority")
        built["map"] = charts.choropleth(
            map_title % {"name": localised_text(ind, "name"), "period": ind.label_period(period)},
            {r.code: r.value for r in rows}, topology=_topology(), layer="ltla", outline_codes=members,
            unit=ind.unit, higher_is_better=ind.higher_is_better, year=period,
            outline_label=gettext("Key Cities member"), no_data_label=gettext("No data"),
        )  # fmt: skip
    same_dataset = queries.releases_of(ind, store)
    revision_pairs = _revision_pairs(same_dataset)
    revised = None
    if revision_pairs:
        old, new = revision_pairs[0]
        revised = {"old": old, "new": new, "rows": queries.revisions(ind, old, new, store=store)}
    return render(request, "observatory/indicator.html", {
        "indicator": ind, "period": period, "periods": periods, "summary": summary, "summary_error": summary_error,
        "rows": rows, "releases": releases, "charts": built, "revised": revised, "all_releases": same_dataset,
        "regions_only": regions_only, "regions": regions, "provisional": any(r.status == "provisional" for r in rows),
        "as_of": as_of, "as_of_given": as_of_given, "series_csv": _series_csv_url(ind, as_of if as_of_given else None),
    })  # fmt: skip


def _series_csv_url(ind: Indicator, as_of: dt.date | None) -> str:
    url = reverse("observatory:indicator-series-csv", args=[ind.slug])
    return f"{url}?as_of={as_of:%Y-%m-%d}" if as_of else url


def _revision_pairs(releases: list[Any]) -> list[tuple[Any, Any]]:
    """(older, newer) releases of the same dataset, newest pair first."""
    by_dataset: dict[int, list[Any]] = {}
    for r in releases:
        by_dataset.setdefault(r.dataset_id, []).append(r)
    pairs = []
    for found in by_dataset.values():
        found.sort(key=lambda r: (r.release_date, r.imported_at))
        pairs += list(itertools.pairwise(found))
    return sorted(pairs, key=lambda p: p[1].release_date, reverse=True)


@public
def indicator_series_csv(request: HttpRequest, slug: str) -> HttpResponse:
    ind = _get_indicator(slug)
    chart = _series_chart(ind, Store(), _as_of(request)[0])
    return HttpResponse(chart.csv, content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{ind.slug}-series.csv"'})  # fmt: skip


TREND_PERIODS = 12  # the trend line in a profile shows up to the last twelve periods


def _trend(row: queries.ProfileRow, place: Place, store: Store) -> str:
    """A sparkline of the place's last periods, or "" where there is no trend to draw."""
    ind = row.indicator
    if row.period is None or row.value is None:
        return ""
    wanted = [p for p in queries.periods(ind, store) if p <= row.period][-TREND_PERIODS:]
    if len(wanted) < 2:
        return ""
    covers = [a for a in place.areas.all() if a.relation == PlaceArea.Relation.COVERS]
    if len(covers) == 1 and not covers[0].start and not covers[0].end and not row.note:
        # One area, the same throughout: its published series, as the indicator page reads it.
        points = [p for p in queries.area_series(ind, covers[0].area_code, store) if p.period in wanted]
    else:
        points = queries.place_series(ind, place, store, only=wanted)
    # The line is not drawn across a break (another release, other areas), as on the indicator page's chart.
    breaks = {p.period for p in points[1:] if p.is_break}
    return charts.sparkline([(p.period, p.value) for p in points], unit=ind.unit, breaks=breaks)


def _ranks(row: queries.ProfileRow) -> dict[str, str]:
    """The ranks ("12 of 361 areas", "3 of 24 members") worded here, not by two translation tags in each of ~80 rows."""
    return {
        "all": gettext("%(rank)s of %(of)s areas") % {"rank": row.rank_all, "of": row.of_all} if row.rank_all else "",
        "members": gettext("%(rank)s of %(of)s members") % {"rank": row.rank_members, "of": row.of_members}
        if row.rank_members else "",
    }  # fmt: skip


@public
def place_profile(request: HttpRequest, slug: str) -> HttpResponse:
    place = Place.objects.prefetch_related("areas").filter(slug=slug).first()
    if place is None:
        raise Http404
    as_of, as_of_given = _as_of(request)
    store = Store()
    # Per theme: the indicators with a figure for the place, then those without (and why), apart.
    themes: dict[str, dict[str, list[Any]]] = {}
    for row in queries.place_profile(place, store, as_of=as_of):
        theme = themes.setdefault(localised_text(row.indicator, "topic"), {"rows": [], "missing": []})
        if row.reason:
            theme["missing"].append(row)
        else:
            theme["rows"].append({"row": row, "trend": _trend(row, place, store), "ranks": _ranks(row)})
    return render(request, "observatory/place_profile.html",
                  {"place": place, "themes": themes, "as_of": as_of, "as_of_given": as_of_given})  # fmt: skip


@public
def place_profile_csv(request: HttpRequest, slug: str) -> HttpResponse:
    place = Place.objects.prefetch_related("areas").filter(slug=slug).first()
    if place is None:
        raise Http404
    header = ["indicator", "unit", "period", "value", "previous_period", "previous_value", "change", "rank_all_las",
              "of_las", "rank_members", "of_members", "region", "uk", "release", "note"]  # fmt: skip
    rows = [
        [r.indicator.slug, r.indicator.unit, r.period, r.value, r.previous_period, r.previous_value, r.change,
         r.rank_all, r.of_all, r.rank_members, r.of_members, r.region, r.uk, str(r.release) if r.release else "",
         " ".join(t for t in (r.reason or r.note, r.change_break) if t)]
        for r in queries.place_profile(place, as_of=_as_of(request)[0])
    ]  # fmt: skip
    return csv_response(f"{place.slug}-profile.csv", header, rows)


@public
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    chart = None
    if form.is_valid():
        ind: Indicator = form.cleaned_data["indicator"]
        as_of = form.cleaned_data.get("as_of") or dt.date.today()
        store = Store()
        named: dict[str, list[queries.SeriesPoint]] = {}
        for group in form.cleaned_data["groups"]:
            named[group.name] = queries.group_series(ind, group.slug, store, as_of=as_of)
        for place in form.cleaned_data["places"]:
            named[place.name] = queries.place_series(ind, place, store)
        if named:
            series, breaks = queries.chart_series(named)
            title = gettext("%(name)s: comparison") % {"name": localised_text(ind, "name")}
            chart = charts.line_chart(title, series, unit=ind.unit, breaks=breaks)
            if request.GET.get("format") == "csv":
                return HttpResponse(
                    chart.csv,
                    content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="compare-{ind.slug}.csv"'},
                )
    query = request.GET.copy()
    query["format"] = "csv"
    chosen = form.cleaned_data.get("as_of") if form.is_valid() else None
    context = {"form": form, "chart": chart, "csv_url": f"?{query.urlencode()}", "as_of": chosen or dt.date.today(),
               "as_of_given": bool(chosen)}  # fmt: skip
    return render(request, "observatory/compare.html", context)
