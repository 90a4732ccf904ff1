"""Writes for briefing packs; each public function is one transaction, and django-auditlog records every
create, update and delete of packs, sections and issues (apps.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from keycities.engagement import queries as engagement
from keycities.engagement import services as engagement_services
from keycities.engagement.models import OrgKind, Person, RoleKind
from keycities.network.models import Place
from keycities.observatory import queries as observatory
from keycities.observatory.aggregation import Store

from . import audiences, content, presenters, tokens
from .models import Batch, Issue, Kind, Pack, Recipient, Section


def _refuse(error: tokens.TokenError) -> ValidationError:
    return ValidationError([str(p) for p in error.problems])


def _check_audience(pack: Pack) -> None:
    """An MP's pack is for a sitting MP; a department's pack is about a department, for one of its Ministers."""
    if pack.kind == Kind.MP and pack.person and audiences.mp_seat(pack.person) is None:
        raise ValidationError({"person": _("%(name)s is not an MP today.") % {"name": pack.person.name}})
    if pack.kind == Kind.DEPARTMENT and pack.organisation:
        if pack.organisation.kind != OrgKind.DEPARTMENT:
            raise ValidationError({"organisation": _("%(name)s is not a government department.")
                                   % {"name": pack.organisation.name}})  # fmt: skip
        family = [pack.organisation.pk, *pack.organisation.children.values_list("pk", flat=True)]
        if (
            pack.person
            and not pack.person.roles.current().filter(kind=RoleKind.MINISTER, organisation__in=family).exists()
        ):
            raise ValidationError({"person": _("%(name)s is not a Minister in %(department)s today.") % {
                "name": pack.person.name, "department": pack.organisation.name}})  # fmt: skip


@transaction.atomic
def create_pack(data: dict[str, Any], *, by: Any) -> Pack:
    pack = Pack(kind=data["kind"], title=data["title"], place=data.get("place"), work_area=data.get("work_area"),
                person=data.get("person"), organisation=data.get("organisation"), created_by=by)  # fmt: skip
    pack.full_clean()
    _check_audience(pack)
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
    issued = Issue.objects.create(pack=pack, version=(previous.version + 1) if previous else 1, issued_by=by,
                                  content=built, figures=facts, release_ids=release_ids,
                                  changes=changes)  # fmt: skip
    issued.places.set(built["en"]["places"])
    return issued


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


def sitting_mps() -> list[Person]:
    """Every MP today for a constituency that overlaps a member place, by name."""
    ids = {o.mp.person_id for o in engagement.overlaps() if o.mp}
    return list(Person.objects.filter(pk__in=ids).order_by("name", "pk"))


@transaction.atomic
def issue_mp_pack(person: Person, *, by: Any) -> Issue:
    """Issue the MP's pack (made, titled "Briefing for <MP>", if they have none yet)."""
    pack = Pack.objects.filter(kind=Kind.MP, person=person).order_by("pk").first()
    if pack is None:
        pack = create_pack({"kind": Kind.MP, "title": _("Briefing for %(name)s") % {"name": person.name},
                            "person": person}, by=by)  # fmt: skip
    return issue_pack(pack, by=by)


@transaction.atomic
def start_batch(of: str, *, by: Any) -> Batch:
    """Issue a pack for every member place, or every MP in member places, in the background; the batch shows the
    task's progress."""
    from .tasks import issue_packs

    total = len(member_places()) if of == Batch.For.PLACES else len(sitting_mps())
    batch = Batch.objects.create(of=of, total=total, started_by=by)
    transaction.on_commit(lambda: issue_packs.enqueue(batch.pk))
    return batch


@transaction.atomic
def send_issue(issue: Issue, people: list[Person], kind: str, on: dt.date, *, by: Any) -> list[Recipient]:
    """Record that an issued pack went to people from the contacts: an interaction with each (its places and work
    areas are the pack's), and the recipient beside the issue. A person it already went to is skipped."""
    from keycities.engagement.services import record_interaction

    pack = issue.pack
    sent = set(issue.recipients.values_list("person_id", flat=True))
    title = _("Briefing sent: %(title)s, version %(n)s") % {"title": pack.title, "n": issue.version}
    made = []
    for person in people:
        if person.pk in sent:
            continue
        interaction = record_interaction({
            "kind": kind, "date": on, "title": title, "people": [person],
            "summary": engagement_services.absolute(issue.get_absolute_url()),
            "places": list(issue.places.all()), "work_areas": [pack.work_area] if pack.work_area else [],
            "organisations": [pack.organisation] if pack.organisation else [],
        }, by=by)  # fmt: skip
        made.append(Recipient.objects.create(issue=issue, person=person, interaction=interaction, sent_on=on,
                                             sent_by=by))  # fmt: skip
    return made
