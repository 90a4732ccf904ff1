"""Writes for briefing packs; each public function is one transaction, and django-auditlog records every
create, update and delete of packs, sections and issues (apps.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from keycities.observatory.aggregation import Store

from . import content, presenters, tokens
from .models import Issue, Pack, Section


def _refuse(error: tokens.TokenError) -> ValidationError:
    return ValidationError([str(p) for p in error.problems])


@transaction.atomic
def create_pack(data: dict[str, Any], *, by: Any) -> Pack:
    pack = Pack(kind=data["kind"], title=data["title"], place=data.get("place"), work_area=data.get("work_area"),
                created_by=by)  # fmt: skip
    pack.full_clean()
    pack.save()
    return pack


@transaction.atomic
def save_section(pack: Pack, heading: str, body: str, *, by: Any, section: Section | None = None,
                 store: Store | None = None) -> Section:  # fmt: skip
    """Add or change a narrative section. Every token must name one figure: an unknown or ambiguous token is
    refused with its line and column, and nothing is saved. The figures as they stand are kept with the text, so
    that the editor can flag one that changes later."""
    try:
        figures = tokens.validate(body, store)
    except tokens.TokenError as error:
        raise _refuse(error) from None
    if section is None:
        position = (pack.sections.aggregate(m=Max("position"))["m"] or 0) + 1
        section = Section(pack=pack, position=position)
    elif section.pack_id != pack.pk:
        raise ValidationError("The section is not in this pack.")
    section.heading, section.body, section.figures = heading, body, figures
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def delete_section(section: Section, *, by: Any) -> None:
    section.delete()


@transaction.atomic
def issue_pack(pack: Pack, *, by: Any, store: Store | None = None) -> Issue:
    """Freeze the pack as it stands (text, figures, release ids, in English and Welsh) as its next version, with
    what changed since the version before. Refused while a token has no figure on the current data."""
    pack = Pack.objects.select_for_update().get(pk=pack.pk)
    store = store or Store()
    for section in pack.sections.all():
        try:
            tokens.validate(section.body, store)
        except tokens.TokenError as error:
            raise _refuse(error) from None
    built = content.build_all(pack, store)
    facts = built["en"]["facts"]
    previous = pack.issues.order_by("-version").first()
    changes = presenters.changes(previous.figures, facts) if previous else []
    release_ids = sorted({f["release"]["id"] for f in facts if f.get("release")})
    return Issue.objects.create(pack=pack, version=(previous.version + 1) if previous else 1, issued_by=by,
                                content=built, figures=facts, release_ids=release_ids,
                                changes=changes)  # fmt: skip
