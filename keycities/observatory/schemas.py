import datetime as dt

from ninja import Field, Schema


class ReleaseOut(Schema):
    id: int
    dataset: str
    title: str
    publisher: str
    release_date: dt.date
    source_url: str
    licence: str
    geography: str
    file_name: str
    sha256: str


class IndicatorOut(Schema):
    slug: str
    name: str
    topic: str
    unit: str
    aggregation: str
    aggregation_label: str
    definition: str
    caveats: str
    name_cy: str = Field(description="The name in Welsh; blank where not yet translated.")
    topic_cy: str = Field(description="The topic in Welsh; blank where not yet translated.")
    definition_cy: str = Field(description="The definition in Welsh; blank where not yet translated.")
    caveats_cy: str = Field(description="The caveats in Welsh; blank where there are none or none translated.")
    base: str
    derived: bool
    higher_is_better: bool | None
    numerator: str | None
    denominator: str | None
    weight: str | None
    first_period: int | None
    latest_period: int | None
    url: str


class IndicatorDetailOut(IndicatorOut):
    releases: list[ReleaseOut]


class ObservationOut(Schema):
    indicator: str
    area_code: str
    area_name: str
    period: int
    value: float | None
    lower_ci: float | None
    upper_ci: float | None
    status: str
    note: str
    release_id: int
    release_dataset: str
    release_date: dt.date


class MemberOut(Schema):
    place: str
    name: str
    areas: list[str]
    value: float | None
    numerator: float | None
    denominator: float | None
    note: str


class MissingOut(Schema):
    place: str
    name: str
    reason: str


class SeriesPointOut(Schema):
    period: int
    value: float | None
    release_id: int | None
    release_dataset: str | None
    release_date: dt.date | None
    members_counted: list[str]
    is_break: bool
    break_reason: str


class SeriesOut(Schema):
    group: str
    group_name: str
    indicator: str
    unit: str
    as_of: dt.date
    value_kind: str
    points: list[SeriesPointOut]


class AggregateOut(Schema):
    group: str
    group_name: str
    indicator: str
    period: int
    as_of: dt.date
    value: float | None
    unit: str
    method: str
    aggregation: str
    numerator_total: float | None
    denominator_total: float | None
    members_minimum: float | None
    members_median: float | None
    members_maximum: float | None
    complete: bool
    members: list[MemberOut]
    missing: list[MissingOut]
    releases: list[ReleaseOut]
