from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema


class BriefingReleaseOut(Schema):
    id: int | None
    dataset: str
    publisher: str
    release_date: str
    licence: str


class FigureOut(Schema):
    key: str = Field(description="What the figure is, stable across versions: e.g. profile:population:coventry, "
                     "token:gva:group/key-cities:2020, claim:3, ask:12.")  # fmt: skip
    kind: str = Field(description="figure, claim or ask.")
    label: str
    indicator: str | None = None
    subject: str | None = None
    period: int | None = None
    value: float | None = None
    text: str = Field(description="The value as the pack shows it (a claim's sentence, an ask's status).")
    verdict: str | None = None
    status: str | None = None
    note: int = Field(description="The number of its source note.")
    release: BriefingReleaseOut | None = None


class ChangeOut(Schema):
    key: str
    label: str
    change: Literal["added", "changed", "removed"]
    old: str
    new: str


class IssueOut(Schema):
    id: int
    pack: int
    title: str
    kind: str
    version: int
    issued_at: dt.datetime
    public: bool
    url: str
    release_ids: list[int]


class IssueDetailOut(IssueOut):
    figures: list[FigureOut]
    changes: list[ChangeOut]
    sections: list[dict[str, Any]] = Field(description="The frozen content, in the language asked for.")
    notes: list[dict[str, Any]]
