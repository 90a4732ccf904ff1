"""Issued briefing packs: the list (as the user may see them) and one issue with its frozen figures, as JSON
or its figures as CSV."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from ninja import Query, Router, Schema

from keycities.core.api import ErrorEnvelope, ListParams, Page, csv_response, paginate

from . import policy, presenters
from .models import Issue
from .schemas import IssueDetailOut, IssueOut

router = Router(tags=["briefings"])


def _issue(request: HttpRequest, issue: Issue) -> dict[str, Any]:
    return {"id": issue.pk, "pack": issue.pack_id, "title": issue.pack.title, "kind": issue.pack.kind,
            "version": issue.version, "issued_at": issue.issued_at, "public": issue.pack.is_public,
            "url": request.build_absolute_uri(issue.get_absolute_url()),
            "release_ids": issue.release_ids}  # fmt: skip


@router.get("/briefings/", response={200: Page[IssueOut], 422: ErrorEnvelope}, summary="Issued briefing packs")
def list_briefings(request: HttpRequest, page: Query[ListParams]) -> HttpResponse | dict[str, Any]:
    """Every issued version the user may read: packs about the group and the work areas for everyone, a member
    place's packs for the secretariat and member officers."""
    issues = policy.visible_issues(request.user).order_by("pack__title", "pack_id", "-version")
    if page.format == "csv":
        header = ["id", "pack", "title", "kind", "version", "issued_at", "public", "url"]
        return csv_response("briefings.csv", header, (
            [r["id"], r["pack"], r["title"], r["kind"], r["version"], r["issued_at"], r["public"], r["url"]]
            for r in (_issue(request, i) for i in issues)))  # fmt: skip
    return paginate(request, issues, page, lambda i: _issue(request, i))


class DetailParams(Schema):
    format: Literal["json", "csv"] = "json"


@router.get("/briefings/{issue_id}", response={200: IssueDetailOut, 404: ErrorEnvelope},
            summary="One issued pack with its frozen figures")  # fmt: skip
def get_briefing(request: HttpRequest, issue_id: int, params: Query[DetailParams]) -> HttpResponse | dict[str, Any]:
    """The issue as frozen: every figure with its value, period and source release; what changed since the
    version before; the content in the language of Accept-Language. `format=csv`: the figures as CSV."""
    issue = policy.access_issue_id(request.user, issue_id)
    if params.format == "csv":
        return csv_response(f"key-cities-briefing-{issue.pack_id}-v{issue.version}.csv", presenters.FIGURE_HEADER,
                            presenters.figure_rows(issue.figures))  # fmt: skip
    content = issue.content.get("cy" if get_language() == "cy" else "en") or issue.content["en"]
    return {**_issue(request, issue), "figures": issue.figures, "changes": issue.changes,
            "sections": content["sections"], "notes": content["notes"]}  # fmt: skip
