"""The observatory's public read functions, used by its pages and API and by
other apps (claims, briefings). Nothing outside this app reads its tables
directly."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from keycities.core.charts import exact_difference, format_change, format_value
from keycities.network.models import Group, Place, PlaceArea

from .aggregation import (
    COMPARATOR_AREAS,
    AggregationError,
    AreaFigure,
    GroupFigure,
    MemberFigure,
    Store,
    _covering,
    _indicator_signature,
    area_figure,
    figure_for_places,
    group_figure,
    local_periods,
)
from .models import Aggregation, Area, Indicator, Release, Unit
from .models import dataset_title as dataset_title  # a title in the active language, for frozen release records

KEY_CITIES = "key-cities"
CORE_CITIES = "core-cities"


def indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("numerator", "denominator", "weight")


def indicator(slug: str) -> Indicator | None:
    return indicators().filter(slug=slug).first()


def source_indicator(ind: Indicator) -> Indicator:
    """The indicator whose releases a derived one is computed from."""
    return ind.numerator if ind.derived and ind.numerator else ind


def periods(ind: Indicator, store: Store) -> list[int]:
    """The periods with local authority figures (ITL-only years are left out)."""
    return local_periods(ind, store) or store.periods(source_indicator(ind))


# --------------------------------------------------------------------------- area values


@dataclass
class AreaValue:
    code: str
    name: str
    value: float | None
    status: str
    rank: int | None = None
    member: str = ""  # name of the member place this area belongs to, if any
    member_slug: str = ""


def _raw_area_values(ind: Indicator, period: int, store: Store, local_authorities_only: bool,
                     release: Release | None) -> tuple[dict[str, tuple[float | None, str]], list[Release]]:  # fmt: skip
    """Area code -> (value, status) for a period on the newest release (or the one given), and that release."""
    if ind.aggregation == Aggregation.RATIO and ind.derived and ind.numerator and ind.denominator:
        las = store.memo("local-authority-codes",
                         lambda: set(Area.objects.local_authorities().values_list("code", flat=True)))  # fmt: skip
        both = [r for r in store.releases(ind.numerator, period) if store.holds(r, ind.denominator, period)
                and (release is None or r.pk == release.pk)]  # fmt: skip
        both = _covering(store, both, ind.numerator, period, las) if local_authorities_only else both
        if not both:
            return {}, []
        chosen = both[0]
        nv, dv = store.values(chosen, ind.numerator, period), store.values(chosen, ind.denominator, period)
        raw: dict[str, tuple[float | None, str]] = {}
        for code in set(nv) & set(dv):
            n, d = nv[code].value, dv[code].value
            raw[code] = (ind.scale * n / d if n is not None and d else None, nv[code].status or dv[code].status)
        releases = [chosen]
    else:
        candidates = [release] if release else store.releases(source_indicator(ind), period)
        if local_authorities_only and not release:
            las = store.memo("local-authority-codes",
                             lambda: set(Area.objects.local_authorities().values_list("code", flat=True)))  # fmt: skip
            candidates = _covering(store, candidates, ind, period, las)
        latest = candidates[0] if candidates else None
        if latest is None:
            return {}, []
        raw = {code: (v.value, v.status) for code, v in store.values(latest, ind, period).items()}
        releases = [latest]
    return raw, releases


def area_values(ind: Indicator, period: int, store: Store, *, local_authorities_only: bool = True,
                release: Release | None = None, as_of: dt.date | None = None
                ) -> tuple[list[AreaValue], list[Release]]:  # fmt: skip
    """Every area's value for a period on the newest release (or the one given), ranked (1 = highest)."""
    raw, releases = _raw_area_values(ind, period, store, local_authorities_only, release)
    if not releases:
        return [], []
    las = store.memo(
        "local-authority-codes", lambda: set(Area.objects.local_authorities().values_list("code", flat=True))
    )
    members = store.memo(("member-area-codes", as_of), lambda: member_area_codes(KEY_CITIES, as_of))
    codes = [c for c in raw if c in las] if local_authorities_only else list(raw)
    # The names of these areas only: the area table also holds some 22,000 small areas.
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    rows = [AreaValue(c, names[c], raw[c][0], raw[c][1], member=members.get(c, ("", ""))[1],
                      member_slug=members.get(c, ("", ""))[0]) for c in codes]  # fmt: skip
    if is_published_rank(ind):  # the rank as published (1 = most deprived for the IoD), never ranked again
        for row in rows:
            row.rank = round(row.value) if row.value is not None else None
    else:
        ranked = sorted((r for r in rows if r.value is not None), key=lambda r: -(r.value or 0))
        for i, row in enumerate(ranked):
            row.rank = i + 1 if i == 0 or row.value != ranked[i - 1].value else ranked[i - 1].rank
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return rows, releases


def is_published_rank(ind: Indicator) -> bool:
    """A rank the publisher gives (the IoD's ranks of districts), as opposed to a value the Hub ranks."""
    return ind.unit == Unit.RANK and ind.aggregation == Aggregation.NOT_COMBINABLE


def member_area_codes(group: str = KEY_CITIES, on: dt.date | None = None) -> dict[str, tuple[str, str]]:
    """Area code -> (place slug, place name) for the group's members' counted areas (at any date)."""
    places = Place.objects.members_of(group, on or dt.date.today()).prefetch_related("areas")
    return {
        a.area_code: (p.slug, p.name) for p in places for a in p.areas.all() if a.relation == PlaceArea.Relation.COVERS
    }


# --------------------------------------------------------------------------- series


@dataclass
class SeriesPoint:
    """One period of a series, with what it was computed from, and why it cannot be read as growth from the
    period before when the release, the boundaries or the members covered change (`break_reason`)."""

    period: int
    value: float | None
    release: Release | None = None
    areas: dict[str, tuple[str, ...]] = field(default_factory=dict)  # member (or area) -> area codes used
    names: dict[str, str] = field(default_factory=dict)  # member -> name
    break_reason: str = ""

    @property
    def is_break(self) -> bool:
        return bool(self.break_reason)


def _names(slugs: Iterable[str], names: dict[str, str]) -> str:
    return ", ".join(names.get(s, s) for s in sorted(slugs, key=lambda s: names.get(s, s)))


def _release_dated(release: Release) -> str:
    return f"{release.dataset.title_text} ({date_format(release.release_date, 'j F Y')})"


def mark_breaks(points: list[SeriesPoint]) -> list[SeriesPoint]:
    """Set each point's break reason where the release, the boundaries or the members covered differ from the
    point before (ADR 0025)."""
    for before, now in itertools.pairwise(points):
        reasons = []
        if before.release and now.release and before.release.pk != now.release.pk:
            reasons.append(
                _("From %(period)s the figures come from %(new)s; before, from %(old)s.")
                % {"period": now.period, "new": _release_dated(now.release), "old": _release_dated(before.release)}
            )
        names = {**before.names, **now.names}
        if joined := now.areas.keys() - before.areas.keys():
            reasons.append(_("%(names)s counted from %(period)s.") % {"names": _names(joined, names),
                                                                       "period": now.period})  # fmt: skip
        if left := before.areas.keys() - now.areas.keys():
            reasons.append(_("%(names)s not counted from %(period)s.") % {"names": _names(left, names),
                                                                           "period": now.period})  # fmt: skip
        for slug in sorted(now.areas.keys() & before.areas.keys()):
            if now.areas[slug] != before.areas[slug]:
                reasons.append(_("%(name)s is %(new)s from %(period)s (before: %(old)s).") % {
                    "name": names.get(slug, slug), "new": ", ".join(now.areas[slug]), "period": now.period,
                    "old": ", ".join(before.areas[slug])})  # fmt: skip
        now.break_reason = " ".join(reasons)
    return points


def area_series(ind: Indicator, code: str, store: Store) -> list[SeriesPoint]:
    """One area's values over time, each period from the newest release that has the area."""
    out: list[SeriesPoint] = []
    for period in periods(ind, store):
        for release in store.releases(source_indicator(ind), period):
            if ind.derived and ind.numerator and ind.denominator:
                n = store.values(release, ind.numerator, period).get(code)
                d = store.values(release, ind.denominator, period).get(code)
                if n and d:
                    value = ind.scale * n.value / d.value if n.value is not None and d.value else None
                    out.append(SeriesPoint(period, value, release))
                    break
            else:
                found = store.values(release, ind, period).get(code)
                if found:
                    out.append(SeriesPoint(period, found.value, release))
                    break
    return mark_breaks(out)


def _point(period: int, members: list[MemberFigure], value: float | None, releases: list[Release]) -> SeriesPoint:
    return SeriesPoint(period, value, releases[0] if releases else None,
                       {m.slug: tuple(m.areas) for m in members}, {m.slug: m.name for m in members})  # fmt: skip


def group_series(ind: Indicator, group: str, store: Store, *, as_of: dt.date | None = None) -> list[SeriesPoint]:
    """The group's figure for every period, with today's membership by default; breaks marked."""
    out: list[SeriesPoint] = []
    for period in periods(ind, store):
        try:
            figure = group_figure(group, ind, period, as_of=as_of or dt.date.today(), store=store)
        except AggregationError:
            continue
        value = figure.value if figure.value is not None else figure.median
        out.append(_point(period, figure.members, value, figure.releases))
    return mark_breaks(out)


def place_series(ind: Indicator, place: Place, store: Store, *, only: Iterable[int] | None = None
                 ) -> list[SeriesPoint]:  # fmt: skip
    """One place's figure for every period (or for the periods `only`), its areas following its cover; breaks
    marked."""
    out: list[SeriesPoint] = []
    wanted = None if only is None else set(only)
    for period in periods(ind, store):
        if wanted is not None and period not in wanted:
            continue
        try:
            members, _missing, releases, _m, _v, _n, _d = figure_for_places(ind, period, [place], store=store)
        except AggregationError:
            continue
        out.append(_point(period, members, members[0].value if members else None, releases))
    return mark_breaks(out)


ChartPoints = list[tuple[int | str, float | None]]


def chart_series(named: dict[str, list[SeriesPoint]]) -> tuple[dict[str, ChartPoints], dict[str, dict[int | str, str]]]:
    """Series as a line chart takes them: values by name, and each name's breaks (period -> reason)."""
    values: dict[str, ChartPoints] = {name: [(p.period, p.value) for p in points] for name, points in named.items()}
    breaks: dict[str, dict[int | str, str]] = {
        name: {p.period: p.break_reason for p in points if p.is_break} for name, points in named.items()
    }
    return values, breaks


# --------------------------------------------------------------------------- comparisons


@dataclass
class Comparison:
    name: str
    value: float | None
    how: str
    share: float | None = None  # the members in this area as a percentage of it, for counts
    share_label: str = ""  # what the share is of, e.g. "English members: 8.6% of England’s population"


def _what(ind: Indicator) -> str:
    return ind.name[:1].lower() + ind.name[1:] if not ind.name[1:2].isupper() else ind.name


def share_label(area: str, share: float, ind: Indicator, group_name: str) -> str:
    """Who the share is of and of what: the whole group of the UK, a nation's members of that nation."""
    args = {"share": f"{share:.1f}%", "what": _what(ind), "group": group_name}
    labels = {
        "United Kingdom": _("%(group)s: %(share)s of the UK’s %(what)s"),
        "England": _("English members: %(share)s of England’s %(what)s"),
        "Wales": _("Welsh members: %(share)s of Wales’s %(what)s"),
        "Scotland": _("Scottish members: %(share)s of Scotland’s %(what)s"),
        "Northern Ireland": _("Northern Irish members: %(share)s of Northern Ireland’s %(what)s"),
    }
    return labels[area] % args


@dataclass
class IndicatorSummary:
    indicator: Indicator
    period: int
    key_cities: GroupFigure
    comparisons: list[Comparison] = field(default_factory=list)


def member_shares(ind: Indicator, kc: GroupFigure, area: str, value: float | None) -> tuple[float | None, str]:
    """Shares follow geography (ADR 0025): the whole group as a share of the UK; for a nation, only the members
    in that nation as a share of it, labelled so. No share of a nation with no members, nor of another group."""
    if ind.aggregation != Aggregation.SUM or not value or kc.value is None:
        return None, ""
    if area == "United Kingdom":
        share = 100 * kc.value / value
    else:
        inside = [m.value for m in kc.members if m.nation == area and m.value is not None]
        if not inside:
            return None, ""
        share = 100 * sum(inside) / value
    return share, share_label(area, share, ind, kc.group_name)


def other_totals(name: str, ind: Indicator, period: int, release: Release, store: Store, value: float | None) -> str:
    """Where another release publishes a different total for the comparator, say so and why: the page's (and the
    claims') total is always on the release the members' figures come from."""
    if ind.derived or value is None:
        return ""
    said = []
    for other in store.releases(ind, period):
        if other.pk == release.pk:
            continue
        data = store.values(other, ind, period)
        for code in COMPARATOR_AREAS[name]:
            found = data.get(code)
            if found and found.value is not None and found.value != value:
                extra = _(", including Extra-Regio") if code == "UK" else ""
                said.append(f"{format_value(found.value, ind.unit)} ({other.dataset.title_text}, "
                            f"{date_format(other.release_date, 'j F Y')}{extra})")  # fmt: skip
                break
    if not said:
        return ""
    return _(
        ". Other releases publish %(totals)s: another vintage of the figures, so this page (and every claim) "
        "uses the total from the release the members’ figures come from."
    ) % {"totals": "; ".join(said)}


def compare_group(ind: Indicator, period: int, store: Store, *, as_of: dt.date | None = None) -> IndicatorSummary:
    """Key Cities against the UK, England, Wales, Scotland and the Core Cities, as values and shares of the
    geography the members are in."""
    kc = group_figure(KEY_CITIES, ind, period, as_of=as_of or dt.date.today(), store=store)
    comparisons: list[Comparison] = []
    release = kc.releases[0]
    for name in COMPARATOR_AREAS:
        found: AreaFigure | None = area_figure(name, ind, period, release, store)
        if found is None:
            comparisons.append(Comparison(name, None, _("not published in this release")))
            continue
        share, label = member_shares(ind, kc, name, found.value)
        how = found.method + other_totals(name, ind, period, release, store, found.value)
        comparisons.append(Comparison(name, found.value, how, share, label))
    try:
        core = group_figure(CORE_CITIES, ind, period, as_of=as_of or dt.date.today(), store=store)
        value = core.value if core.value is not None else core.median
        how = _("group figure") if core.value is not None else _("median of the members")
        if core.missing:
            how += "; " + _("%(n)s missing") % {"n": len(core.missing)}
        # No share: Key Cities is not part of the Core Cities.
        comparisons.append(Comparison("Core Cities", value, how))
    except AggregationError as exc:
        comparisons.append(Comparison("Core Cities", None, str(exc)))
    return IndicatorSummary(ind, period, kc, comparisons)


# --------------------------------------------------------------------------- place profile


@dataclass
class ProfileRow:
    indicator: Indicator
    period: int | None
    value: float | None
    previous_period: int | None = None
    previous_value: float | None = None
    rank_all: int | None = None
    of_all: int = 0
    rank_members: int | None = None
    of_members: int = 0
    region: float | None = None
    uk: float | None = None
    reason: str = ""
    release: Release | None = None
    note: str = ""
    change_break: str = ""  # why the change from the year before is not growth alone (another release, areas)

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous_value is None or self.indicator.unit == Unit.RANK:
            return None
        return exact_difference(self.value, self.previous_value)

    @property
    def change_text(self) -> str:
        """A rate's change in percentage points, a level's in its unit and in per cent; none for a rank."""
        if self.indicator.unit == Unit.RANK:
            return "–"
        return format_change(self.value, self.previous_value, self.indicator.unit)


def place_profile(place: Place, store: Store | None = None, *, as_of: dt.date | None = None,
                  only: Iterable[str] | None = None) -> list[ProfileRow]:  # fmt: skip
    """Every indicator for one place (or `only` those slugs, e.g. a briefing's headline figures): latest value,
    trend, ranks (among members on `as_of`, today by default), region and UK. A published rank is shown as
    published, never ranked again."""
    store = store or Store()
    as_of = as_of or dt.date.today()
    rows = []
    chosen = indicators() if only is None else indicators().filter(slug__in=list(only))
    for ind in chosen:
        ps = periods(ind, store)
        if not ps:
            continue
        period = ps[-1]
        row = ProfileRow(ind, period, None)
        members, missing, releases, _, _, _, _ = figure_for_places(ind, period, [place], store=store)
        if missing:
            row.reason = missing[0].reason
        else:
            row.value = members[0].value
            row.note = members[0].note
        row.release = releases[0] if releases else None
        if len(ps) > 1:
            prev, _, prev_releases, _, _, _, _ = figure_for_places(ind, ps[-2], [place], store=store)
            if prev:
                row.previous_period, row.previous_value = ps[-2], prev[0].value
                now = _point(period, members, row.value, releases)
                before = _point(ps[-2], prev, prev[0].value, prev_releases)
                row.change_break = mark_breaks([before, now])[1].break_reason
        if is_published_rank(ind):  # no rank of a rank
            rows.append(_comparators(row, ind, place, period, store))
            continue
        row.rank_all, row.of_all = _rank_among_local_authorities(ind, period, store, members)
        try:
            group = group_figure(KEY_CITIES, ind, period, as_of=as_of, store=store)
            member_values = sorted((m.value for m in group.members if m.value is not None), reverse=True)
            row.of_members = len(member_values)
            if row.value is not None and row.value in member_values:
                row.rank_members = member_values.index(row.value) + 1
        except AggregationError:
            pass
        rows.append(_comparators(row, ind, place, period, store))
    return rows


def _rank_among_local_authorities(ind: Indicator, period: int, store: Store, members: list[MemberFigure]
                                  ) -> tuple[int | None, int]:  # fmt: skip
    """(the place's rank among local authorities, as `area_values` ranks them, or None when the place is not
    one local authority; how many are ranked), counted without building and sorting every area's row."""

    def ranking() -> tuple[dict[str, float], list[float]]:
        raw, _ = _raw_area_values(ind, period, store, True, None)
        las = store.memo("local-authority-codes",
                         lambda: set(Area.objects.local_authorities().values_list("code", flat=True)))  # fmt: skip
        by_code = {code: v for code, (v, _) in raw.items() if v is not None and code in las}
        return by_code, sorted(by_code.values())

    # Sorted once per process for the releases read (a release never changes), found by bisection.
    by_code, ascending = store.kept(("la-ranking", _indicator_signature(ind), period), ranking)
    rank = None
    # A place standing for itself: one area, its own (not another boundary that contains it).
    if len(members) == 1 and len(members[0].areas) == 1 and not members[0].note:
        mine = by_code.get(members[0].areas[0])
        if mine is not None:
            rank = 1 + len(ascending) - bisect.bisect_right(ascending, mine)  # 1 + how many are higher
    return rank, len(ascending)


def _comparators(row: ProfileRow, ind: Indicator, place: Place, period: int, store: Store) -> ProfileRow:
    """The place's region and the UK on the row's release."""
    if row.release is not None:
        region = store.values(row.release, source_indicator(ind), period).get(place.region_code)
        row.region = region.value if region and not ind.derived else None
        uk = area_figure("United Kingdom", ind, period, row.release, store)
        row.uk = uk.value if uk else None
    return row


# --------------------------------------------------------------------------- revisions


@dataclass
class Revision:
    code: str
    name: str
    period: int
    old: float | None
    new: float | None


def revisions(ind: Indicator, old: Release, new: Release, *, limit: int = 50, store: Store | None = None
              ) -> list[Revision]:  # fmt: skip
    """Values that differ between two releases of the indicator, largest change first: compared from the
    per-process values of each release (which never change), with the names of the areas shown only."""
    store = store or Store()
    before, after = store.all_values(old, ind), store.all_values(new, ind)
    changed = []
    for period in before.keys() & after.keys():
        was, now = before[period], after[period]
        changed += [(code, period, was[code].value, now[code].value)
                    for code in was.keys() & now.keys() if was[code].value != now[code].value]  # fmt: skip
    changed.sort(key=lambda r: (-abs((r[3] or 0) - (r[2] or 0)), r[0], r[1]))
    shown = changed[:limit]
    names = dict(Area.objects.filter(code__in={r[0] for r in shown}).values_list("code", "name"))
    return [Revision(code, names.get(code, code), period, old_value, new_value)
            for code, period, old_value, new_value in shown]  # fmt: skip


def releases_of(ind: Indicator, store: Store | None = None) -> list[Release]:
    """The finished releases holding the indicator (a derived one's numerator), newest first: read from the
    store's coverage map, not by a DISTINCT over the observations (which cost PostgreSQL ~100 ms a page)."""
    store = store or Store()
    source = source_indicator(ind)
    found = {r.pk: r for period in store.periods(source) for r in store.releases(source, period)}
    return sorted(found.values(), key=lambda r: (r.release_date, r.imported_at), reverse=True)


def groups_for_comparison() -> QuerySet[Group]:
    return Group.objects.all()
