"""Turn engagement rows into what pages, the API and the calendar feed show; no database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def percent(share: float) -> str:
    """A share of wards as a whole percentage, '45%' (never more precise than the count it comes from)."""
    return f"{round(share * 100)}%"


def ward_share(wards: int, of: int) -> str:
    """'7 of 10 wards (70%)'."""
    return _("%(n)d of %(total)d wards (%(share)s)") % {"n": wards, "total": of,
                                                         "share": percent(wards / of if of else 0.0)}  # fmt: skip


def overlap_row(o: Any) -> dict[str, Any]:
    mp = o.mp
    return {
        "place": o.place.slug, "place_name": o.place.name, "constituency_code": o.constituency.code,
        "constituency": o.constituency.name, "wards_in_place": o.wards, "constituency_wards": o.constituency_wards,
        "place_wards": o.place_wards, "share_of_constituency_wards": round(o.share_of_constituency, 4),
        "share_of_place_wards": round(o.share_of_place, 4), "within": o.within,
        "mp": mp.name if mp else None, "mp_id": mp.person_id if mp else None,
        "parliament_id": mp.parliament_id if mp else None, "party": mp.party if mp else None,
        "mp_since": mp.start if mp else None,
    }  # fmt: skip


def _ics_text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """RFC 5545 lines are at most 75 octets; longer ones continue on lines starting with a space."""
    out: list[str] = []
    data = line.encode()
    while len(data) > 75:
        cut = 75 if not out else 74
        while cut and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        out.append(data[:cut].decode())
        data = data[cut:]
    out.append(data.decode())
    return [out[0], *(" " + x for x in out[1:])]


def calendar(events: Iterable[dict[str, Any]], *, stamp: dt.datetime, name: str) -> str:
    """An iCalendar file of all-day events (uid, date, summary, description, url)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Key Cities Hub//Engagement//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_ics_text(name)}"]  # fmt: skip
    for e in events:
        day: dt.date = e["date"]
        lines += ["BEGIN:VEVENT", f"UID:{e['uid']}", f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
                  f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
                  f"DTEND;VALUE=DATE:{(day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
                  f"SUMMARY:{_ics_text(e['summary'])}"]  # fmt: skip
        if e.get("description"):
            lines.append(f"DESCRIPTION:{_ics_text(e['description'])}")
        if e.get("url"):
            lines.append(f"URL:{e['url']}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))


def of_the(total: int, part: int, whole: str, what: str) -> str:
    """ "1 of the 2 Ministers in post today has been …": the noun agrees with the total (`whole`, already made
    with ngettext on `total`), the verb with the part, each through ngettext, so that every language's plural
    forms (Welsh has four) are right for both numbers."""
    whole_text = whole % {"n": total}
    if what == "ministers":
        return ngettext("%(m)s of the %(whole)s has been in an interaction in the last 12 months.",
                        "%(m)s of the %(whole)s have been in an interaction in the last 12 months.",
                        part) % {"m": part, "whole": whole_text}  # fmt: skip
    return ngettext("%(m)s of the %(whole)s has an outcome recorded in the asks ledger.",
                    "%(m)s of the %(whole)s have an outcome recorded in the asks ledger.",
                    part) % {"m": part, "whole": whole_text}  # fmt: skip
