"""My work: the first page after signing in, with each role's to-dos, and the staff sections of the menu.

Each app says what a user has to do in it (`register(provider=...)`: a function of the user that returns
`Section`s) and which of its staff pages belong in the main menu (`register(nav=...)`, each with the test of
who may use it, from the app's own policy). This module imports no domain app; the apps call it in their
AppConfig.ready(), as they do for erasure.

A section's `count` is what the header's "My work" link adds up when the section is a to-do (`todo=True`):
proposals to answer, reviews to record. Sections that are only information (a partner's own proposals,
consultations closing in the place's work areas) are shown but not counted. Counts are database counts and
each section lists at most `ITEMS` of its items, the most pressing first, so the page costs the same with
ten open items or a thousand.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

ITEMS = 5  # items listed in each section; the section links to the full list


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    detail: str = ""  # e.g. "Overdue by 2 days", "Under review"
    urgent: bool = False  # shown as a red tag: overdue, or a deadline today


@dataclass(frozen=True)
class Section:
    key: str  # a stable id for the page's anchors and the tests
    title: str
    count: int
    url: str  # the full list
    link_text: str
    items: tuple[Item, ...] = ()
    empty: str = ""  # what the section says when there is nothing in it
    todo: bool = True  # counted in the header's "My work (n)"
    order: int = 50


@dataclass(frozen=True)
class NavLink:
    label: Any  # a lazy translation
    url_name: str
    current: frozenset[str]
    visible: Callable[[Any], bool]
    order: int = 50


Provider = Callable[[Any], list[Section]]


@dataclass
class _Registry:
    providers: list[Provider] = field(default_factory=list)
    nav: list[NavLink] = field(default_factory=list)


_registry = _Registry()


def register(provider: Provider | None = None, nav: tuple[NavLink, ...] = ()) -> None:
    if provider is not None and provider not in _registry.providers:
        _registry.providers.append(provider)
    for link in nav:
        if link not in _registry.nav:
            _registry.nav.append(link)


def sections(user: Any) -> list[Section]:
    """Every section for this user, to-dos first, then by each app's order."""
    if not getattr(user, "is_authenticated", False):
        return []
    found = [s for provider in _registry.providers for s in provider(user)]
    return sorted(found, key=lambda s: (not s.todo, s.order, s.title))


def for_request(request: Any) -> list[Section]:
    """The sections of the request's user, worked out once per request (the page and the header share them)."""
    if not hasattr(request, "_my_work"):
        request._my_work = sections(getattr(request, "user", None))
    return list(request._my_work)


def todo_count(found: list[Section]) -> int:
    return sum(s.count for s in found if s.todo)


def staff_nav(user: Any) -> list[NavLink]:
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted((link for link in _registry.nav if link.visible(user)), key=lambda link: link.order)


def due_detail(due: dt.date, today: dt.date, *, what: str = "") -> tuple[str, bool]:
    """("Overdue by 2 days", True), ("Due today", True), ("Due in 3 days", False) for a date something is due;
    `what` names it ("Closes", "Decision due") instead of "Due"."""
    days = (due - today).days
    if days < 0:
        return ngettext("Overdue by %(n)d day", "Overdue by %(n)d days", -days) % {"n": -days}, True
    if days == 0:
        return (_("%(what)s today") % {"what": what} if what else _("Due today")), True
    text = (ngettext("%(what)s in %(n)d day", "%(what)s in %(n)d days", days) % {"what": what, "n": days} if what
            else ngettext("Due in %(n)d day", "Due in %(n)d days", days) % {"n": days})  # fmt: skip
    return text, False


Row = TypeVar("Row")


def due_items(rows: Iterable[Row], *, label: Callable[[Row], str], url: Callable[[Row], str],
              due: Callable[[Row], dt.date | None], what: str = "") -> tuple[Item, ...]:  # fmt: skip
    """Items for rows that are due on a date, each tagged by `due_detail` (no tag for a row with no date)."""
    today = timezone.localdate()
    found = []
    for row in rows:
        when = due(row)
        detail, urgent = due_detail(when, today, what=what) if when else ("", False)
        found.append(Item(label(row), url(row), detail, urgent))
    return tuple(found)
