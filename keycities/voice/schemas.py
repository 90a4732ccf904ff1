from __future__ import annotations

import datetime as dt

from ninja import Schema


class SurveyOut(Schema):
    slug: str
    title: str
    places: list[str]
    work_areas: list[str]
    opens_on: dt.date
    closes_on: dt.date
    state: str  # open, closed, upcoming, draft
    results_url: str | None
    url: str


class ShareOut(Schema):
    category: str
    count: int | None  # None when suppressed (fewer than 10)
    percent: float | None
    ci_low: float | None
    ci_high: float | None
    weighted_percent: float | None
    weighted_ci_low: float | None
    weighted_ci_high: float | None


class GroupOut(Schema):
    group_kind: str
    group: str
    base: int | None
    rows: list[ShareOut]


class QuestionOut(Schema):
    position: int
    text: str
    kind: str
    groups: list[GroupOut]


class CellOut(Schema):
    age_band: str
    sex: str
    residents: int
    respondents: int | None
    respondent_share: float | None
    population_share: float
    weighted_share: float | None
    cannot_be_fixed_by_weighting: bool


class SurveyPlaceOut(Schema):
    place: str
    respondents: int
    with_age_band_and_sex: int
    residents_16_plus: int
    design_effect: float | None
    effective_sample_size: float | None
    weights_trimmed: int
    statements: list[str]
    cells: list[CellOut]


class ResultsOut(Schema):
    slug: str
    title: str
    responses: int
    design_effect: float | None
    effective_sample_size: float | None
    places: list[SurveyPlaceOut]
    questions: list[QuestionOut]
    source: str
