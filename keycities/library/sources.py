"""What the search finds in the library itself and in the apps that do not (yet) register their own sources:
members, work areas, indicators, claims, proposals (staff) and contacts (staff).

Consultation responses and asks are registered by the consultations app (consultations/search.py), issued
briefings by the briefings app (briefings/search.py), published survey results by voice (voice/search.py). Each
source's `visible` reuses the owning app's policy, so search shows a restricted row exactly when its own page would
open for the user.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override

from keycities.accounts.policy import is_secretariat, is_staff_member, officer_place_id
from keycities.core.bilingual import area_name, gss_name
from keycities.core.search import Doc, Source, register

from . import policy
from .models import Publication

KEY_CITIES = "key-cities"


def _members() -> Any:
    from keycities.network.models import Place

    return Place.objects.members_of(KEY_CITIES, dt.date.today())


# --- publications -------------------------------------------------------------------------------------------------


def publication_doc(p: Publication) -> Doc:
    """The Welsh title and summary are in the body, so that a Welsh title finds the publication."""
    welsh = "\n".join(x for x in (p.title_cy, p.summary_cy) if x)
    return Doc(key=str(p.pk), title=p.title, body=f"{welsh}\n{p.summary}\n{p.authors}\n{p.text}", summary=p.summary,
               url=p.get_absolute_url(), date=p.published_on, places=tuple(x.slug for x in p.places.all()),
               work_areas=tuple(w.slug for w in p.work_areas.all()), public=p.is_public,
               kind=p.kind)  # fmt: skip


def visible_publications(user: Any, keys: list[str]) -> set[str]:
    ids = [int(k) for k in keys if k.isdigit()]
    return {str(pk) for pk in policy.visible_publications(user).filter(pk__in=ids).values_list("pk", flat=True)}


# --- network, observatory, claims ---------------------------------------------------------------------------------


def place_doc(place: Any) -> Doc | None:
    if not _members().filter(pk=place.pk).exists():
        return None
    areas = " ".join(f"{a.area_code} {a.area_name}" for a in place.areas.all())
    body = " ".join(x for x in (place.name_cy, place.official_name, place.region_name, place.summary, areas) if x)
    return Doc(key=str(place.pk), title=place.name, body=body, summary=place.summary or place_summary(place, "en"),
               url=place.get_absolute_url(), places=(place.slug,))  # fmt: skip


def place_summary(place: Any, language: str) -> str:
    """What a member place's search result says of it, in `language`: its nation or region and the local
    authorities it is made of today, e.g. "Wales · local authority: Newport (W06000022)" (in Welsh "Cymru ·
    awdurdod lleol: Casnewydd (W06000022)": a Welsh local authority's official Welsh name)."""
    names = [(gss_name(a.area_name, a.area_code, language), a.area_code) for a in place.areas_on(dt.date.today())]
    with override(language):
        said = ngettext("%(region)s · local authority: %(areas)s", "%(region)s · local authorities: %(areas)s",
                        len(names))  # fmt: skip
        return said % {"region": area_name(place.region_name, language),
                       "areas": ", ".join(f"{name} ({code})" for name, code in names)}  # fmt: skip


def work_area_doc(area: Any) -> Doc:
    body = " ".join((area.name_cy, area.description, area.description_cy))
    return Doc(key=str(area.pk), title=area.name, body=body, summary=area.description, url=area.get_absolute_url(),
               work_areas=(area.slug,))  # fmt: skip


def indicator_doc(indicator: Any) -> Doc:
    body = " ".join((indicator.topic, indicator.definition, indicator.caveats, indicator.base))
    return Doc(key=str(indicator.pk), title=indicator.name, body=body, summary=indicator.definition,
               url=indicator.get_absolute_url())  # fmt: skip


def claim_doc(claim: Any) -> Doc:
    body = " ".join((claim.text, claim.headline_cy, claim.text_cy, claim.document.title,
                     claim.indicator.name if claim.indicator else ""))  # fmt: skip
    return Doc(key=str(claim.pk), title=claim.headline, body=body, summary=claim.text, url=claim.get_absolute_url(),
               date=claim.document.published_on)  # fmt: skip


# --- staff only: proposals and contacts -----------------------------------------------------------------------------


def proposal_doc(proposal: Any) -> Doc:
    """Title and summary only: never the submitter's name, email or organisation."""
    return Doc(key=str(proposal.pk), title=proposal.title, body=proposal.summary, summary=proposal.summary,
               url=proposal.get_absolute_url(), date=proposal.submitted_at.date() if proposal.submitted_at else None,
               places=tuple(p.slug for p in proposal.places.all()),
               work_areas=tuple(w.slug for w in proposal.work_areas.all()), public=False)  # fmt: skip


def visible_proposals(user: Any, keys: list[str]) -> set[str]:
    from keycities.proposals.policy import visible_proposals as visible

    ids = [int(k) for k in keys if k.isdigit()]
    return {str(pk) for pk in visible(user).filter(pk__in=ids).values_list("pk", flat=True)}


def person_doc(person: Any) -> Doc:
    """The name and the roles (posts, organisations, constituencies): never the email, phone or notes."""
    from django.urls import reverse

    roles = " ".join(" ".join(x for x in (r.title, r.get_kind_display(), r.organisation.name if r.organisation_id
                                          else "", r.constituency.name if r.constituency_id else "") if x)
                     for r in person.roles.all())  # fmt: skip
    return Doc(key=str(person.pk), title=person.name, body=roles, summary=roles[:300],
               url=reverse("engagement:person", args=[person.pk]), public=False)  # fmt: skip


def visible_people(user: Any, keys: list[str]) -> set[str]:
    """The people whose page (engagement:person, staff only, `access_contact`) the user may open."""
    from keycities.engagement.models import Person
    from keycities.engagement.policy import contact_ids, sees_interactions

    if not is_staff_member(user) or not sees_interactions(user) or not (is_secretariat(user) or
                                                                       officer_place_id(user)):  # fmt: skip
        return set()
    ids = [int(k) for k in keys if k.isdigit()]
    people = Person.objects.filter(pk__in=ids).filter(pk__in=contact_ids(user))
    return {str(pk) for pk in people.values_list("pk", flat=True)}


def _places_of(area: Any) -> Iterable[Any]:
    return [area.place]


def register_sources() -> None:
    from keycities.claims.models import Claim
    from keycities.engagement.models import Person, Role
    from keycities.network.models import Membership, Place, PlaceArea, WorkArea
    from keycities.observatory.models import Indicator
    from keycities.proposals.models import Proposal

    register(Source("place", _("Member places"), Place, place_doc,
                    lambda: Place.objects.prefetch_related("areas").filter(pk__in=_members()), order=10,
                    related=((PlaceArea, _places_of), (Membership, _places_of))))  # fmt: skip
    register(Source("work_area", _("Work areas"), WorkArea, work_area_doc, WorkArea.objects.all, order=20))
    register(Source("indicator", _("Indicators"), Indicator, indicator_doc, Indicator.objects.all, order=30))
    register(Source("claim", _("Claims"), Claim, claim_doc,
                    lambda: Claim.objects.select_related("document", "indicator"), order=40))  # fmt: skip
    register(Source("publication", _("Publications"), Publication, publication_doc,
                    lambda: Publication.objects.prefetch_related("places", "work_areas"), visible=visible_publications,
                    library=True, order=50))  # fmt: skip
    register(Source("proposal", _("Proposals"), Proposal, proposal_doc,
                    lambda: Proposal.objects.prefetch_related("places", "work_areas"), visible=visible_proposals,
                    staff_only=True, order=80))  # fmt: skip
    register(Source("contact", _("Contacts"), Person, person_doc,
                    lambda: Person.objects.prefetch_related("roles__organisation", "roles__constituency"),
                    visible=visible_people, staff_only=True, order=90,
                    related=((Role, lambda role: [role.person]),)))  # fmt: skip


# The Welsh title (and summary) of each source's rows, for Welsh pages: source -> (model path, title, summary).
WELSH_TITLES = {
    "publication": ("library.Publication", "title_cy", "summary_cy"),
    "claim": ("claims.Claim", "headline_cy", "text_cy"),
    "response": ("consultations.Consultation", "title_cy", ""),
    "place": ("network.Place", "name_cy", ""),  # the Welsh summary: place_summary, in with_welsh
    "work_area": ("network.WorkArea", "name_cy", "description_cy"),
    "indicator": ("observatory.Indicator", "name_cy", "definition_cy"),
}


def with_welsh(entries: list[Any]) -> None:
    """Give search entries their rows' Welsh title and summary (`title_cy`, `summary_cy`, for the `bi` filters),
    one query per source. Entries of sources with no Welsh twin (or not yet translated) keep blank ones, so a Welsh
    page marks their English as English (docs/adr/0010-welsh.md)."""
    from django.apps import apps

    for e in entries:
        e.title_cy, e.summary_cy = "", ""
    for source, (label, title, summary) in WELSH_TITLES.items():
        mine = [e for e in entries if e.source == source and e.key.isdigit()]
        if not mine:
            continue
        model = apps.get_model(label)
        fields = [f.name for f in model._meta.get_fields()]
        wanted = [f for f in (title, summary) if f and f in fields]
        rows = {str(r["pk"]): r for r in model.objects.filter(pk__in=[int(e.key) for e in mine]).values("pk", *wanted)}
        for e in mine:
            row = rows.get(e.key, {})
            e.title_cy, e.summary_cy = row.get(title, "") or "", row.get(summary, "") or "" if summary else ""
        if source == "place":
            by_key = {e.key: e for e in mine}
            for place in model.objects.filter(pk__in=[int(k) for k in by_key]).prefetch_related("areas"):
                by_key[str(place.pk)].summary_cy = place_summary(place, "cy")
