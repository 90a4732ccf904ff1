"""Writes for briefing packs; each public function is one transaction, and django-auditlog records every
create, update and delete of packs, sections and issues (apps.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from keycities.network.models import Place
from keycities.observatory import queries as observatory
from keycities.observatory.aggregation import Store

from . import content, presenters, tokens
from .models import Batch, Issue, Kind, Pack, Section


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


def member_places() -> list[Place]:
    return list(Place.objects.members_of(observatory.KEY_CITIES, timezone.localdate()).order_by("name"))


@transaction.atomic
def issue_place_pack(place: Place, *, by: Any) -> Issue:
    """Issue the place's pack (made, titled "<place> in brief", if it has none yet)."""
    pack = Pack.objects.filter(kind=Kind.PLACE, place=place).order_by("pk").first()
    if pack is None:
        pack = create_pack({"kind": Kind.PLACE, "title": _("%(name)s in brief") % {"name": place.name},
                            "place": place}, by=by)  # fmt: skip
    return issue_pack(pack, by=by)


@transaction.atomic
def start_place_batch(*, by: Any) -> Batch:
    """Issue a pack for every member place in the background; the batch shows the task's progress."""
    from .tasks import issue_place_packs

    batch = Batch.objects.create(total=len(member_places()), started_by=by)
    transaction.on_commit(lambda: issue_place_packs.enqueue(batch.pk))
    return batch
