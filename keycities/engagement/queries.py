"""Reads for engagement pages and the API: which constituencies overlap which member places (by share of
wards, from the ONS ward lookup), and each seat's MP today."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery

from keycities.consultations.models import Ask, AskStatus
from keycities.network.models import Place, PlaceArea, WorkArea
from keycities.network.queries import NETWORK

from .models import (
    AppgMeeting,
    Constituency,
    ConstituencyArea,
    Interaction,
    InteractionOrganisation,
    InteractionPerson,
    MediaCoverage,
    Organisation,
    Person,
    PressRelease,
    ReleaseStatus,
    Role,
    RoleKind,
    Spokesperson,
)


@dataclass(frozen=True)
class Seat:
    """A constituency's MP today (public data)."""

    person_id: int
    name: str
    parliament_id: int | None
    party: str
    start: dt.date | None


@dataclass
class Overlap:
    """A constituency and a member place that share wards: `wards` of the constituency's `constituency_wards`
    are in the place's local authorities, which have `place_wards` wards in all."""

    constituency: Constituency
    place: Place
    wards: int
    constituency_wards: int
    place_wards: int
    within: list[str] = field(default_factory=list)  # local authorities the place lies within (not all of it)
    mp: Seat | None = None

    @property
    def share_of_constituency(self) -> float:
        return self.wards / self.constituency_wards if self.constituency_wards else 0.0

    @property
    def share_of_place(self) -> float:
        return self.wards / self.place_wards if self.place_wards else 0.0


def member_places(on: dt.date | None = None) -> QuerySet[Place]:
    return Place.objects.members_of(NETWORK, on or dt.date.today()).order_by("name")


def _areas(places: list[Place], on: dt.date) -> dict[int, list[PlaceArea]]:
    """Each place's areas on the date, from what the page already loaded (network.queries.places prefetches them)
    when it did."""
    found: dict[int, list[PlaceArea]] = defaultdict(list)
    loaded = [p for p in places if "areas" in getattr(p, "_prefetched_objects_cache", {})]
    for p in loaded:
        found[p.pk] = [a for a in p.areas.all() if a.holds_on(on)]
    rest = [p for p in places if p not in loaded]
    if rest:
        for a in PlaceArea.objects.in_force(on).filter(place__in=rest):
            found[a.place_id].append(a)
    return found


def _with_mp(rows: QuerySet[ConstituencyArea], on: dt.date) -> QuerySet[ConstituencyArea]:
    """Each row with its constituency's MP on the date, in the same query."""
    mp = current_mps(on).filter(constituency=OuterRef("constituency")).order_by("-start")
    return rows.annotate(**{f"mp_{k}": Subquery(mp.values(v)[:1]) for k, v in {
        "person_id": "person_id", "name": "person__name", "parliament_id": "person__parliament_id",
        "party": "party", "start": "start"}.items()})  # fmt: skip


def current_mps(on: dt.date | None = None) -> QuerySet[Role]:
    return (Role.objects.current(on).filter(kind=RoleKind.MP)
            .select_related("person", "constituency"))  # fmt: skip


def overlaps(places: list[Place] | None = None, on: dt.date | None = None) -> list[Overlap]:
    """Every (member place, constituency) pair sharing wards, place by place, most shared wards first."""
    on = on or dt.date.today()
    places = list(places if places is not None else member_places(on))
    areas = _areas(places, on)
    codes = {a.area_code for found in areas.values() for a in found}
    rows = _with_mp(ConstituencyArea.objects.filter(area_code__in=codes).select_related("constituency"), on)
    by_code: dict[str, list[ConstituencyArea]] = defaultdict(list)
    mps: dict[int, Seat] = {}
    for r in rows if codes else []:
        by_code[r.area_code].append(r)
        mp: Any = r  # annotated by _with_mp
        if mp.mp_person_id:
            mps[r.constituency_id] = Seat(mp.mp_person_id, mp.mp_name, mp.mp_parliament_id, mp.mp_party, mp.mp_start)
    result: list[Overlap] = []
    for place in places:
        mine = areas.get(place.pk, [])
        place_wards = sum(by_code[a.area_code][0].area_wards for a in mine if by_code.get(a.area_code))
        seats: dict[int, Overlap] = {}
        for a in mine:
            for r in by_code.get(a.area_code, []):
                o = seats.get(r.constituency_id)
                if o is None:
                    o = seats[r.constituency_id] = Overlap(r.constituency, place, 0, r.constituency.wards, place_wards,
                                                           mp=mps.get(r.constituency_id))  # fmt: skip
                o.wards += r.wards
                if a.relation == "within" and a.area_name not in o.within:
                    o.within.append(a.area_name)
        result += sorted(seats.values(), key=lambda o: (-o.wards, o.constituency.name))
    return result


def member_seats(on: dt.date) -> tuple[dict[int, str], list[tuple[Place, set[int]]]]:
    """What the coverage page needs of `overlaps`, read as plain values: the MP on the date of each constituency
    overlapping a member place (person id -> party), and each member place that overlaps a constituency, with
    those constituencies' MPs. The same rows as `overlaps` (the member places, their areas in force, the
    constituencies sharing those areas' wards, each seat's MP newest first) without the ward counts or a model
    object per row (a test compares the two)."""
    places = list(member_places(on))
    codes: dict[int, set[str]] = defaultdict(set)
    for place_pk, code in PlaceArea.objects.in_force(on).filter(place__in=places).values_list("place_id", "area_code"):
        codes[place_pk].add(code)
    seats: dict[str, set[int]] = defaultdict(set)
    wanted = {code for found in codes.values() for code in found}
    for code, seat in ConstituencyArea.objects.filter(area_code__in=wanted).values_list("area_code", "constituency_id"):
        seats[code].add(seat)
    mp: dict[int, tuple[int, str]] = {}
    for seat, person, party in (current_mps(on).filter(constituency__in={c for cs in seats.values() for c in cs})
                                .order_by("constituency_id", "-start")
                                .values_list("constituency_id", "person_id", "party")):  # fmt: skip
        mp.setdefault(seat, (person, party))
    found: list[tuple[Place, set[int]]] = []
    for place in places:
        mine = {seat for code in codes.get(place.pk, ()) for seat in seats.get(code, ())}
        if mine:
            found.append((place, {mp[seat][0] for seat in mine if seat in mp}))
    return {person: party for person, party in mp.values()}, found


def places_of(constituency: Constituency, on: dt.date | None = None) -> list[Overlap]:
    """The member places a constituency overlaps."""
    on = on or dt.date.today()
    codes = set(constituency.areas.values_list("area_code", flat=True))
    places = list(member_places(on).filter(areas__area_code__in=codes).distinct())
    return [o for o in overlaps(places, on) if o.constituency.pk == constituency.pk]


def person_with_roles(pk: int) -> Person | None:
    return (Person.objects.filter(pk=pk)
            .prefetch_related(Prefetch("roles", queryset=Role.objects.select_related("organisation", "constituency")))
            .first())  # fmt: skip


@dataclass
class Coverage:
    """Which member places' MPs the group has engaged, from the interactions a user may see."""

    months: tuple[int, ...]
    by_party: list[dict[str, Any]]  # party, mps, engaged_<n> for each n in months
    never: list[Place]  # member places none of whose MPs appears in any interaction
    total: int
    asks_raised: int = 0  # distinct asks raised in meetings
    asks_with_outcome: int = 0  # of those, with a status other than "no reply"
    departments: list[tuple[str, list[str]]] = field(default_factory=list)  # work area, departments engaged (12 months)
    department_count: int = 0  # departments in being
    ministers: list[tuple[str, str, dt.date]] = field(default_factory=list)  # name, post, last interaction (12 months)
    minister_count: int = 0  # Ministers in post today
    # Every Minister in post today: name, post, department, last interaction in the last 12 months (or None).
    minister_rows: list[tuple[str, str, str, dt.date | None]] = field(default_factory=list)
    # Per department: Ministers in post today, and how many of them were in an interaction in the last 12 months.
    ministers_by_department: list[tuple[str, int, int]] = field(default_factory=list)


def months_before(day: dt.date, months: int) -> dt.date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
            31][month - 1]  # fmt: skip
    return dt.date(year, month, min(day.day, last))


def _with_work_areas(links: QuerySet[Any], subject: str) -> set[tuple[int, int]]:
    """The distinct (subject, work area) pairs of some link rows (people's or organisations'), read from the links
    alone: each carries its interaction's work areas (`InteractionLink.work_areas`, ",3,7,"), so the database
    returns the distinct (subject, work areas) values of the rows in the date range and the user's scope, read
    from the (subject, date, interaction, work areas) index, and Python splits them."""
    pairs: set[tuple[int, int]] = set()
    split: dict[str, list[int]] = {}  # each distinct value read once (a few dozen values, a thousand rows)
    for subject_pk, areas in links.order_by().values_list(subject, "work_areas").distinct():
        ids = split.get(areas)
        if ids is None:
            ids = split[areas] = [int(area) for area in areas.strip(",").split(",") if area]
        for area in ids:
            pairs.add((subject_pk, area))
    return pairs


def coverage(interactions: QuerySet[Any], today: dt.date, months: tuple[int, ...] = (3, 6, 12),
             scope: Callable[..., Q] | None = None) -> Coverage:  # fmt: skip
    """MPs for constituencies overlapping member places (each MP once), by party: how many, and how many appear in
    an interaction dated in the last 3, 6 and 12 months up to today; and the member places whose MPs never do.

    `interactions` are those the user may see; `scope(prefix)` says the same as a condition through a relation
    (policy.interaction_scope, whose `links=True` reads the led work areas on a link row itself), which the
    database answers from indexes; without it, a subquery of `interactions`.
    Every count is made by the database: the latest date per person, distinct (department, work area) pairs."""
    if scope is None:
        unfiltered = not interactions.query.where

        def scope(prefix: str, correlated: bool = False, links: bool = False) -> Q:
            if unfiltered:
                return Q()
            if correlated:
                return Q(Exists(interactions.filter(pk=OuterRef(f"{prefix}pk"))))
            return Q(**{f"{prefix}pk__in": interactions.values("pk")})

    mp_party, seated = member_seats(today)
    year_ago = months_before(today, 12)
    # The people and departments by their ids (two small IN lists): joined, PostgreSQL scanned every person.
    ministers = list(
        Role.objects.current(today).filter(kind=RoleKind.MINISTER).prefetch_related("person", "organisation")
    )
    minister_dept: dict[int, set[int]] = {}
    for r in ministers:
        minister_dept.setdefault(r.person_id, set()).add(r.organisation_id)
    people = InteractionPerson.objects
    # The latest date up to today of every MP and Minister: for each of them, their own link rows read from the
    # index (person, date) newest first, up to the first one the user may see (the link carries its
    # interaction's date), so a few rows per person, whatever the number of interactions. A Minister was
    # engaged in the last 12 months when that date is within them.
    newest = (people.filter(scope("interaction__", correlated=True, links=True), person_id=OuterRef("pk"),
                            date__lte=today).order_by("-date").values("date")[:1])  # fmt: skip
    latest: dict[int, dt.date] = {
        pk: day for pk, day in Person.objects.filter(pk__in=sorted(set(mp_party) | set(minister_dept)))
        .annotate(last=Subquery(newest)).values_list("pk", "last") if day is not None}  # fmt: skip
    last = {pk: day for pk, day in latest.items() if pk in mp_party}
    minister_last = {pk: day for pk, day in latest.items() if pk in minister_dept and day >= year_ago}
    parties: dict[str, dict[str, Any]] = {}
    since = {n: months_before(today, n) for n in months}
    for person_id, party in mp_party.items():
        row = parties.setdefault(party or "–", {"party": party or "–", "mps": 0,
                                                **{f"engaged_{n}": 0 for n in months}})  # fmt: skip
        row["mps"] += 1
        for n in months:
            if person_id in last and last[person_id] >= since[n]:
                row[f"engaged_{n}"] += 1
    never = [place for place, people in seated if not people & last.keys()]
    rows = sorted(parties.values(), key=lambda r: (-r["mps"], r["party"]))
    # A department is engaged in a work area when an interaction in it involves the department or one of its
    # Ministers in post today. Distinct (department, work area) and (Minister, work area) pairs, each driven by
    # the department's or the Minister's own link rows in the year (index: organisation or person, date), so
    # the database reads the links of a few dozen departments and Ministers, and no interaction row.
    departments = {o.pk: o.name for o in Organisation.objects.filter(kind="department", end__isnull=True)}
    engaged: dict[int, set[int]] = defaultdict(set)  # work area -> departments
    in_year = {"date__gte": year_ago, "date__lte": today}
    dept_links = InteractionOrganisation.objects.filter(scope("interaction__", links=True),
                                                        organisation_id__in=sorted(departments), **in_year)  # fmt: skip
    for org_pk, area_pk in _with_work_areas(dept_links, "organisation_id"):
        engaged[area_pk].add(org_pk)
    if minister_last:
        minister_links = people.filter(
            scope("interaction__", links=True), person_id__in=sorted(minister_last), **in_year
        )
        for person_pk, area_pk in _with_work_areas(minister_links, "person_id"):
            engaged[area_pk] |= {d for d in minister_dept[person_pk] if d in departments}
    by_area = [(str(w), sorted(departments[d] for d in engaged.get(w.pk, ())))  # the page's language
               for w in WorkArea.objects.order_by("position", "name")]  # fmt: skip
    seen_ministers = sorted(((r.person.name, r.title, minister_last[r.person_id]) for r in ministers
                             if r.person_id in minister_last), key=lambda m: (m[2], m[0]), reverse=True)  # fmt: skip
    minister_rows = sorted({(r.person.name, r.title, r.organisation.name if r.organisation else "",
                             minister_last.get(r.person_id)) for r in ministers},
                           key=lambda m: (m[2], m[0], m[1]))  # fmt: skip
    per_department: dict[str, tuple[set[int], set[int]]] = {}
    for r in ministers:
        held, seen = per_department.setdefault(r.organisation.name if r.organisation else "–", (set(), set()))
        held.add(r.person_id)
        if r.person_id in minister_last:
            seen.add(r.person_id)
    by_department = [(name, len(held), len(seen)) for name, (held, seen) in sorted(per_department.items())]
    # Driven by the (small) table of asks raised in interactions, not by the interactions: its rows first, then
    # which of their interactions are visible meetings (by primary key).
    links = list(Interaction.asks.through.objects.values_list("interaction_id", "ask_id"))
    visible = Interaction.objects.filter(scope(""), pk__in={i for i, _ in links}, kind="meeting", date__lte=today)
    meetings = set(visible.values_list("pk", flat=True)) if links else set()
    raised = {a for i, a in links if i in meetings}
    with_outcome = Ask.objects.filter(pk__in=raised).exclude(status=AskStatus.NO_REPLY).count() if raised else 0
    return Coverage(months, rows, sorted(never, key=lambda p: p.name), len(mp_party), len(raised), with_outcome,
                    by_area, len(departments), seen_ministers, len({r.person_id for r in ministers}), minister_rows,
                    by_department)  # fmt: skip


@dataclass
class PressCoverage:
    """What the coverage log says we reached in the last 3, 6 and 12 months: for each window, the distinct
    outlets, the distinct press releases used and the pieces of coverage; and per outlet, its pieces."""

    months: tuple[int, ...]
    totals: dict[str, dict[int, int]]  # "outlets" / "releases" / "pieces" -> months -> count
    by_outlet: list[dict[str, Any]]  # outlet, pieces_<n> and releases_<n> (distinct) for each n in months


def press_coverage(today: dt.date, months: tuple[int, ...] = (3, 6, 12)) -> PressCoverage:
    """The coverage log counted by the database in two aggregate queries (coverage dated after today, logged
    ahead of publication, is not counted). The log is internal, seen by all staff: no scope."""
    since = {n: months_before(today, n) for n in months}
    window = MediaCoverage.objects.filter(date__gte=min(since.values()), date__lte=today)
    totals = window.aggregate(**{
        f"{what}_{n}": Count(field, distinct=distinct, filter=Q(date__gte=since[n]))
        for n in months for what, field, distinct in
        (("outlets", "outlet", True), ("releases", "release", True), ("pieces", "pk", False))})  # fmt: skip
    rows = (window.values("outlet_id", "outlet__name")
            .annotate(**{f"pieces_{n}": Count("pk", filter=Q(date__gte=since[n])) for n in months},
                      **{f"releases_{n}": Count("release", distinct=True, filter=Q(date__gte=since[n]))
                         for n in months})
            .order_by(f"-pieces_{max(months)}", "outlet__name", "outlet_id"))  # fmt: skip
    found: list[dict[str, Any]] = list(rows)  # type: ignore[arg-type]  # the annotations are not in the TypedDict
    by_outlet = [{"outlet": r["outlet__name"], **{f"{what}_{n}": r[f"{what}_{n}"] for n in months
                                                  for what in ("pieces", "releases")}} for r in found]  # fmt: skip
    return PressCoverage(months, {what: {n: totals[f"{what}_{n}"] or 0 for n in months}
                                  for what in ("outlets", "releases", "pieces")}, by_outlet)  # fmt: skip


def appg() -> Organisation | None:
    from .services import APPG

    return Organisation.objects.filter(source_key=APPG).first()


# --- media -----------------------------------------------------------------------------------------------


def published_press_releases() -> QuerySet[PressRelease]:
    """The group's published press releases, newest first, with their work area, spokespeople and cited claims:
    public data, for the public pages, the API and any other app (a search or library of sources) that lists
    them. Each has `title`/`title_cy`, `body`/`body_cy`, `published_at` and `public_url()`."""
    return (PressRelease.objects.filter(status=ReleaseStatus.PUBLISHED)
            .select_related("work_area")
            .prefetch_related(Prefetch("spokespeople", queryset=Spokesperson.objects.select_related("person")),
                              "claims")
            .order_by("-published_at", "-pk"))  # fmt: skip


def press_releases() -> QuerySet[PressRelease]:
    """Every press release, for staff, with what the list shows."""
    return PressRelease.objects.select_related("work_area", "created_by", "approved_by").order_by(
        "status", "-published_at", "-created_at", "-pk")  # fmt: skip


def spokespeople(on: dt.date | None = None) -> QuerySet[Spokesperson]:
    """Spokespeople today (or on a date), by work area."""
    on = on or dt.date.today()
    return (Spokesperson.objects.filter(Q(start__isnull=True) | Q(start__lte=on), Q(end__isnull=True) | Q(end__gte=on))
            .select_related("person", "work_area").order_by("work_area__name", "person__name", "pk"))  # fmt: skip


def media_coverage() -> QuerySet[MediaCoverage]:
    return MediaCoverage.objects.select_related("outlet", "release", "claim").order_by("-date", "-pk")


# --- the APPG ---------------------------------------------------------------------------------------------


def appg_roles(group: Organisation) -> QuerySet[Role]:
    """The APPG's officers and members, past and present, newest first."""
    return (group.roles.filter(kind__in=[RoleKind.APPG_OFFICER, RoleKind.APPG_MEMBER]).select_related("person")
            .order_by("kind", "end", "person__name", "pk"))  # fmt: skip


def published_minutes() -> QuerySet[AppgMeeting]:
    return AppgMeeting.objects.filter(minutes_published_at__isnull=False).order_by("-date", "-pk")
