"""The sections of the packs written for someone in government: an MP (their constituency's member places, the
share of wards, the constituency's Centre for Cities figures, the places' headline figures and trend, our asks
and responses in the work areas those places lead, our past interactions with them, the APPG) and a Minister or
department (its Ministers today, the asks to it with their status, the evidence for each work area those asks
and our interactions cover, its consultations we responded to, our interactions with it).

Engagement is read through its queries and models; nothing here writes. Interactions are private: a pack lists
only those about its member places or the work areas they lead, the ones an officer of those places may read
(`engagement.policy.visible_interactions`), because such an officer may read the pack."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from keycities.consultations import queries as consultations
from keycities.consultations.models import Ask
from keycities.consultations.policy import published_asks
from keycities.core.bilingual import gss_name, localised_text
from keycities.engagement import queries as engagement
from keycities.engagement.models import Interaction, Organisation, Person, Role, RoleKind
from keycities.engagement.templatetags.engagement import cfc_label, cfc_value
from keycities.network.models import Place, WorkArea
from keycities.observatory.aggregation import Store

CFC_SOURCE = gettext_noop(
    "Centre for Cities, General Election 2024 constituency data tool (27 June 2024), figures as Centre "
    "for Cities published them; these are Centre for Cities’ figures, not the Hub’s."
)
WARDS_SOURCE = gettext_noop(
    "Office for National Statistics, Ward to Westminster Parliamentary Constituency to Local Authority "
    "District (July 2024) lookup; licensed under the Open Government Licence v3.0. MPs: UK Parliament "
    "and TheyWorkForYou, compiled by Open Innovations."
)
LEDGER = gettext_noop("The Key Cities asks ledger, as recorded by the secretariat.")
# How far back a pack looks for our interactions and the consultations we responded to.
RECENT_MONTHS = 24
SHOWN = 15


def _section(
    heading: str,
    *,
    paragraphs: list[str] | None = None,
    items: list[str] | None = None,
    table: dict[str, Any] | None = None,
    chart: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {"heading": heading, "paragraphs": paragraphs or [], "items": items or [], "table": table, "chart": chart}


def _day(day: dt.date | None) -> str:
    return date_format(day, "j F Y") if day else "–"


def _since() -> dt.date:
    return engagement.months_before(timezone.localdate(), RECENT_MONTHS)


def about_places(interactions: QuerySet[Interaction], places: list[Place]) -> QuerySet[Interaction]:
    """The interactions about the places or a work area one of them leads."""
    return interactions.filter(
        pk__in=Interaction.objects.filter(Q(places__in=places) | Q(work_areas__lead_links__place__in=places)).values(
            "pk"
        )
    )


def interactions_section(heading: str, interactions: QuerySet[Interaction], scope: str) -> dict[str, Any]:
    """The interactions of the last two years (newest first, at most SHOWN), or a line saying there were none."""
    found = list(interactions.filter(date__gte=_since()).order_by("-date", "-pk")[:SHOWN])
    items = [
        _("%(date)s, %(kind)s: %(title)s") % {"date": _day(i.date), "kind": i.get_kind_display(), "title": i.title}
        for i in found
    ]
    return _section(heading, items=items, paragraphs=[scope if items else _("None recorded in the last two years.")])


def ask_items(asks: QuerySet[Ask], b: Any, *, department: bool = True, area: bool = True) -> list[str]:
    """Each ask with its status from the ledger (a fact, with the ledger as its source note)."""
    out = []
    for ask in asks.order_by("pk"):
        fact = b.add(
            {
                "key": f"ask:{ask.pk}",
                "kind": "ask",
                "label": ask.text[:120],
                "status": ask.status,
                "text": str(ask.get_status_display()),
                "release": None,
                "source": _(LEDGER),
            }
        )
        said = {
            "ask": ask.text,
            "department": ask.department,
            "status": fact["text"],
            "note": fact["note"],
            "area": localised_text(ask.work_area, "name") if ask.work_area else _("no work area"),
        }
        if department and area:
            out.append(_("%(ask)s (to %(department)s; %(area)s): %(status)s [%(note)s]") % said)
        elif department:
            out.append(_("%(ask)s (to %(department)s): %(status)s [%(note)s]") % said)
        else:
            out.append(_("%(ask)s (%(area)s): %(status)s [%(note)s]") % said)
    return out


def response_items(found: Any) -> list[str]:
    return [
        _("%(title)s (%(body)s), submitted %(date)s")
        % {"title": c.title, "body": c.body_name, "date": _day(c.submitted_on)}
        for c in found[:SHOWN]
    ]


# --- an MP ------------------------------------------------------------------------------------------------


def mp_seat(person: Person, on: dt.date | None = None) -> Any:
    """The MP's seat today (their current MP role with its constituency), or None."""
    return (
        person.roles.current(on)
        .filter(kind=RoleKind.MP, constituency__isnull=False)
        .select_related("constituency")
        .order_by("-start")
        .first()
    )


def mp_places(person: Person) -> list[Place]:
    seat = mp_seat(person)
    return [o.place for o in engagement.places_of(seat.constituency)] if seat else []


def mp_sections(person: Person, b: Any, store: Store) -> list[dict[str, Any]]:
    from .content import headline_table, trend_chart

    seat = mp_seat(person)
    if seat is None:
        return [
            _section(
                _("About the MP"),
                paragraphs=[_("%(name)s does not hold a seat in the House of Commons today.") % {"name": person.name}],
            )
        ]
    constituency = seat.constituency
    seat_name = gss_name(constituency.name, constituency.code)  # Dwyrain Casnewydd in a Welsh pack
    overlaps = engagement.places_of(constituency)
    places = [o.place for o in overlaps]
    b.places.update(p.pk for p in places)
    said = {
        "name": person.name,
        "party": seat.party or _("no party recorded"),
        "seat": seat_name,
        "since": _day(seat.start),
    }
    sections = [
        _section(
            _("About the MP"), paragraphs=[_("%(name)s (%(party)s) is the MP for %(seat)s, since %(since)s.") % said]
        )
    ]
    wards = b.note(None, _("Shares of wards: %(source)s") % {"source": _(WARDS_SOURCE)})
    rows = [
        [
            localised_text(o.place, "name"),
            _("%(wards)s of %(of)s") % {"wards": o.wards, "of": o.constituency_wards},
            f"{100 * o.share_of_constituency:.0f}% [{wards}]",
        ]
        for o in overlaps
    ]
    sections.append(
        _section(
            _("The constituency and member places"),
            paragraphs=[
                _(
                    "Shares are shares of wards, not of population: the constituency’s wards (2024 boundaries) "
                    "that lie in each place’s local authorities."
                )
            ]
            if rows
            else [_("No member place lies in %(seat)s.") % {"seat": seat_name}],
            table={
                "caption": _("Member places in %(seat)s") % {"seat": seat_name},
                "head": [_("Member place"), _("Wards of the constituency"), _("Share of wards")],
                "rows": rows,
            }
            if rows
            else None,
        )
    )
    if constituency.cfc_figures:
        cfc = b.note(None, _(CFC_SOURCE))
        sections.append(
            _section(
                _("Centre for Cities figures for %(seat)s") % {"seat": seat_name},
                paragraphs=[_("These are Centre for Cities’ figures for the constituency, not the Hub’s.")],
                table={
                    "caption": _("Centre for Cities, General Election 2024 constituency data tool"),
                    "head": [_("Figure"), _("Value")],
                    "rows": [
                        [cfc_label(label), f"{cfc_value(value) or '–'} [{cfc}]"]
                        for label, value in constituency.cfc_figures.items()
                    ],
                },
            )
        )
    if places:
        names = ", ".join(localised_text(p, "name") for p in places)
        sections.append(
            _section(
                _("Headline figures"),
                table=headline_table(
                    places, b, store, _("%(names)s against Key Cities, with the rank among members") % {"names": names}
                ),
                chart=trend_chart(places[0], b, store),
            )
        )
        areas = WorkArea.objects.filter(lead_links__place__in=places).distinct().order_by("position", "name")
        led = [
            _("%(area)s (led by %(place)s)")
            % {
                "area": localised_text(a, "name"),
                "place": ", ".join(localised_text(p, "name") for p in a.leads.all() if p in places),
            }
            for a in areas.prefetch_related("leads")
        ]
        theirs = about_places(Interaction.objects.filter(people=person), places)
        raised = published_asks().filter(interactions__in=theirs).distinct()
        responses = consultations.published().filter(work_areas__in=areas, submitted_on__gte=_since()).distinct()
        sections += [
            _section(
                _("Work areas their places lead"),
                items=led,
                paragraphs=[] if led else [_("None of their places leads a work area.")],
            ),
            _section(
                _("Asks we have raised with them"),
                items=ask_items(raised, b),
                paragraphs=[] if raised else [_("No ask has been recorded as raised with them.")],
            ),
            _section(
                _("Our responses in those work areas"),
                items=response_items(responses),
                paragraphs=[] if responses else [_("No published response in those work areas in the last two years.")],
            ),
            interactions_section(
                _("Our interactions with them"),
                theirs,
                _("In the last two years, about their places or the work areas they lead; newest first."),
            ),
        ]
    sections.append(appg_section(person))
    return sections


def appg_section(person: Person | None = None) -> dict[str, Any]:
    group = engagement.appg()
    if group is None:
        return _section(_("The Key Cities APPG"), paragraphs=[_("The APPG’s register entry has not been loaded.")])
    officers = list(group.roles.current().select_related("person").order_by("pk"))
    paragraphs = [group.description] if group.description else []
    if person is not None:
        held = [r.title for r in officers if r.person_id == person.pk]
        paragraphs.append(
            _("%(name)s is %(post)s of the APPG.") % {"name": person.name, "post": held[0]}
            if held
            else _("%(name)s is not an officer of the APPG.") % {"name": person.name}
        )
    return _section(
        _("The Key Cities APPG"),
        paragraphs=paragraphs,
        items=[f"{r.person.name}, {r.title}" + (f" ({r.party})" if r.party else "") for r in officers],
    )


# --- a Minister or department ----------------------------------------------------------------------------


def _named(org: Organisation) -> Q:
    names = [n for n in (org.name, org.abbreviation) if n]
    q = Q()
    for n in names:
        q |= Q(department__iexact=n)
    return q


def department_sections(org: Organisation, minister: Person | None, b: Any, store: Store) -> list[dict[str, Any]]:
    from .content import headline_table

    family = [org.pk, *org.children.values_list("pk", flat=True)]
    ministers = list(
        Role.objects.current()
        .filter(kind=RoleKind.MINISTER, organisation__in=family)
        .select_related("person")
        .order_by("pk")
    )
    paragraphs = [org.description] if org.description else []
    if minister is not None:
        posts = [r.title for r in ministers if r.person_id == minister.pk]
        paragraphs.append(
            _("Prepared for %(name)s, %(post)s.") % {"name": minister.name, "post": posts[0]}
            if posts
            else _("Prepared for %(name)s.") % {"name": minister.name}
        )
    sections = [
        _section(
            _("About %(name)s") % {"name": org.name},
            paragraphs=paragraphs,
            items=[f"{r.person.name}, {r.title}" for r in ministers],
        )
    ]
    asks = published_asks().filter(_named(org)) if org.name else published_asks().none()
    with_org = Interaction.objects.filter(organisations__in=family)
    area_ids = {
        *asks.exclude(work_area=None).values_list("work_area", flat=True),
        *with_org.values_list("work_areas", flat=True),
    } - {None}
    areas = list(WorkArea.objects.filter(pk__in=area_ids).prefetch_related("leads").order_by("position", "name"))
    leads = list(Place.objects.filter(lead_links__work_area__in=areas).distinct().order_by("name"))
    b.places.update(p.pk for p in leads)
    sections.append(
        _section(
            _("Our asks of the department"),
            items=ask_items(asks, b, department=False),
            paragraphs=[] if asks else [_("No published ask is addressed to the department.")],
        )
    )
    for area in areas:
        lead = [p for p in area.leads.all()]
        sections.append(
            _section(
                _("Evidence: %(area)s") % {"area": localised_text(area, "name")},
                paragraphs=[
                    _("Lead: %(leads)s")
                    % {"leads": ", ".join(localised_text(p, "name") for p in lead) or _("no lead recorded")}
                ],
                table=headline_table(lead, b, store, _("The lead places against Key Cities")) if lead else None,
            )
        )
    responses = consultations.published().filter(body_name__iexact=org.name) if org.name else []
    sections.append(
        _section(
            _("Its consultations we responded to"),
            items=response_items(responses),
            paragraphs=[] if responses else [_("No published response to its consultations.")],
        )
    )
    sections.append(
        interactions_section(
            _("Our interactions with the department"),
            about_places(with_org, leads),
            _("In the last two years, about the work areas above or their lead places; newest first."),
        )
    )
    return sections
