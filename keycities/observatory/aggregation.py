"""Group figures with the rules of DESIGN.md §2.

- Counts add up.
- Ratios are recomputed from their parts (GVA per head = Σ GVA / Σ population),
  never averaged. Where a release publishes only the ratio, the ratio is
  weighted by its denominator, which is the same number.
- Rates are weighted by their base (the indicator names the weight).
- Growth is recomputed from the summed levels.
- Medians and other measures that cannot be combined give the members'
  range and median, labelled so, and no group value.

Membership is taken on `as_of` (by default the middle of the period's year)
and each member's cover on the period. Where a member has no figure on a
release's geography the result says so, with the reason; nobody is silently
dropped.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Iterable, KeysView, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.db import connection
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from keycities.core.bilingual import localised_text, marked_text, official_name
from keycities.network.models import Group, Nation, Place, PlaceArea

from .models import LOCAL_AUTHORITY_KINDS, Aggregation, Area, Indicator, Observation, Release

T = TypeVar("T")


class AggregationError(ValueError):
    """The question cannot be answered as asked (no such period, no members on that date...)."""


def period_date(period: int) -> dt.date:
    """The date on which membership and cover are taken for a year's figure."""
    return dt.date(period, 6, 30)


# --------------------------------------------------------------------------- data access


class Value(NamedTuple):
    """One published figure (a named tuple: pages read tens of thousands of them, and tuples are cheap)."""

    value: float | None
    status: str
    note: str = ""


_COVERAGE: dict[str, object] = {}
# A published release never changes once imported, so each (release, indicator)'s values are read from the
# database once per process and kept (docs/adr/0027-evidence-pages-speed.md); emptied with the coverage map
# whenever the set of releases changes. Keyed by the file's checksum as well as the id, so that an id reused
# (after a rolled-back import) can never return another file's figures.
_RELEASE_VALUES: dict[tuple[int, str, int], dict[int, dict[str, Value]]] = {}
# Weights for a weighted rate (weight indicator, period, the rate's release and indicator) -> _nearest_weights:
# they follow from the releases alone, so they are kept and emptied with the values.
_WEIGHTS: dict[tuple[int, int, int, str, int], Any] = {}
# Why a place has no figure in a release (see _why_missing), read from the releases alone: kept likewise.
_REASONS: dict[tuple[Any, ...], str] = {}
# Each computed figure (figure_for_places) by everything it is computed from: the indicator's definition, the
# period, the release asked for, each place's record and areas, and the language of its words. With the
# releases fixed, the same inputs give the same figure, so a profile's 24-member comparisons are not redone on
# every page; emptied with the values, and bounded (a figure for an arbitrary set of places is kept too).
_FIGURES: dict[tuple[Any, ...], Any] = {}
FIGURES_KEPT = 20_000
# Other things that follow from the releases alone (each indicator's periods with local authority figures, the
# comparators' figures): kept likewise.
_DERIVED: dict[tuple[Any, ...], Any] = {}


class Store:
    """Reads observations for one computation: which releases hold which
    (indicator, period), and each (release, indicator)'s values, each loaded
    once. The coverage map and the values of each release (which never change)
    are kept per process until a release is added or removed."""

    def __init__(self) -> None:
        self._values = _RELEASE_VALUES
        self._coverage = self._load_coverage()
        self.version: tuple[int, ...] = _COVERAGE["version"]  # type: ignore[assignment]  # the finished releases' ids
        self._local: set[tuple[int, int, int]] = _COVERAGE["local"]  # type: ignore[assignment]
        self._memo: dict[object, Any] = {}

    def memo(self, key: object, compute: Callable[[], T]) -> T:
        """Compute something once per store (e.g. a group's members on a date)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def kept(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        """Compute once per process something that follows from the releases read alone (`_DERIVED`, emptied
        when they change); the key is taken with the releases this store reads."""
        full = (self.version, *key)
        if full not in _DERIVED:
            _DERIVED[full] = compute()
        return _DERIVED[full]

    @staticmethod
    def _load_coverage() -> dict[tuple[int, int], list[Release]]:
        with connection.cursor() as cursor:  # every request that reads statistics asks: plain SQL, no ORM
            cursor.execute(f"SELECT id FROM {Release._meta.db_table} WHERE status = %s ORDER BY id",  # noqa: S608
                           [Release.Status.DONE.value])  # fmt: skip
            version = tuple(pk for (pk,) in cursor.fetchall())
        if _COVERAGE.get("version") != version:
            releases = {r.pk: r for r in Release.objects.filter(pk__in=version).select_related("dataset")}
            coverage: dict[tuple[int, int], list[Release]] = {}
            rows = Observation.objects.values_list("indicator_id", "period", "release_id").distinct()
            for indicator_id, period, release_id in rows:
                if release_id in releases:
                    coverage.setdefault((indicator_id, period), []).append(releases[release_id])
            for found in coverage.values():
                found.sort(key=lambda r: (r.release_date, r.imported_at), reverse=True)
            # (indicator, period, release) with local authority figures: one query, instead of reading every
            # period's values to find out (which cost a place profile a second).
            local = set(
                Observation.objects.filter(release_id__in=version, area__kind__in=LOCAL_AUTHORITY_KINDS)
                .values_list("indicator_id", "period", "release_id")
                .distinct()
            )
            periods: dict[int, list[int]] = {}
            for indicator_id, period in sorted(coverage):
                periods.setdefault(indicator_id, []).append(period)
            _COVERAGE.update(version=version, coverage=coverage, local=local, periods=periods)
            _RELEASE_VALUES.clear()
            _WEIGHTS.clear()
            _REASONS.clear()
            _FIGURES.clear()
            _DERIVED.clear()
        return _COVERAGE["coverage"]  # type: ignore[return-value]

    def releases(self, indicator: Indicator, period: int) -> list[Release]:
        """Releases holding the indicator for the period, newest first."""
        return self._coverage.get((indicator.pk, period), [])

    def releases_of(self, indicator_id: int, period: int) -> list[Release]:
        """`releases`, by the indicator's id."""
        return self._coverage.get((indicator_id, period), [])

    def periods(self, indicator: Indicator) -> list[int]:
        return self.periods_of(indicator.pk)

    def periods_of(self, indicator_id: int) -> list[int]:
        by_indicator: dict[int, list[int]] = _COVERAGE["periods"]  # type: ignore[assignment]
        return list(by_indicator.get(indicator_id, []))

    def coverage(self) -> dict[tuple[int, int], list[Release]]:
        """(indicator id, period) -> the finished releases holding it, newest first (shared: do not change it)."""
        return self._coverage

    def holds(self, release: Release, indicator: Indicator, period: int) -> bool:
        """Whether the release has the indicator for the period (by id: comparing models is slow)."""
        return any(r.pk == release.pk for r in self._coverage.get((indicator.pk, period), ()))

    def has_local(self, release: Release, indicator: Indicator, period: int) -> bool:
        """Whether the release has local authority figures for the indicator and period."""
        return (indicator.pk, period, release.pk) in self._local

    def values(self, release: Release, indicator: Indicator, period: int) -> dict[str, Value]:
        return self.all_values(release, indicator).get(period, {})

    def all_values(self, release: Release, indicator: Indicator) -> dict[int, dict[str, Value]]:
        """Every period's values of the indicator in the release (period -> code -> value)."""
        key = (release.pk, release.sha256, indicator.pk)
        if key not in self._values:
            by_period: dict[int, dict[str, Value]] = {}
            rows = Observation.objects.filter(release=release, indicator=indicator).values_list(
                "period", "area__code", "value", "status", "note"
            )
            for p, code, value, status, note in rows:
                found = by_period.get(p)
                if found is None:
                    found = by_period[p] = {}
                found[code] = Value(value, status, note)
            self._values[key] = by_period
        return self._values[key]


def local_periods(indicator: Indicator, store: Store) -> list[int]:
    """The periods for which some release publishes local authority figures (for a derived indicator, its
    numerator's); a year published only for ITL regions is left out."""
    source = indicator.numerator if indicator.derived and indicator.numerator else indicator
    return list(
        store.kept(
            ("local-periods", source.pk),
            lambda: [
                p
                for p in store.periods(source)
                if any(store.has_local(r, source, p) for r in store.releases(source, p))
            ],
        )
    )


def latest_local_period(indicator: Indicator, store: Store) -> int | None:
    periods = local_periods(indicator, store)
    return periods[-1] if periods else None


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class MemberFigure:
    slug: str
    name: str
    areas: list[str]
    value: float | None
    numerator: float | None = None  # ratio and growth parts, or the weight of a weighted mean
    denominator: float | None = None
    note: str = ""
    nation: str = ""  # the place's nation (England, Wales...), for shares of a nation


@dataclass(frozen=True)
class Missing:
    slug: str
    name: str
    reason: str


@dataclass
class GroupFigure:
    indicator: Indicator
    period: int
    as_of: dt.date
    group: str
    group_name: str
    method: str
    value: float | None
    members: list[MemberFigure]
    missing: list[Missing]
    releases: list[Release]
    numerator_total: float | None = None
    denominator_total: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def member_values(self) -> list[float]:
        return [m.value for m in self.members if m.value is not None]

    @property
    def minimum(self) -> float | None:
        return min(self.member_values, default=None)

    @property
    def maximum(self) -> float | None:
        return max(self.member_values, default=None)

    @property
    def median(self) -> float | None:
        values = self.member_values
        return statistics.median(values) if values else None

    @property
    def complete(self) -> bool:
        return not self.missing


# (members, missing, releases used, method, value, numerator total, denominator total)
Result = tuple[list[MemberFigure], list[Missing], list[Release], str, float | None, float | None, float | None]


# --------------------------------------------------------------------------- places


def _areas(place: Place) -> list[PlaceArea]:
    """The place's areas (prefetched), as a list kept on the object: `place.areas.all()` builds a new manager
    on every call, which a profile page would do thousands of times."""
    found: list[PlaceArea] | None = place.__dict__.get("_aggregation_areas")
    if found is None:
        found = place.__dict__["_aggregation_areas"] = list(place.areas.all())
    return found


def _cover_on(place: Place, on: dt.date) -> list[PlaceArea]:
    return [a for a in _areas(place) if a.relation == PlaceArea.Relation.COVERS and a.holds_on(on)]


def _within_note(place: Place, on: dt.date) -> str:
    inside = [a for a in _areas(place) if a.relation == PlaceArea.Relation.WITHIN and a.holds_on(on)]
    return "".join(
        " "
        + _("%(place)s lies inside %(area)s (%(code)s), which is not counted as %(place)s.")
        % {"place": localised_text(place, "name"), "area": a.area_name, "code": a.area_code}
        for a in inside
    )


def _name(indicator: Indicator) -> str:
    """An indicator's name in the active language (its Welsh name on Welsh pages, where it has one)."""
    return localised_text(indicator, "name")


def _lower(indicator: Indicator) -> str:
    """An indicator's name inside a sentence: lower case, except a name that starts with an abbreviation."""
    name = _name(indicator)
    first = name.split(" ", 1)[0]
    return name if first.isupper() and len(first) > 1 else name[:1].lower() + name[1:]


NATION_LETTERS = {Nation.ENGLAND: "E", Nation.WALES: "W", Nation.SCOTLAND: "S", Nation.NORTHERN_IRELAND: "N"}
NATION_NAMES = {"E": gettext_lazy("England"), "W": gettext_lazy("Wales"), "S": gettext_lazy("Scotland"),
                "N": gettext_lazy("Northern Ireland")}  # fmt: skip


@dataclass(frozen=True)
class Context:
    """What a missing member's reason is read from: the release used and the indicator it was read for."""

    store: Store
    release: Release
    indicator: Indicator


def _release_name(release: Release) -> str:
    return _("%(title)s (%(publisher)s, released %(date)s)") % {
        "title": release.dataset.title_text, "publisher": official_name(release.dataset.publisher),
        "date": date_format(release.release_date, "j F Y")}  # fmt: skip


def _nation_list(letters: Iterable[str]) -> str:
    names = [str(NATION_NAMES[c]) for c in sorted(letters, key="EWSN".index)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + _(" and ") + names[-1]


def _why_missing(place: Place, codes: Sequence[str], period: int, ctx: Context) -> str:
    key = (place.name, place.nation, tuple(codes), period, ctx.release.pk, ctx.release.sha256, ctx.indicator.pk,
           get_language())  # fmt: skip
    if key not in _REASONS:
        _REASONS[key] = _read_why_missing(place, codes, period, ctx)
    return _REASONS[key]


def _read_why_missing(place: Place, codes: Sequence[str], period: int, ctx: Context) -> str:
    """The true reason a place's areas have no figure in the release, read from the data: the publisher does not
    cover the place's nation; the area is published for other periods but not yet (or no longer) for this one;
    or the release is on other boundaries."""
    store, release, indicator = ctx.store, ctx.release, ctx.indicator
    everything = store.all_values(release, indicator)
    las = store.memo("local-authority-codes",
                     lambda: set(Area.objects.local_authorities().values_list("code", flat=True)))  # fmt: skip
    nations = store.memo(("nations", release.pk, indicator.pk),
                         lambda: {c[0] for values in everything.values() for c in values if c in las})  # fmt: skip
    name = store.memo(("release-name", release.pk, get_language()), lambda: _release_name(release))
    letter = NATION_LETTERS.get(place.nation, "")  # type: ignore[call-overload]
    if nations and letter not in nations:
        return _("%(release)s does not cover %(nation)s: it publishes figures for %(covered)s only.") % {
            "release": name, "nation": NATION_NAMES.get(letter, place.nation),
            "covered": _nation_list(nations)}  # fmt: skip
    if not nations:
        return _("%(release)s publishes no local authority figures, only larger areas, so %(place)s has no figure "
                 "of its own.") % {"release": name, "place": localised_text(place, "name")}  # fmt: skip
    held = sorted(p for p, values in everything.items() if any(c in values for c in codes))
    missing = ", ".join(codes)
    if held and held[-1] < period:
        return _("%(release)s does not yet publish %(areas)s for %(period)s: its latest figure is for %(latest)s.") % {
            "release": name, "areas": missing, "period": period, "latest": held[-1]}  # fmt: skip
    if held and held[0] > period:
        return _("%(release)s publishes %(areas)s from %(first)s only, not for %(period)s.") % {
            "release": name, "areas": missing, "period": period, "first": held[0]}  # fmt: skip
    if held:
        return _("%(release)s publishes %(areas)s for other years but not for %(period)s.") % {
            "release": name, "areas": missing, "period": period}  # fmt: skip
    return ""


def resolve_cover(place: Place, period: int, available: Iterable[str],
                  ctx: Context | None = None) -> tuple[list[str], str] | Missing:  # fmt: skip
    """The area codes that stand for `place` in `period` on a release whose
    figures exist for the `available` codes, with a note when the release's
    geography differs from the cover on the date; or why there are none."""
    if not isinstance(available, (set, frozenset, dict, KeysView)):
        available = set(available)  # a set, a dict or its keys are looked up as they are
    on = period_date(period)
    cover = _cover_on(place, on)
    if not cover:
        return Missing(
            place.slug,
            place.name,
            _("%(place)s had no statistical area of its own on %(date)s.")
            % {"place": localised_text(place, "name"), "date": date_format(on, "j F Y")}
            + _within_note(place, on),
        )
    codes = [a.area_code for a in cover]
    if all(c in available for c in codes):
        return codes, ""
    # The release is on other boundaries: use the place's cover from another date if the release has it.
    others = [a for a in _areas(place) if a.relation == PlaceArea.Relation.COVERS and a.area_code not in codes]
    usable = [a for a in others if a.area_code in available]
    if usable:
        names = ", ".join(f"{a.area_name} ({a.area_code})" for a in usable)
        note = _("This release publishes %(place)s on other boundaries: %(areas)s is used for %(period)s.") % {
            "place": localised_text(place, "name"), "areas": names, "period": period}  # fmt: skip
        if any(a.note for a in usable):  # the registry's note, in Welsh where it has one
            note += " " + " ".join(marked_text(a, "note") for a in usable if a.note)
        return [a.area_code for a in usable], note
    missing = [c for c in codes if c not in available]
    if ctx is not None and (reason := _why_missing(place, missing, period, ctx)):
        return Missing(place.slug, place.name, reason)
    later = _within_note(place, dt.date.max - dt.timedelta(days=1)) if any(a.end for a in cover) else ""
    said = _(
        "This release has no figures for %(place)s’s area (%(areas)s) for %(period)s: it is published on "
        "other boundaries."
    ) % {"place": localised_text(place, "name"), "areas": ", ".join(missing), "period": period}
    return Missing(place.slug, place.name, said + later)


def _same_area(place: Place) -> str | None:
    same = [a.area_code for a in _areas(place) if a.relation == PlaceArea.Relation.SAME]
    return same[0] if same else None


# --------------------------------------------------------------------------- computing


def _place_codes(places: Sequence[Place]) -> set[str]:
    """Every area code that can stand for the places, at any date."""
    return {a.area_code for p in places for a in _areas(p) if a.relation != PlaceArea.Relation.WITHIN}


def _covering(store: Store, releases: list[Release], indicator: Indicator, period: int,
              codes: set[str]) -> list[Release]:  # fmt: skip
    """The releases (newest first) that publish figures for any of `codes`: a newer release on other
    geography (ITL regions only, say) must not hide an older one that has the places' areas."""
    return [r for r in releases if codes & store.values(r, indicator, period).keys()] or releases


def _pick_release(store: Store, indicator: Indicator, period: int, release: Release | None,
                  codes: set[str] | None = None) -> Release:  # fmt: skip
    if release is not None:
        return release
    found = store.releases(indicator, period)
    if codes is not None:
        found = _covering(store, found, indicator, period, codes)
    if not found:
        raise AggregationError(f"There are no figures for {indicator.name} in {period}.")
    return found[0]


def _weights(store: Store, indicator: Indicator, period: int,
             codes: set[str]) -> tuple[dict[str, Value], int, Release] | None:  # fmt: skip
    """Values of `indicator` for the latest year up to `period`, from the release that covers most of
    `codes` (the newest among equals): weights on the data's own geography where there is one."""
    for p in reversed([p for p in store.periods(indicator) if p <= period]):
        found = store.releases(indicator, p)
        if found:
            best = max(found, key=lambda r: (len(codes & store.values(r, indicator, p).keys()),
                                             r.release_date, r.imported_at))  # fmt: skip
            return store.values(best, indicator, p), p, best
    return None


# A weight the bundled data may not hold (no population by age loaded) -> the weight used instead, said so.
WEIGHT_FALLBACK = {"population-16-64": "population"}


def _nearest_weights(store: Store, indicator: Indicator, period: int,
                     codes: set[str]) -> tuple[dict[str, Value], dict[str, int], list[Release]] | None:  # fmt: skip
    """Each area's weight from the nearest year that has it (the year itself, else the closest, an earlier year
    before a later one), from the release covering most of `codes` (the newest among equals). Returns the weights,
    the year each came from and the releases used."""
    years = sorted(store.periods(indicator), key=lambda y: (abs(y - period), y > period))
    # The codes some year has: once they are all found, further years can add nothing asked for.
    wanted = codes & store.memo(("weight-codes", indicator.pk), lambda: {
        c for y in years for r in store.releases(indicator, y) for c in store.values(r, indicator, y)})  # fmt: skip
    merged: dict[str, Value] = {}
    year_of: dict[str, int] = {}
    used: list[Release] = []
    for year in years:
        found = sorted(store.releases(indicator, year), reverse=True,
                       key=lambda r: (len(codes & store.values(r, indicator, year).keys()), r.release_date,
                                      r.imported_at))  # fmt: skip
        for release in found:
            fresh = {c: v for c, v in store.values(release, indicator, year).items() if c not in merged}
            if fresh:
                merged.update(fresh)
                year_of.update(dict.fromkeys(fresh, year))
                if codes & fresh.keys() and release not in used:
                    used.append(release)
        if wanted <= merged.keys():
            break
    return (merged, year_of, used) if merged else None


def _years_said(weight: Indicator, period: int, years: Sequence[int]) -> str:
    """Which years' weights were used: "mid-2023"; "2021; 2022 for areas without 2021 figures"; "2022, the
    nearest year with figures to 2023"."""
    found = sorted(set(years))
    others = _(" and ").join(weight.label_period(y) for y in found if y != period)
    if found == [period] or not found:
        return weight.label_period(period) if found else ""
    if period in found:
        return _("%(year)s; %(others)s for areas without %(period)s figures") % {
            "year": weight.label_period(period), "others": others, "period": period}  # fmt: skip
    return ngettext("%(years)s, the nearest year with figures to %(period)s",
                    "%(years)s, the nearest years with figures to %(period)s", len(found)) % {
        "years": others, "period": period}  # fmt: skip


def _total(codes: Sequence[str], values: dict[str, Value]) -> float | None:
    parts = [values[c].value for c in codes]
    if any(v is None for v in parts):
        return None
    return exact_sum(v for v in parts if v is not None)


def exact_sum(values: Iterable[float]) -> float:
    """A sum of published figures without binary float artefacts (4.1 + 16.2 is 20.3, not 20.299999999999997)."""
    return float(sum((Decimal(repr(v)) for v in values), Decimal(0)))


def _suppressed(place: Place, codes: Sequence[str], period: int, *values: dict[str, Value]) -> Missing:
    """Why a place's figure is blank, from the publisher's marker kept with each blank value."""
    blank = [v[c] for v in values for c in codes if c in v and v[c].value is None]
    notes = " ".join(v.note for v in blank).lower()
    args = {"areas": ", ".join(codes), "period": period}
    if "[c]" in notes or "confidential" in notes:
        reason = _("The figure for %(areas)s in %(period)s is suppressed by the publisher as confidential (“c”).")
    elif "[u]" in notes or "unreliable" in notes:
        reason = _("The figure for %(areas)s in %(period)s is suppressed by the publisher as unreliable (“u”).")
    elif "[x]" in notes or "not available" in notes:
        reason = _("The figure for %(areas)s in %(period)s is marked not available by the publisher (“x”).")
    else:
        reason = _("The figure for %(areas)s in %(period)s is blank in this release, with no reason given.")
    return Missing(place.slug, place.name, reason % args)


Parts = list[tuple[Place, list[str], str, float, float]]


def _weighted_parts(places: Sequence[Place], period: int, values: dict[str, Value], weights: dict[str, Value],
                    ctx: Context) -> tuple[Parts, list[Missing]]:  # fmt: skip
    """For each place: (place, its codes, note, Σ weight, Σ value × weight) over its areas; or why it is missing."""
    parts, missing = [], []
    available = values.keys() & weights.keys()
    for place in places:
        cover = resolve_cover(place, period, available, ctx)
        if isinstance(cover, Missing):
            rate_only = resolve_cover(place, period, values)
            if not isinstance(rate_only, Missing):  # the rate is published; its weight is not held
                said = _("The Hub holds no weight for %(areas)s to combine its figure with the others’.")
                cover = Missing(place.slug, place.name, said % {"areas": ", ".join(rate_only[0])})
            missing.append(cover)
            continue
        codes, note = cover
        pairs = [(values[c].value, weights[c].value) for c in codes]
        if any(v is None or w is None for v, w in pairs):
            missing.append(_suppressed(place, codes, period, values, weights))
            continue
        w = float(sum(w for _, w in pairs if w is not None))
        parts.append((place, codes, note, w, sum(v * w for v, w in pairs if v is not None and w is not None)))
    return parts, missing


def _fields(obj: Any) -> tuple[Any, ...]:
    """A model instance's stored field values, in order: what a figure computed from it depends on."""
    return tuple(getattr(obj, f.attname) for f in obj._meta.concrete_fields)


def _place_signature(place: Place) -> tuple[Any, ...]:
    """The place's record and its areas' (kept on the object, like `_areas`)."""
    found: tuple[Any, ...] | None = place.__dict__.get("_aggregation_signature")
    if found is None:
        found = place.__dict__["_aggregation_signature"] = (_fields(place), tuple(_fields(a) for a in _areas(place)))
    return found


def _indicator_signature(indicator: Indicator) -> tuple[Any, ...]:
    """The indicator's definition and its parts' (kept on the object)."""
    found: tuple[Any, ...] | None = indicator.__dict__.get("_aggregation_signature")
    if found is None:
        parts = (indicator, indicator.numerator, indicator.denominator, indicator.weight)
        found = indicator.__dict__["_aggregation_signature"] = tuple(_fields(i) if i else None for i in parts)
    return found


def figure_for_places(
    indicator: Indicator,
    period: int,
    places: Sequence[Place],
    *,
    release: Release | None = None,
    store: Store | None = None,
) -> Result:
    """Each place's figure and the combined one. Returns (members, missing,
    releases used, method, value, numerator total, denominator total).

    Computed once per process for the same inputs while the releases stay the same (see `_FIGURES`); each
    caller gets its own lists (of frozen figures), so changing them changes nothing kept."""
    store = store or Store()
    key = (store.version, _indicator_signature(indicator), period, release.pk if release else None,
           tuple(_place_signature(p) for p in places), get_language())  # fmt: skip
    found = _FIGURES.get(key)
    if found is None:
        found = _compute_figure(indicator, period, places, release, store)
        if len(_FIGURES) >= FIGURES_KEPT:
            _FIGURES.clear()
        _FIGURES[key] = found
    members, missing, releases, method, value, n_total, d_total = found
    return list(members), list(missing), list(releases), method, value, n_total, d_total


def _compute_figure(indicator: Indicator, period: int, places: Sequence[Place], release: Release | None,
                    store: Store) -> Result:  # fmt: skip
    agg = indicator.aggregation
    members: list[MemberFigure] = []
    missing: list[Missing] = []

    if agg == Aggregation.RATIO and indicator.numerator and indicator.denominator:
        return _ratio(store, indicator, period, places, release)
    if agg == Aggregation.GROWTH and indicator.numerator:
        return _growth(store, indicator, period, places, release)

    chosen = _pick_release(store, indicator, period, release, _place_codes(places))
    data = store.values(chosen, indicator, period)
    releases = [chosen]
    ctx = Context(store, chosen, indicator)

    if agg == Aggregation.SUM:
        for place in places:
            cover = resolve_cover(place, period, data, ctx)
            if isinstance(cover, Missing):
                missing.append(cover)
                continue
            codes, note = cover
            total = _total(codes, data)
            if total is None:
                missing.append(_suppressed(place, codes, period, data))
            else:
                members.append(MemberFigure(place.slug, place.name, codes, total, note=note, nation=place.nation))
        value = exact_sum(m.value for m in members if m.value is not None) if members else None
        return members, missing, releases, _("Sum of the members’ values (counts add up)."), value, None, None

    if agg == Aggregation.WEIGHTED_MEAN and indicator.weight:
        weight, fallback = indicator.weight, ""
        if not store.periods(weight) and weight.slug in WEIGHT_FALLBACK:
            instead = WEIGHT_FALLBACK[weight.slug]
            weight = store.memo(("indicator", instead), lambda: Indicator.objects.get(slug=instead))
            fallback = " " + _(
                "The Hub holds no %(weight)s, so the %(instead)s stands in; this approximates the group’s rate."
            ) % {"weight": _lower(indicator.weight), "instead": _lower(weight)}
        key = (weight.pk, period, chosen.pk, chosen.sha256, indicator.pk)
        if key not in _WEIGHTS:
            _WEIGHTS[key] = _nearest_weights(store, weight, period, set(data))
        weights = _WEIGHTS[key]
        if weights is None:
            raise AggregationError(_("There is no %(weight)s to weight by.") % {"weight": _lower(weight)})
        wvalues, year_of, wreleases = weights
        releases += wreleases
        parts, missing = _weighted_parts(places, period, data, wvalues, ctx)
        members = [
            MemberFigure(p.slug, p.name, codes, vw / w, numerator=w, note=note, nation=p.nation)
            for p, codes, note, w, vw in parts
        ]
        total_weight = sum(m.numerator or 0 for m in members)
        value = sum((m.value or 0) * (m.numerator or 0) for m in members) / total_weight if members else None
        year = _years_said(weight, period, [year_of[c] for m in members for c in m.areas]) or str(period)
        if indicator.unit == "%":
            method = _("Each member’s rate weighted by its %(weight)s (%(year)s). The rate is a share of "
                       "%(base)s.") % {"weight": _lower(weight), "year": year,
                                       "base": indicator.base_text or _("its base")} + fallback  # fmt: skip
        else:  # a score or an average rank is an average over people, not a share of them
            method = _("Each member’s %(measure)s weighted by its %(weight)s (%(year)s): an average over its "
                       "%(base)s, not a share of them.") % {
                "measure": _lower(indicator).split(":")[-1].strip(), "weight": _lower(weight), "year": year,
                "base": indicator.base_text or _("base")}  # fmt: skip
        return members, missing, releases, method, value, None, total_weight

    # Not combinable: each member's own published value; no group value.
    for place in places:
        same = _same_area(place)
        cover = resolve_cover(place, period, data, ctx)
        if isinstance(cover, Missing):
            missing.append(cover)
            continue
        codes, note = cover
        if len(codes) > 1:
            if same and same in data and data[same].value is not None:
                members.append(MemberFigure(place.slug, place.name, [same], data[same].value,
                                            note=_("Published for %(place)s as a whole (%(code)s).")
                                            % {"place": localised_text(place, "name"), "code": same},
                                            nation=place.nation))  # fmt: skip
            else:
                said = _(
                    "%(place)s is %(n)s areas and this measure cannot be combined; no figure is published "
                    "for it as a whole."
                ) % {"place": localised_text(place, "name"), "n": len(codes)}
                missing.append(Missing(place.slug, place.name, said))
            continue
        if data[codes[0]].value is None:
            missing.append(_suppressed(place, codes, period, data))
        else:
            members.append(
                MemberFigure(place.slug, place.name, codes, data[codes[0]].value, note=note, nation=place.nation)
            )
    said = _("Cannot be combined: the members’ range and median are shown.")
    return members, missing, releases, said, None, None, None


def _ratio(store: Store, indicator: Indicator, period: int, places: Sequence[Place], release: Release | None) -> Result:
    num, den = indicator.numerator, indicator.denominator
    assert num is not None and den is not None
    members: list[MemberFigure] = []
    missing: list[Missing] = []
    # The newest release that covers the places: from the parts where it has both, else its published ratio.
    codes = _place_codes(places)
    both = [r for r in store.releases(num, period) if store.holds(r, den, period)]
    only = list(store.releases(indicator, period))
    if release is not None:
        both = [r for r in both if r.pk == release.pk]
        only = [r for r in only if r.pk == release.pk]
    covering = [r for r in both if codes & store.values(r, num, period).keys()]
    seen = {r.pk for r in covering}  # releases compared by id: comparing models is slow
    covering += [r for r in only if r.pk not in seen and codes & store.values(r, indicator, period).keys()]
    covering.sort(key=lambda r: (r.release_date, r.imported_at), reverse=True)
    use_parts = covering[0].pk in {r.pk for r in both} if covering else bool(both)
    if use_parts:
        chosen = covering[0] if covering else both[0]
        nv, dv = store.values(chosen, num, period), store.values(chosen, den, period)
        available = nv.keys() & dv.keys()
        ctx = Context(store, chosen, num)
        for place in places:
            cover = resolve_cover(place, period, available, ctx)
            if isinstance(cover, Missing):
                missing.append(cover)
                continue
            codes_, note = cover
            n, d = _total(codes_, nv), _total(codes_, dv)
            if n is None or d is None or d == 0:
                missing.append(_suppressed(place, codes_, period, nv, dv))
                continue
            members.append(MemberFigure(place.slug, place.name, codes_, indicator.scale * n / d, n, d, note=note,
                                        nation=place.nation))  # fmt: skip
        n_total = sum(m.numerator or 0 for m in members)
        d_total = sum(m.denominator or 0 for m in members)
        value = indicator.scale * n_total / d_total if members and d_total else None
        scale = " × " + format(indicator.scale, ",.0f") if indicator.scale != 1 else ""
        method = _(
            "Recomputed from its parts: Σ %(numerator)s ÷ Σ %(denominator)s%(scale)s, never an average of "
            "the members’ ratios."
        ) % {"numerator": _name(num), "denominator": _name(den), "scale": scale}
        return members, missing, [chosen], method, value, n_total, d_total

    # The release publishes only the ratio for this period: weight it by its denominator (the same number).
    chosen = covering[0] if covering else _pick_release(store, indicator, period, release, codes)
    values = store.values(chosen, indicator, period)
    weights = _weights(store, den, period, set(values))
    if weights is None:
        raise AggregationError(_("There is no %(denominator)s for %(period)s to recompute %(indicator)s.") % {
            "denominator": _lower(den), "period": period, "indicator": _name(indicator)})  # fmt: skip
    wvalues, wperiod, wrelease = weights
    parts, missing = _weighted_parts(places, period, values, wvalues, Context(store, chosen, indicator))
    # Each member's numerator is its ratio × its denominator (summed over its areas).
    members = [MemberFigure(p.slug, p.name, codes_, vw / w, vw / indicator.scale, w, note=note, nation=p.nation)
               for p, codes_, note, w, vw in parts]  # fmt: skip
    n_total = sum(m.numerator or 0 for m in members)
    d_total = sum(m.denominator or 0 for m in members)
    value = indicator.scale * n_total / d_total if members and d_total else None
    method = _("Recomputed from its parts. This release publishes only %(indicator)s, so each member’s "
               "%(numerator)s is its %(indicator)s × its %(denominator_lower)s (%(when)s), and the group figure is "
               "Σ %(numerator)s ÷ Σ %(denominator)s.") % {
        "indicator": _name(indicator), "numerator": _name(num), "denominator": _name(den),
        "denominator_lower": _lower(den), "when": den.label_period(wperiod)}  # fmt: skip
    return members, missing, [chosen, wrelease], method, value, n_total, d_total


def _growth(
    store: Store, indicator: Indicator, period: int, places: Sequence[Place], release: Release | None
) -> Result:
    level = indicator.numerator
    assert level is not None
    members: list[MemberFigure] = []
    missing: list[Missing] = []
    found = [r for r in store.releases(level, period) if store.holds(r, level, period - 1)]
    if release is not None:
        found = [r for r in found if r.pk == release.pk]
    found = _covering(store, found, level, period, _place_codes(places))
    if not found:
        raise AggregationError(
            _("There are no levels of %(level)s for %(before)s and %(period)s in one release.")
            % {"level": _name(level), "before": period - 1, "period": period}
        )
    chosen = found[0]
    now, before = store.values(chosen, level, period), store.values(chosen, level, period - 1)
    available = now.keys() & before.keys()
    ctx = Context(store, chosen, level)
    for place in places:
        cover = resolve_cover(place, period, available, ctx)
        if isinstance(cover, Missing):
            missing.append(cover)
            continue
        codes, note = cover
        n, b = _total(codes, now), _total(codes, before)
        if n is None or b is None or b == 0:
            missing.append(_suppressed(place, codes, period, now, before))
            continue
        members.append(
            MemberFigure(place.slug, place.name, codes, 100 * (n / b - 1), n, b, note=note, nation=place.nation)
        )
    n_total = sum(m.numerator or 0 for m in members)
    b_total = sum(m.denominator or 0 for m in members)
    value = 100 * (n_total / b_total - 1) if members and b_total else None
    method = _("Recomputed from the summed levels: Σ %(level)s in %(period)s ÷ Σ %(level)s in %(before)s, minus "
               "1; growth rates are never averaged.") % {"level": _name(level), "period": period,
                                                         "before": period - 1}  # fmt: skip
    return members, missing, [chosen], method, value, n_total, b_total


# --------------------------------------------------------------------------- groups and areas


def group_places(group: Group, as_of: dt.date) -> list[Place]:
    return list(Place.objects.members_of(group, as_of).prefetch_related("areas").order_by("name"))


def group_figure(
    group: Group | str,
    indicator: Indicator | str,
    period: int | None = None,
    *,
    as_of: dt.date | None = None,
    release: Release | None = None,
    store: Store | None = None,
) -> GroupFigure:
    """The figure for a group of places, with its working."""
    store = store or Store()
    group = (
        group
        if isinstance(group, Group)
        else store.memo(("group-object", group), lambda: Group.objects.get(slug=group))
    )
    indicator = indicator if isinstance(indicator, Indicator) else Indicator.objects.select_related(
        "numerator", "denominator", "weight").get(slug=indicator)  # fmt: skip
    if period is None:
        period = latest_local_period(indicator, store)
        if period is None:
            raise AggregationError(f"There are no figures for {indicator.name}.")
    on = as_of or period_date(period)
    places = store.memo(("group", group.slug, on), lambda: group_places(group, on))
    if not places:
        raise AggregationError(
            f"{group.name} had no members recorded on {on:%-d %B %Y}; pass as_of to use the membership of another date."
        )
    members, missing, releases, method, value, n_total, d_total = figure_for_places(
        indicator, period, places, release=release, store=store
    )
    return GroupFigure(
        indicator=indicator, period=period, as_of=on, group=group.slug, group_name=group.name, method=method,
        value=value, members=members, missing=missing, releases=releases, numerator_total=n_total,
        denominator_total=d_total,
    )  # fmt: skip


# Comparator areas and the codes they go by in different releases.
COMPARATOR_AREAS: dict[str, tuple[str, ...]] = {
    "United Kingdom": ("K02000001", "UK"),
    "England": ("E92000001",),
    "Wales": ("W92000004", "TLL"),
    "Scotland": ("S92000003", "TLM"),
}
NATION_PREFIX = {"England": "E", "Wales": "W", "Scotland": "S", "United Kingdom": ""}


@dataclass
class AreaFigure:
    name: str
    code: str
    value: float | None
    method: str


def area_figure(name: str, indicator: Indicator, period: int, release: Release, store: Store) -> AreaFigure | None:
    """A comparator's value on the same release: as published, or summed from its local authorities
    where the release publishes only local authorities (counts and ratios' parts only). Kept like a figure."""
    key = ("area-figure", name, _indicator_signature(indicator), period, release.pk, get_language())
    return store.kept(key, lambda: _area_figure(name, indicator, period, release, store))


def _area_figure(name: str, indicator: Indicator, period: int, release: Release, store: Store) -> AreaFigure | None:
    codes = COMPARATOR_AREAS[name]
    if indicator.aggregation == Aggregation.RATIO and indicator.numerator and indicator.denominator:
        num = area_figure(name, indicator.numerator, period, release, store)
        den = area_figure(name, indicator.denominator, period, release, store)
        if num and den and num.value is not None and den.value:
            return AreaFigure(name, num.code, indicator.scale * num.value / den.value,
                              _("%(method)s; recomputed from its parts") % {"method": num.method})  # fmt: skip
    data = store.values(release, indicator, period)
    for code in codes:
        if code in data:
            return AreaFigure(name, code, data[code].value, _("as published"))
    if indicator.aggregation != Aggregation.SUM:
        return None
    las = store.memo(
        "local-authority-codes", lambda: set(Area.objects.local_authorities().values_list("code", flat=True))
    )
    prefix = NATION_PREFIX[name]
    parts = [data[c].value for c in data if c in las and c.startswith(prefix)]
    if not parts or any(v is None for v in parts):
        return None
    label = _("UK less Extra-Regio") if name == "United Kingdom" else str(NATION_NAMES.get(NATION_PREFIX[name], name))
    return AreaFigure(name, f"sum of {len(parts)} local authorities", float(sum(v for v in parts if v is not None)),
                      _("sum of its %(n)s local authorities in this release (%(label)s)") % {
                          "n": len(parts), "label": label})  # fmt: skip
