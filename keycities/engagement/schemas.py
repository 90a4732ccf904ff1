from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

from keycities.core.api import IsoDate, ListParams


class MpOut(Schema):
    place: str = Field(description="The member place's slug.")
    place_name: str
    constituency_code: str
    constituency: str
    wards_in_place: int = Field(description="Wards of the constituency that lie in the place's local authorities.")
    constituency_wards: int = Field(description="All the constituency's wards (ONS ward lookup, July 2024).")
    place_wards: int = Field(description="All the wards of the place's local authorities.")
    share_of_constituency_wards: float = Field(description="A share of wards, not of population: wards_in_place / "
                                               "constituency_wards.")  # fmt: skip
    share_of_place_wards: float = Field(description="A share of wards: wards_in_place / place_wards.")
    within: list[str] = Field(description="Local authorities the place lies within (the shares are of their wards).")
    mp: str | None
    mp_id: int | None = Field(description="The person's id in the Hub.")
    parliament_id: int | None = Field(description="UK Parliament member id.")
    party: str | None
    mp_since: dt.date | None


class MpParams(ListParams):
    place: str = Field("", description="A member place's slug, e.g. 'salford'; every member place if empty.")


class InteractionOut(Schema):
    id: int
    kind: str
    kind_label: str
    date: dt.date
    title: str
    summary: str
    people: list[str]
    organisations: list[str]
    places: list[str]
    work_areas: list[str]
    open_follow_ups: int
    url: str


class RoleOut(Schema):
    kind: str
    title: str
    organisation: str | None
    constituency: str | None
    party: str
    start: dt.date | None
    end: dt.date | None


class PersonOut(Schema):
    id: int
    name: str
    parliament_id: int | None
    email: str | None = Field(description="Only where the token's user may see this person's contact details.")
    phone: str | None
    roles: list[RoleOut]


class PersonParams(ListParams):
    q: str = Field("", max_length=100, description="Part of the name.")


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    abbreviation: str
    parent: str | None


class OrganisationParams(ListParams):
    kind: str = Field("", description="department, agency, parliament, council, media, business, university, charity, "
                      "partner or other")  # fmt: skip


class CoverageRowOut(Schema):
    party: str
    mps: int
    engaged_3: int
    engaged_6: int
    engaged_12: int


class CoverageOut(Schema):
    mps: int = Field(description="MPs whose constituency overlaps a member place (by ward), each counted once.")
    by_party: list[CoverageRowOut]
    never_engaged_places: list[str] = Field(description="Member places none of whose MPs is in an interaction.")
    asks_raised_in_meetings: int
    asks_with_outcome: int = Field(description="Of the asks raised in meetings, those whose status is not 'no reply'.")


class InteractionParams(ListParams):
    place: str = Field("", description="Only interactions about this member place (slug).")
    since: IsoDate | None = Field(None, description="Only interactions on or after this date.")


class PressReleaseOut(Schema):
    id: int
    title: str
    title_cy: str = Field(description="Blank until translated into Welsh.")
    body: str
    body_cy: str
    work_area: str | None = Field(description="The work area's slug.")
    spokespeople: list[str]
    claims: list[int] = Field(description="The ids of the claims register's entries it cites (/api/v1/claims/).")
    published_at: dt.datetime | None
    url: str


class MediaCoverageOut(Schema):
    id: int
    date: dt.date
    outlet: str
    headline: str
    url: str
    press_release: int | None
    claim: int | None


class MediaCoverageParams(ListParams):
    since: IsoDate | None = Field(None, description="Only coverage on or after this date.")
