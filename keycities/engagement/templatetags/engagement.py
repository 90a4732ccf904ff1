"""`{% parliament_panel place %}`: a member place's constituencies and MPs, for the place's page. It uses the
memberships and areas the page has already loaded, and costs one query of its own."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.translation import gettext, gettext_noop

from keycities.engagement import queries
from keycities.network.queries import NETWORK

register = template.Library()


@register.inclusion_tag("engagement/includes/parliament_panel.html")
def parliament_panel(place: Any) -> dict[str, Any]:
    today = dt.date.today()
    member = any(m.group.slug == NETWORK and m.holds_on(today) for m in place.memberships.all())
    return {"place": place, "member": member, "overlaps": queries.overlaps([place], today) if member else []}


# The parties' names with a standard Welsh form (as the House of Commons list names them in English); the others
# (Plaid Cymru, Reform UK, Sinn Féin...) are proper names and read the same in both languages.
PARTIES = {
    gettext_noop("Labour"),
    gettext_noop("Labour (Co-op)"),
    gettext_noop("Conservative"),
    gettext_noop("Liberal Democrat"),
    gettext_noop("Independent"),
    gettext_noop("Scottish National Party"),
    gettext_noop("Green Party"),
    gettext_noop("Speaker"),
}
# The Centre for Cities' measures shown on an MP's page (services.CFC_COLUMNS), as the file names them.
CFC_LABELS = {
    gettext_noop("Jobs per resident (2022)"),
    gettext_noop("Share of jobs in manufacturing (2022)"),
    gettext_noop("Share of jobs in knowledge intensive services (2022)"),
    gettext_noop("Share of jobs in publicly-funded services (2022)"),
    gettext_noop("Share of residents that have a high level (4) qualification (2021)"),
    gettext_noop("Share of residents that have no formal qualifications (2021)"),
    gettext_noop("Share of neighbourhoods in most deprived decile (2019)"),
    gettext_noop("Average house prices (2023)"),
    gettext_noop("City (PUA)"),
}


@register.filter
def party(name: str) -> str:
    """`{{ role.party|party }}`: a party's name in the page's language where it has a standard Welsh form."""
    return gettext(name) if name in PARTIES else name


@register.filter
def cfc_label(label: str) -> str:
    """A Centre for Cities measure's name in the page's language."""
    return gettext(label) if label in CFC_LABELS else label


CFC_VALUES = {gettext_noop("Data not available")}  # what the tool writes where it has no figure


@register.filter
def cfc_value(value: object) -> object:
    """A Centre for Cities value as the tool gives it, but its "Data not available" in the page's language."""
    return gettext(value) if isinstance(value, str) and value in CFC_VALUES else value
