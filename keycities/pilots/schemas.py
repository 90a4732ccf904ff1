from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema


class PilotMilestoneOut(Schema):
    title: str
    due: dt.date
    status: str


class PilotDocumentOut(Schema):
    title: str
    published_on: dt.date
    url: str = Field(description="The publication's page in the library, with its file and citation.")


class PilotOutcomeOut(Schema):
    id: int
    indicator: str
    place: str
    intervention: dt.date
    expected: str = Field(description="increase or decrease")
    default_comparators: bool
    evaluation_state: str | None = None


class PilotOut(Schema):
    slug: str
    name: str
    name_cy: str = Field(description="The name in Welsh; blank where not yet translated.")
    kind: str
    places: list[str]
    work_area: str | None = None
    funder: str
    funding: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    summary: str
    summary_cy: str = Field(description="The public summary in Welsh; blank where not yet translated.")
    published: bool
    url: str


class PilotDetailOut(PilotOut):
    partners: list[str]
    other_partners: str
    expected_outcomes: str
    expected_outcomes_cy: str = Field(description="The expected outcomes in Welsh; blank where not translated.")
    claimed_savings: float | None = None
    savings_method: str
    milestones: list[PilotMilestoneOut]
    documents: list[PilotDocumentOut]
    outcomes: list[PilotOutcomeOut]


class PilotEvaluationOut(Schema):
    pilot: str
    indicator: str
    place: str
    state: str = Field(description="waiting, running, done or refused")
    progress: list[int] = Field(description="[done, total] steps")
    finished_at: dt.datetime | None = None
    refusal: dict[str, Any] | None = Field(None, description="{code, params, reason} when refused: no estimate.")
    headline: str | None = None
    caveats: list[str] = []
    comparators: list[str]
    default_comparators: bool
    result: dict[str, Any] | None = Field(
        None,
        description="Estimates, intervals, p-values, weights, the placebo "
        "distribution, the series and the difference-in-differences.",
    )
    sources: dict[str, Any] = {}
