"""The observatory's public read functions, used by its pages and API and by
other apps (claims, briefings). Nothing outside this app reads its tables
directly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from keycities.network.models import Group, Place, PlaceArea

from .aggregation import (
    COMPARATOR_AREAS,
    AggregationError,
    AreaFigure,
    GroupFigure,
    MemberFigure,
    Store,
    _covering,
    area_figure,
    figure_for_places,
    group_figure,
    local_periods,
)
from .models import Aggregation, Area, Indicator, Observation, Release

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
                release: Release | None = None) -> tuple[list[AreaValue], list[Release]]:  # fmt: skip
    """Every area's value for a period on the newest release (or the one given), ranked (1 = highest)."""
    raw, releases = _raw_area_values(ind, period, store, local_authorities_only, release)
    if not releases:
        return [], []
    las = store.memo(
        "local-authority-codes", lambda: set(Area.objects.local_authorities().values_list("code", flat=True))
    )
    members = store.memo("member-area-codes", member_area_codes)
    codes = [c for c in raw if c in las] if local_authorities_only else list(raw)
    # The names of these areas only: the area table also holds some 22,000 small areas.
    names = dict(Area.objects.filter(code__in=codes).values_list("code", "name"))
    rows = [AreaValue(c, names[c], raw[c][0], raw[c][1], member=members.get(c, ("", ""))[1],
                      member_slug=members.get(c, ("", ""))[0]) for c in codes]  # fmt: skip
    ranked = sorted((r for r in rows if r.value is not None), key=lambda r: -(r.value or 0))
    for i, row in enumerate(ranked):
        row.rank = i + 1 if i == 0 or row.value != ranked[i - 1].value else ranked[i - 1].rank
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name))
    return rows, releases


def member_area_codes(group: str = KEY_CITIES, on: dt.date | None = None) -> dict[str, tuple[str, str]]:
    """Area code -> (place slug, place name) for the group's members' counted areas (at any date)."""
    places = Place.objects.members_of(group, on or dt.date.today()).prefetch_related("areas")
    return {
        a.area_code: (p.slug, p.name) for p in places for a in p.areas.all() if a.relation == PlaceArea.Relation.COVERS
    }


# --------------------------------------------------------------------------- series


def area_series(ind: Indicator, code: str, store: Store) -> list[tuple[int | str, float | None]]:
    """One area's values over time, each period from the newest release that has the area."""
    out: list[tuple[int | str, float | None]] = []
    for period in periods(ind, store):
        for release in store.releases(source_indicator(ind), period):
            if ind.derived and ind.numerator and ind.denominator:
                n = store.values(release, ind.numerator, period).get(code)
                d = store.values(release, ind.denominator, period).get(code)
                if n and d:
                    out.append((period, ind.scale * n.value / d.value if n.value is not None and d.value else None))
                    break
            else:
                found = store.values(release, ind, period).get(code)
                if found:
                    out.append((period, found.value))
                    break
    return out


def group_series(ind: Indicator, group: str, store: Store, *, as_of: dt.date | None = None
                 ) -> list[tuple[int | str, float | None]]:  # fmt: skip
    """The group's figure for every period, with today's membership by default."""
    out: list[tuple[int | str, float | None]] = []
    for period in periods(ind, store):
        try:
            figure = group_figure(group, ind, period, as_of=as_of or dt.date.today(), store=store)
        except AggregationError:
            continue
        out.append((period, figure.value if figure.value is not None else figure.median))
    return out


# --------------------------------------------------------------------------- comparisons


@dataclass
class Comparison:
    name: str
    value: float | None
    how: str
    share: float | None = None  # group value as a percentage of this comparator, for counts


@dataclass
class IndicatorSummary:
    indicator: Indicator
    period: int
    key_cities: GroupFigure
    comparisons: list[Comparison] = field(default_factory=list)


def compare_group(ind: Indicator, period: int, store: Store, *, as_of: dt.date | None = None) -> IndicatorSummary:
    """Key Cities against the UK, England, Wales, Scotland and the Core Cities, as values and shares."""
    kc = group_figure(KEY_CITIES, ind, period, as_of=as_of or dt.date.today(), store=store)
    comparisons: list[Comparison] = []
    release = kc.releases[0]
    for name in COMPARATOR_AREAS:
        found: AreaFigure | None = area_figure(name, ind, period, release, store)
        if found is None:
            comparisons.append(Comparison(name, None, "not published in this release"))
            continue
        share = (100 * kc.value / found.value if ind.aggregation == Aggregation.SUM and kc.value is not None
                 and found.value else None)  # fmt: skip
        comparisons.append(Comparison(name, found.value, found.method, share))
    try:
        core = group_figure(CORE_CITIES, ind, period, as_of=as_of or dt.date.today(), store=store)
        value = core.value if core.value is not None else core.median
        how = "group figure" if core.value is not None else "median of the members"
        share = (100 * kc.value / core.value if ind.aggregation == Aggregation.SUM and kc.value is not None
                 and core.value else None)  # fmt: skip
        comparisons.append(Comparison("Core Cities", value, how + (f"; {len(core.missing)} missing" if core.missing
                                                                   else ""), share))  # fmt: skip
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

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value


def place_profile(place: Place, store: Store | None = None) -> list[ProfileRow]:
    """Every indicator for one place: latest value, trend, ranks, region and UK."""
    store = store or Store()
    rows = []
    for ind in indicators():
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
            prev, _, _, _, _, _, _ = figure_for_places(ind, ps[-2], [place], store=store)
            if prev:
                row.previous_period, row.previous_value = ps[-2], prev[0].value
        row.rank_all, row.of_all = _rank_among_local_authorities(ind, period, store, members)
        try:
            group = group_figure(KEY_CITIES, ind, period, as_of=dt.date.today(), store=store)
            member_values = sorted((m.value for m in group.members if m.value is not None), reverse=True)
            row.of_members = len(member_values)
            if row.value is not None and row.value in member_values:
                row.rank_members = member_values.index(row.value) + 1
        except AggregationError:
            pass
        if row.release is not None:
            region = store.values(row.release, source_indicator(ind), period).get(place.region_code)
            row.region = region.value if region and not ind.derived else None
            uk = area_figure("United Kingdom", ind, period, row.release, store)
            row.uk = uk.value if uk else None
        rows.append(row)
    return rows


def _rank_among_local_authorities(ind: Indicator, period: int, store: Store, members: list[MemberFigure]
                                  ) -> tuple[int | None, int]:  # fmt: skip
    """(the place's rank among local authorities, as `area_values` ranks them, or None when the place is not
    one local authority; how many are ranked), counted without building and sorting every area's row."""
    raw, _ = _raw_area_values(ind, period, store, True, None)
    las = store.memo("local-authority-codes",
                     lambda: set(Area.objects.local_authorities().values_list("code", flat=True)))  # fmt: skip
    ranked = [v for code, (v, _) in raw.items() if v is not None and code in las]
    rank = None
    # A place standing for itself: one area, its own (not another boundary that contains it).
    if len(members) == 1 and len(members[0].areas) == 1 and not members[0].note:
        mine = raw.get(members[0].areas[0], (None, ""))[0]
        if mine is not None and members[0].areas[0] in las:
            rank = 1 + sum(1 for v in ranked if v > mine)
    return rank, len(ranked)


# --------------------------------------------------------------------------- revisions


@dataclass
class Revision:
    code: str
    name: str
    period: int
    old: float | None
    new: float | None


def revisions(ind: Indicator, old: Release, new: Release, *, limit: int = 50) -> list[Revision]:
    """Values that differ between two releases of the indicator, largest change first."""

    def load(release: Release) -> dict[tuple[str, int], tuple[str, float | None]]:
        rows = Observation.objects.filter(release=release, indicator=ind).values_list(
            "area__code", "area__name", "period", "value"
        )
        return {(c, p): (n, v) for c, n, p, v in rows}

    a, b = load(old), load(new)
    changed = [Revision(code, b[(code, p)][0], p, a[(code, p)][1], b[(code, p)][1])
               for (code, p) in a.keys() & b.keys() if a[(code, p)][1] != b[(code, p)][1]]  # fmt: skip
    changed.sort(key=lambda r: -abs((r.new or 0) - (r.old or 0)))
    return changed[:limit]


def releases_of(ind: Indicator) -> QuerySet[Release]:
    return (Release.objects.filter(observations__indicator=source_indicator(ind), status=Release.Status.DONE)
            .distinct().select_related("dataset"))  # fmt: skip


def groups_for_comparison() -> QuerySet[Group]:
    return Group.objects.all()
