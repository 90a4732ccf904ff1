"""What the library's pages show: plain functions, testable without a database."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _


def citation(*, authors: str, year: int | None, title: str, url: str, accessed: dt.date,
             licence: str = "") -> str:  # fmt: skip
    """A Harvard-style reference: "Key Cities (2026) Title. Key Cities Hub. Available at: URL (Accessed: 1 May
    2026)."""
    who = authors.strip() or "Key Cities"
    when = str(year) if year else _("n.d.")
    text = _("%(who)s (%(when)s) %(title)s. Key Cities Hub. Available at: %(url)s (Accessed: %(accessed)s).") % {
        "who": who, "when": when, "title": title.strip().rstrip("."), "url": url,
        "accessed": date_format(accessed, "j F Y")}  # fmt: skip
    return f"{text} {licence}".strip() if licence else text


def size_label(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(size // 1024, 1)} KB"
