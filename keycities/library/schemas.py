from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class HitOut(Schema):
    type: str = Field(description="The source: place, work_area, indicator, claim, publication, response, ask, "
                      "briefing; for staff also proposal and contact.")  # fmt: skip
    type_label: str
    title: str
    url: str
    snippet: str = Field(description="HTML: the text escaped, the query's words in <mark>.")
    date: dt.date | None
    year: int | None
    places: list[str]
    work_areas: list[str]
    score: float


class FacetOut(Schema):
    value: str
    count: int


class SearchOut(Schema):
    query: str
    count: int
    limit: int
    offset: int
    suggestion: str = Field(description="A spelling suggestion when the query found nothing.")
    corrected: bool = Field(description="True when the results are for `suggestion`, the query having found nothing.")
    facets: dict[str, list[FacetOut]]
    results: list[HitOut]


class PublicationOut(Schema):
    id: int
    title: str
    title_cy: str = Field(description="The title in Welsh; blank where not yet translated.")
    summary: str
    summary_cy: str = Field(description="The summary in Welsh; blank where not yet translated.")
    kind: str
    published_on: dt.date
    authors: str
    places: list[str]
    work_areas: list[str]
    public: bool
    licence: str
    url: str
    file_url: str
    no_text: bool = Field(description="A scanned PDF with no text layer.")
