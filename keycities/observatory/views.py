"""Observatory pages. Thin: each parses its input, calls `queries`, builds
charts and renders."""

from __future__ import annotations

import itertools
import json
from functools import cache
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from keycities.core import charts
from keycities.core.access import public
from keycities.core.api import csv_response
from keycities.network.models import Place, PlaceArea

from . import catalogue, presenters, queries
from .aggregation import AggregationError, Store, figure_for_places, local_periods
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
    themes: list[str] = []
    total = 0
    for ind in queries.indicators():
        periods = store.periods(queries.source_indicator(ind))
        if not periods:
            continue
        total += 1
        if ind.topic not in themes:
            themes.append(ind.topic)
        text = f"{ind.name} {ind.definition} {ind.slug} {ind.topic}".lower()
        if (theme and ind.topic != theme) or any(w not in text for w in words):
            continue
        topics.setdefault(ind.topic, []).append({
            "indicator": ind, "first": periods[0], "latest": periods[-1],
            "regions_only": not local_periods(ind, store),
        })  # fmt: skip
    shown = sum(len(items) for items in topics.values())
    return render(request, "observatory/catalogue.html", {
        "topics": topics, "themes": themes, "query": query, "theme": theme if theme in themes else "",
        "shown": shown, "total": total, "filtered": bool(query or theme),
    })  # fmt: skip


def _series_chart(ind: Indicator, store: Store) -> charts.Chart:
    series = {
        "Key Cities": queries.group_series(ind, queries.KEY_CITIES, store),
        "Core Cities": queries.group_series(ind, queries.CORE_CITIES, store),
    }
    uk = queries.area_series(ind, "K02000001", store)
    if any(v is not None for _, v in uk):
        series["United Kingdom"] = uk
    combined = ind.aggregation != Aggregation.NOT_COMBINABLE
    what = "" if combined else " (median of the members)"
    return charts.line_chart(f"{ind.name}{what}, Key Cities (today's members) compared", series, unit=ind.unit,
                             highlight="Key Cities")  # fmt: skip


@public
def indicator_page(request: HttpRequest, slug: str) -> HttpResponse:
    ind = _get_indicator(slug)
    store = Store()
    periods = queries.periods(ind, store)
    if not periods:
        raise Http404
    period = _period(request, periods)
    summary, summary_error, regions = None, "", []
    rows, releases = queries.area_values(ind, period, store)
    members = {r.code for r in rows if r.member}
    regions_only = not local_periods(ind, store)
    if regions_only:
        # Published for ITL regions and nations only (subnational trade): no member can be compared, so the
        # page shows what the data does say, the regions, and no group figure or one-dot chart.
        found, releases = queries.area_values(ind, period, store, local_authorities_only=False)
        regions = presenters.regions_by_level(found)
    else:
        try:
            summary = queries.compare_group(ind, period, store)
        except AggregationError as exc:
            summary_error = str(exc)
    built: dict[str, charts.Chart] = {}
    if not regions_only and len(periods) > 1:
        built["series"] = _series_chart(ind, store)
    if rows:
        built["map"] = charts.choropleth(
            f"{ind.name}, {ind.label_period(period)}, by local authority",
            {r.code: r.value for r in rows}, topology=_topology(), layer="ltla", outline_codes=members,
            unit=ind.unit, higher_is_better=ind.higher_is_better, year=period,
            outline_label=gettext("Key Cities member"), no_data_label=gettext("No data"),
        )  # fmt: skip
    same_dataset = [r for r in queries.releases_of(ind)]
    revision_pairs = _revision_pairs(same_dataset)
    revised = None
    if revision_pairs:
        old, new = revision_pairs[0]
        revised = {"old": old, "new": new, "rows": queries.revisions(ind, old, new)}
    return render(request, "observatory/indicator.html", {
        "indicator": ind, "period": period, "periods": periods, "summary": summary, "summary_error": summary_error,
        "rows": rows, "releases": releases, "charts": built, "revised": revised, "all_releases": same_dataset,
        "regions_only": regions_only, "regions": regions, "provisional": any(r.status == "provisional" for r in rows),
    })  # fmt: skip


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
    chart = _series_chart(ind, Store())
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
        points = [(p, v) for p, v in queries.area_series(ind, covers[0].area_code, store) if p in wanted]
    else:
        points = []
        for period in wanted:
            try:
                members, *_ = figure_for_places(ind, period, [place], store=store)
            except AggregationError:
                continue
            points.append((period, members[0].value if members else None))
    return charts.sparkline(points, unit=ind.unit)


@public
def place_profile(request: HttpRequest, slug: str) -> HttpResponse:
    place = Place.objects.prefetch_related("areas").filter(slug=slug).first()
    if place is None:
        raise Http404
    store = Store()
    # Per theme: the indicators with a figure for the place, then those without (and why), apart.
    themes: dict[str, dict[str, list[Any]]] = {}
    for row in queries.place_profile(place, store):
        theme = themes.setdefault(row.indicator.topic, {"rows": [], "missing": []})
        if row.reason:
            theme["missing"].append(row)
        else:
            theme["rows"].append({"row": row, "trend": _trend(row, place, store)})
    return render(request, "observatory/place_profile.html", {"place": place, "themes": themes})


@public
def place_profile_csv(request: HttpRequest, slug: str) -> HttpResponse:
    place = Place.objects.prefetch_related("areas").filter(slug=slug).first()
    if place is None:
        raise Http404
    header = ["indicator", "unit", "period", "value", "previous_period", "previous_value", "rank_all_las", "of_las",
              "rank_members", "of_members", "region", "uk", "release", "note"]  # fmt: skip
    rows = [
        [r.indicator.slug, r.indicator.unit, r.period, r.value, r.previous_period, r.previous_value, r.rank_all,
         r.of_all, r.rank_members, r.of_members, r.region, r.uk, str(r.release) if r.release else "",
         r.reason or r.note]
        for r in queries.place_profile(place)
    ]  # fmt: skip
    return csv_response(f"{place.slug}-profile.csv", header, rows)


@public
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET or None)
    chart = None
    if form.is_valid():
        ind: Indicator = form.cleaned_data["indicator"]
        store = Store()
        series: dict[str, list[tuple[int | str, float | None]]] = {}
        for group in form.cleaned_data["groups"]:
            series[group.name] = list(queries.group_series(ind, group.slug, store))
        for place in form.cleaned_data["places"]:
            series[place.name] = list(_place_series(ind, place, store))
        if series:
            chart = charts.line_chart(f"{ind.name}: comparison", series, unit=ind.unit)
            if request.GET.get("format") == "csv":
                return HttpResponse(
                    chart.csv,
                    content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="compare-{ind.slug}.csv"'},
                )
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request, "observatory/compare.html", {"form": form, "chart": chart, "csv_url": f"?{query.urlencode()}"}
    )


def _place_series(ind: Indicator, place: Place, store: Store) -> list[tuple[int | str, float | None]]:
    from .aggregation import figure_for_places

    out: list[tuple[int | str, float | None]] = []
    for period in queries.periods(ind, store):
        try:
            members, _, _, _, _, _, _ = figure_for_places(ind, period, [place], store=store)
        except AggregationError:
            continue
        out.append((period, members[0].value if members else None))
    return out
