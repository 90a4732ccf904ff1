"""Read-side querysets for the registry, each loading what its presenters use
in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from .models import Group, Membership, Place, WorkArea, WorkAreaLead, _in_force


def places(
    *, group: str | None = None, as_of: dt.date | None = None, nation: str | None = None, region: str | None = None
) -> QuerySet[Place]:
    qs = Place.objects.all()
    if group:
        qs = Place.objects.members_of(group, as_of or dt.date.today())
    elif as_of:  # members of any group on that date
        qs = Place.objects.filter(_in_force("memberships__", as_of)).distinct()
    if nation:
        qs = qs.filter(nation=nation)
    if region:
        qs = qs.filter(region_code=region)
    return qs.order_by("name").prefetch_related(
        "areas",
        Prefetch("memberships", queryset=Membership.objects.select_related("group")),
        Prefetch("lead_links", queryset=WorkAreaLead.objects.select_related("work_area")),
    )


def work_areas() -> QuerySet[WorkArea]:
    return WorkArea.objects.prefetch_related(
        Prefetch("lead_links", queryset=WorkAreaLead.objects.select_related("place"))
    )


def groups() -> QuerySet[Group]:
    return Group.objects.all()


# The network the Hub serves: its members' officers are the Hub's member officers.
NETWORK = "key-cities"


def member_place_ids(on: dt.date | None = None) -> set[int]:
    """The ids of the places that are members of the network on a date (today by default)."""
    return set(Place.objects.members_of(NETWORK, on or dt.date.today()).values_list("pk", flat=True))


def welsh_place_names() -> dict[str, str]:
    """Each place's English name -> its Welsh name, for the places that have one (Newport -> Casnewydd): for names
    stored or cached as English text, shown on a Welsh page."""
    return dict(Place.objects.exclude(name_cy="").values_list("name", "name_cy"))
