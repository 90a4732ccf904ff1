import datetime as dt

from ninja import Field, Schema


class RegionOut(Schema):
    code: str
    name: str
    name_cy: str = Field(description="The official Welsh name (Gogledd Orllewin Lloegr, Cymru); blank where none.")


class AreaCoverOut(Schema):
    code: str
    name: str
    start: dt.date | None
    end: dt.date | None
    relation: str
    counted: bool
    note: str
    note_cy: str = Field(description="The note in Welsh; blank where there is none or none translated.")


class MembershipOut(Schema):
    group: str
    group_name: str
    start: dt.date | None
    end: dt.date | None
    source: str


class WorkAreaRef(Schema):
    slug: str
    name: str


class PlaceRef(Schema):
    slug: str
    name: str


class PlaceOut(Schema):
    slug: str
    name: str
    name_cy: str
    official_name: str
    nation: str
    region: RegionOut
    url: str
    areas: list[AreaCoverOut]
    memberships: list[MembershipOut]
    work_areas_led: list[WorkAreaRef]


class PlaceDetailOut(PlaceOut):
    note: str
    note_cy: str = Field(description="The note in Welsh; blank where there is none or none translated.")


class WorkAreaOut(Schema):
    slug: str
    name: str
    name_cy: str
    description: str
    description_cy: str
    source: str
    url: str
    leads: list[PlaceRef]
