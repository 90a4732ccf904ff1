"""Issued briefing packs in the Hub's search and the publications library (registered in apps.py with
core.search). A pack about the group or a work area is public once issued; a member place's pack is found only
by those `policy.visible_issues` lets read it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from keycities.core.search import Doc, Source, register

from . import policy
from .models import Issue


def issue_doc(issue: Issue) -> Doc:
    content = issue.content.get("en") or {}
    sections = content.get("sections", [])
    text = " ".join(f"{s.get('heading', '')} {' '.join(str(p) for p in s.get('paragraphs') or [])}" for s in sections)
    pack = issue.pack
    return Doc(key=str(issue.pk), title=f"{pack.title} (v{issue.version})", body=text, summary=text[:300],
               url=issue.get_absolute_url(), date=issue.issued_at.date() if issue.issued_at else None,
               places=(pack.place.slug,) if pack.place_id and pack.place else (),
               work_areas=(pack.work_area.slug,) if pack.work_area_id and pack.work_area else (),
               public=pack.is_public, kind="briefing")  # fmt: skip


def visible(user: Any, keys: list[str]) -> set[str]:
    ids = [int(k) for k in keys if k.isdigit()]
    return {str(pk) for pk in policy.visible_issues(user).filter(pk__in=ids).values_list("pk", flat=True)}


def register_sources() -> None:
    register(Source("briefing", _("Briefings"), Issue, issue_doc,
                    lambda: Issue.objects.select_related("pack", "pack__place", "pack__work_area"), visible=visible,
                    library=True, order=55))  # fmt: skip
