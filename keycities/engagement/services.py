"""Writes for engagement. Each public function is one transaction; django-auditlog records every row
(registered in apps.py).

Loaders read the bundled files (data/PROVENANCE.md) and are idempotent: people are found by their UK
Parliament member id, roles and organisations by a source key, so loading the same file again changes
nothing, and a newer MP file ends the roles of MPs who no longer hold a seat (the day before their
successor's start) and adds the successor, without duplicating anyone.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext

from keycities.consultations.services import MAX_DOCUMENT_BYTES, check_document
from keycities.core import erasure
from keycities.core.errors import DataFileError
from keycities.core.text import one_line, whole_number

from .models import (
    PUBLIC_ROLES,
    AppgAction,
    AppgMeeting,
    CalendarToken,
    Constituency,
    ConstituencyArea,
    FollowUp,
    Interaction,
    InteractionAttachment,
    InteractionPerson,
    MediaCoverage,
    Organisation,
    OrgKind,
    Person,
    PressRelease,
    ReleaseStatus,
    Role,
    RoleKind,
    Spokesperson,
)

DATA = Path(settings.BASE_DIR) / "data"
MPS_FILE = DATA / "parliament" / "mps-2024" / "current-MPs.csv"
LOOKUP_FILE = DATA / "ons" / "lookup-wd24-pcon24-lad24" / "WD24_PCON24_LAD24_UTLA24_UK_LU.csv"
CFC_FILE = DATA / "centre-for-cities" / "ge2024-constituency-tool" / "2024-06-27_GE_2024_Master_Sheet_CFC.csv"
APPG_FILE = DATA / "parliament" / "appg-register" / "key-cities.json"
IFG_DIR = DATA / "ifg" / "ministers-database"

# The Centre for Cities columns shown on an MP's page, as the file names them.
CFC_COLUMNS = (
    "Jobs per resident (2022)",
    "Share of jobs in manufacturing (2022)",
    "Share of jobs in knowledge intensive services (2022)",
    "Share of jobs in publicly-funded services (2022)",
    "Share of residents that have a high level (4) qualification (2021)",
    "Share of residents that have no formal qualifications (2021)",
    "Share of neighbourhoods in most deprived decile (2019)",
    "Average house prices (2023)",
    "City (PUA)",
)
COMMONS = "parliament:house-of-commons"
APPG = "appg:key-cities"


@dataclass
class LoadReport:
    counts: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return ", ".join(f"{k}: {v}" for k, v in sorted(self.counts.items()) if v) or "nothing changed"


def _rows(path: Path, encoding: str = "utf-8-sig", skip: int = 0) -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as f:
        for _ in range(skip):
            f.readline()
        return list(csv.DictReader(f))


def _need(path: Path, row: dict[str, str], number: int, *columns: str) -> None:
    for column in columns:
        if column not in row:
            raise DataFileError(path, "column missing", row=number, column=column)
        if not (row[column] or "").strip():
            raise DataFileError(path, "empty", row=number, column=column)


def _date(value: str) -> dt.date | None:
    value = (value or "").strip()
    return dt.date.fromisoformat(value[:10]) if value else None


# --- constituencies ------------------------------------------------------------------------------


def load_constituencies(lookup: Path = LOOKUP_FILE, cfc: Path | None = CFC_FILE, report: LoadReport | None = None
                        ) -> LoadReport:  # fmt: skip
    """Constituencies and their ward counts per local authority, from the ONS ward lookup (a ward split
    between two seats has a row in each); the Centre for Cities figures where the file has the seat."""
    report = report or LoadReport()
    rows = _rows(lookup)
    names: dict[str, tuple[str, str]] = {}
    per_pair: Counter[tuple[str, str]] = Counter()
    per_la: Counter[str] = Counter()
    la_names: dict[str, str] = {}
    for number, row in enumerate(rows, start=2):
        _need(lookup, row, number, "WD24CD", "PCON24CD", "PCON24NM", "LAD24CD", "LAD24NM")
        names[row["PCON24CD"]] = (row["PCON24NM"], row.get("PCON24NMW", "") or "")
        per_pair[(row["PCON24CD"], row["LAD24CD"])] += 1
        per_la[row["LAD24CD"]] += 1
        la_names[row["LAD24CD"]] = row["LAD24NM"]
    figures: dict[str, dict[str, str]] = {}
    if cfc is not None and cfc.exists():
        # Row 1 is a note, row 2 the header; the file is Windows-1252. The last rows are averages for groups
        # of seats ("City", "Deep rural") and blank lines, without a code: they are not constituencies.
        for row in _rows(cfc, encoding="cp1252", skip=1):
            if "PCON25CD" not in row:
                raise DataFileError(cfc, "column missing", row=2, column="PCON25CD")
            if not (row["PCON25CD"] or "").strip():
                continue
            figures[row["PCON25CD"].strip()] = {c: (row.get(c) or "").strip() for c in CFC_COLUMNS}
    with transaction.atomic():
        wards = Counter[str]()
        for (code, _la), n in per_pair.items():
            wards[code] += n
        existing = {c.code: c for c in Constituency.objects.all()}
        for code, (name, name_cy) in sorted(names.items()):
            values = {"name": name, "name_cy": name_cy, "wards": wards[code], "cfc_figures": figures.get(code, {})}
            found = existing.get(code)
            if found is None:
                existing[code] = Constituency.objects.create(code=code, **values)
                report.counts["constituencies added"] += 1
            elif any(getattr(found, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(found, k, v)
                found.save()
                report.counts["constituencies updated"] += 1
        have = {(a.constituency.code, a.area_code): a for a in ConstituencyArea.objects.select_related("constituency")}
        for (code, la), n in sorted(per_pair.items()):
            link = have.pop((code, la), None)
            if link is None:
                ConstituencyArea.objects.create(constituency=existing[code], area_code=la, area_name=la_names[la],
                                                wards=n, area_wards=per_la[la])  # fmt: skip
                report.counts["constituency areas added"] += 1
            elif (link.wards, link.area_wards, link.area_name) != (n, per_la[la], la_names[la]):
                link.wards, link.area_wards, link.area_name = n, per_la[la], la_names[la]
                link.save()
        for gone in have.values():
            gone.delete()
            report.counts["constituency areas removed"] += 1
    return report


# --- MPs -----------------------------------------------------------------------------------------


def _commons() -> Organisation:
    found, _ = Organisation.objects.get_or_create(
        source_key=COMMONS, defaults={"name": "House of Commons", "kind": OrgKind.PARLIAMENT}
    )
    return found


def _person(parliament_id: int, name: str, twfy_url: str = "") -> tuple[Person, bool]:
    person = Person.objects.filter(parliament_id=parliament_id).first()
    if person is None:
        return Person.objects.create(parliament_id=parliament_id, name=name, twfy_url=twfy_url), True
    changed = False
    if name and person.name != name:
        person.name, changed = name, True
    if twfy_url and person.twfy_url != twfy_url:
        person.twfy_url, changed = twfy_url, True
    if changed:
        person.save()
    return person, False


def load_mps(path: Path = MPS_FILE, report: LoadReport | None = None, today: dt.date | None = None) -> LoadReport:
    """One MP per constituency, as the file says. A seat whose MP changed: the old role ends the day before the
    new MP's start (or yesterday, if the file gives no start) and a new role begins."""
    report = report or LoadReport()
    today = today or timezone.localdate()
    rows = _rows(path)
    for number, row in enumerate(rows, start=2):
        _need(path, row, number, "PCON24CD", "MP", "ID", "Party name")
        if whole_number(row["ID"].strip()) is None:
            raise DataFileError(path, "not a member id", row=number, column="ID")
    with transaction.atomic():
        commons = _commons()
        seats = {c.code: c for c in Constituency.objects.all()}
        for number, row in enumerate(rows, start=2):
            seat = seats.get(row["PCON24CD"].strip())
            if seat is None:
                raise DataFileError(path, "not a constituency in the ONS lookup", row=number, column="PCON24CD")
            person, added = _person(int(row["ID"]), row["MP"].strip(), row.get("TheyWorkForYou URI", "").strip())
            report.counts["people added"] += added
            start = _date(row.get("Start date", ""))
            party = row["Party name"].strip()
            current = Role.objects.filter(kind=RoleKind.MP, constituency=seat, end__isnull=True).first()
            if current is not None and current.person_id == person.pk and current.party == party:
                continue
            if current is not None:
                current.end = (
                    (start - dt.timedelta(days=1))
                    if start and current.person_id != person.pk
                    else (today - dt.timedelta(days=1))
                )
                current.save()
                report.counts["MP roles ended"] += 1
                if current.person_id == person.pk:  # a change of party: the new role starts today
                    start = today
            Role.objects.create(person=person, kind=RoleKind.MP, constituency=seat, organisation=commons, party=party,
                                start=start, title=f"MP for {seat.name}",
                                source=f"{path.name}, row {number}")  # fmt: skip
            report.counts["MP roles added"] += 1
    return report


# --- the APPG --------------------------------------------------------------------------------------


def load_appg(path: Path = APPG_FILE, report: LoadReport | None = None) -> LoadReport:
    """The Key Cities APPG and its officers (register of All-Party Parliamentary Groups, via mySociety)."""
    report = report or LoadReport()
    data = json.loads(path.read_text(encoding="utf-8"))
    for i, officer in enumerate(data.get("officers", []), start=1):
        for key in ("role", "name", "mnis_id"):
            if not str(officer.get(key) or "").strip():
                raise DataFileError(path, "empty", row=i, column=f"officers.{key}")
    with transaction.atomic():
        group, created = Organisation.objects.update_or_create(
            source_key=APPG, defaults={"name": data["title"], "kind": OrgKind.PARLIAMENT, "parent": _commons(),
                                       "abbreviation": "APPG", "description": data.get("purpose", ""),
                                       "website": (data.get("contact_details", {}).get("website") or {}).get("url", ""),
                                       "source": data.get("source_url", "")})  # fmt: skip
        report.counts["organisations added"] += created
        listed = set()
        for officer in data.get("officers", []):
            person, added = _person(int(officer["mnis_id"]), officer["name"].strip())
            report.counts["people added"] += added
            key = f"{APPG}:{officer['mnis_id']}:{officer['role']}"[:120]
            listed.add(key)
            end = timezone.localdate() if officer.get("removed") else None
            _role, made = Role.objects.update_or_create(
                source_key=key, defaults={"person": person, "kind": RoleKind.APPG_OFFICER, "organisation": group,
                                          "title": officer["role"], "party": officer.get("party", ""), "end": end,
                                          "source": f"{data.get('source_url', path.name)}"})  # fmt: skip
            report.counts["APPG roles added"] += made
        for stale in Role.objects.filter(kind=RoleKind.APPG_OFFICER, organisation=group, end__isnull=True).exclude(
                source_key__in=listed):  # fmt: skip
            stale.end = timezone.localdate()
            stale.save()
    return report


# --- departments and Ministers (Institute for Government Ministers Database) ---------------------------


def load_ministers(folder: Path = IFG_DIR, report: LoadReport | None = None) -> LoadReport:
    """Departments in being (no end date) and the ministerial appointments still held in the IfG snapshot."""
    report = report or LoadReport()
    orgs = _rows(folder / "organisation.csv")
    posts = {r["id"]: r for r in _rows(folder / "post.csv")}
    people: dict[str, dict[str, str]] = {}
    for r in _rows(folder / "person.csv"):
        if not r.get("end_date") or r["id"] not in people:  # the row without an end date is the current name
            people[r["id"]] = r
    appointments = [r for r in _rows(folder / "appointment.csv") if not (r.get("end_date") or "").strip()]
    with transaction.atomic():
        departments: dict[str, Organisation] = {}
        for number, r in enumerate(orgs, start=2):
            _need(folder / "organisation.csv", r, number, "id", "name")
            if (r.get("end_date") or "").strip():
                continue
            dept, created = Organisation.objects.update_or_create(
                source_key=f"ifg-organisation:{r['id']}",
                defaults={"name": r["name"].strip(), "kind": OrgKind.DEPARTMENT,
                          "abbreviation": (r.get("short_name") or "").strip(), "start": _date(r.get("start_date", ""))},
            )  # fmt: skip
            departments[r["id"]] = dept
            report.counts["departments added"] += created
        held = set()
        for number, a in enumerate(appointments, start=2):
            post = posts.get(a["post_id"])
            who = people.get(a["person_id"])
            if post is None or who is None:
                raise DataFileError(folder / "appointment.csv", "unknown post or person", row=number, column="post_id")
            department = departments.get(post.get("organisation_id", ""))
            pid = (who.get("id_parliament") or "").strip()
            if pid:
                person, added = _person(int(float(pid)), (who.get("display_name") or who["name"]).strip())
            else:
                person, added = Person.objects.get_or_create(name=(who.get("display_name") or who["name"]).strip(),
                                                             parliament_id=None)  # fmt: skip
            report.counts["people added"] += added
            key = f"ifg-appointment:{a['id']}"
            held.add(key)
            _role, made = Role.objects.update_or_create(
                source_key=key, defaults={"person": person, "kind": RoleKind.MINISTER, "organisation": department,
                                          "title": (post.get("display_name") or post["name"]).strip(),
                                          "start": _date(a.get("start_date", "")), "end": None,
                                          "source": "Institute for Government Ministers Database"})  # fmt: skip
            report.counts["Minister roles added"] += made
        for ended in Role.objects.filter(kind=RoleKind.MINISTER, end__isnull=True, source_key__startswith="ifg-"
                                         ).exclude(source_key__in=held):  # fmt: skip
            ended.end = timezone.localdate()
            ended.save()
            report.counts["Minister roles ended"] += 1
    return report


def load_engagement(*, lookup: Path = LOOKUP_FILE, mps: Path = MPS_FILE, cfc: Path | None = CFC_FILE,
                    appg: Path = APPG_FILE, ifg: Path | None = IFG_DIR) -> LoadReport:  # fmt: skip
    """Everything the bundled files hold, in one transaction: a bad file changes nothing."""
    report = LoadReport()
    with transaction.atomic():
        load_constituencies(lookup, cfc, report)
        load_mps(mps, report)
        load_appg(appg, report)
        if ifg is not None and ifg.exists():
            load_ministers(ifg, report)
    return report


# --- interactions and follow-ups -----------------------------------------------------------------------


def record_interaction(data: dict[str, Any], *, by: Any, follow_up: dict[str, Any] | None = None) -> Interaction:
    """An interaction and, if given, its follow-up (text, owner, due)."""
    with transaction.atomic():
        interaction = Interaction.objects.create(
            kind=data["kind"], date=data["date"], title=one_line(data["title"]), summary=data.get("summary", ""),
            private_notes=data.get("private_notes", ""), created_by=by if getattr(by, "is_authenticated", False)
            else None)  # fmt: skip
        for name in ("people", "organisations", "places", "work_areas", "asks"):
            if data.get(name):
                getattr(interaction, name).set(data[name])
        if follow_up and follow_up.get("text"):
            FollowUp.objects.create(interaction=interaction, text=one_line(follow_up["text"]),
                                    owner=follow_up["owner"], due=follow_up["due"])  # fmt: skip
    return interaction


def update_interaction(interaction: Interaction, data: dict[str, Any], *, by: Any) -> Interaction:
    """Changes to an interaction (its fields and who and what it involved), audited like every write."""
    with transaction.atomic():
        found = Interaction.objects.select_for_update().get(pk=interaction.pk)
        found.kind, found.date, found.title = data["kind"], data["date"], one_line(data["title"])
        found.summary, found.private_notes = data.get("summary", ""), data.get("private_notes", "")
        found.save()
        for name in ("people", "organisations", "places", "work_areas", "asks"):
            getattr(found, name).set(data.get(name) or [])
    return found


def add_attachment(interaction: Interaction, upload: Any, *, by: Any) -> InteractionAttachment:
    """A PDF, DOCX or ODT document under 20 MB, judged from its bytes as a consultation's documents are
    (`consultations.services.check_document`, which also refuses zip bombs); a ValidationError names the reason."""
    kind = check_document(upload)
    name = (upload.name or "document").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        return InteractionAttachment.objects.create(
            interaction=interaction, file=upload, original_name=name, content_type=kind, size=upload.size,
            uploaded_by=by if getattr(by, "is_authenticated", False) else None)  # fmt: skip


def complete_follow_up(follow_up: FollowUp, *, by: Any) -> FollowUp:
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.done_at is None:
            locked.done_at = timezone.now()
            locked.save(update_fields=["done_at"])
    return locked


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def send_follow_up_digests(today: dt.date | None = None) -> int:
    """Email each owner their open follow-ups due today or overdue (one email per owner). Returns emails sent."""
    today = today or timezone.localdate()
    by_owner: dict[Any, list[FollowUp]] = defaultdict(list)
    due = FollowUp.objects.filter(done_at__isnull=True, due__lte=today, owner__is_active=True)
    for f in due.select_related("owner", "interaction").order_by("owner_id", "due", "pk"):
        by_owner[f.owner].append(f)
    sent = 0
    with transaction.atomic():
        for owner, items in by_owner.items():
            if not owner.email:
                continue
            rows = [{"text": f.text, "due": f.due, "days": (today - f.due).days, "interaction": f.interaction.title,
                     "url": absolute(f.interaction.get_absolute_url())} for f in items]  # fmt: skip
            context = {"rows": rows, "today": today, "url": absolute("/engagement/follow-ups/")}
            body = render_to_string("engagement/email/digest.txt", context)
            send_mail(one_line(f"Key Cities Hub: {len(items)} follow-ups due or overdue"), body, None, [owner.email])
            sent += 1
    return sent


def new_calendar_token(user: Any) -> str:
    """A new private feed address for the user; the old one stops working. Returns the key (shown once)."""
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarToken.objects.filter(user=user).delete()
        CalendarToken.objects.create(user=user, key_hash=CalendarToken.hash(key))
    return key


def revoke_calendar_token(user: Any) -> None:
    with transaction.atomic():
        CalendarToken.objects.filter(user=user).delete()


# --- people's data (keycities/core/erasure.py) --------------------------------------------------------------


def _theirs(person: erasure.Person) -> Iterable[Person]:
    return Person.objects.filter(email__iexact=person.email) if person.email else Person.objects.none()


def find_person(person: erasure.Person) -> None:
    for p in _theirs(person):
        person.names.add(p.name)
        person.rows += [p, *p.roles.all(), *p.spokesperson_roles.all()]


def erase_for_person(person: erasure.Person, by: Any) -> int:
    """A contact's record: their contact details and notes go; a person with a public role (MP, Minister,
    APPG officer) keeps that public role and name, everyone else is deleted with their roles. Their name is
    removed from interactions' summaries and notes."""
    count = 0
    needles = person.needles
    theirs = [x.pk for x in _theirs(person)]
    with disable_auditlog():
        # Attachments may say anything about the people in an interaction: those of the interactions the person
        # was in go, and any other whose name or bytes hold one of their needles.
        for a in InteractionAttachment.objects.filter(interaction__people__in=theirs).distinct():
            _delete_attachment(a)
        for a in InteractionAttachment.objects.all():
            if _mentions(a, needles):
                _delete_attachment(a)
        for p in Person.objects.filter(pk__in=theirs).select_for_update():
            if p.roles.public().exists():
                p.email, p.phone, p.notes = "", "", ""
                p.roles.exclude(kind__in=PUBLIC_ROLES).delete()
                p.save()
            else:
                p.delete()
            count += 1
        for i in Interaction.objects.filter(erasure.contains_any(["title", "summary", "private_notes"], needles)):
            i.title = erasure.redact(i.title, needles)
            i.summary = erasure.redact(i.summary, needles)
            i.private_notes = erasure.redact(i.private_notes, needles)
            i.save(update_fields=["title", "summary", "private_notes"])
        # Press releases quote people (a spokesperson, a contact); the coverage log's headlines may name them.
        release_fields = ["title", "title_cy", "body", "body_cy"]
        for r in PressRelease.objects.filter(erasure.contains_any(release_fields, needles)):
            for name in release_fields:
                setattr(r, name, erasure.redact(getattr(r, name), needles))
            r.save(update_fields=release_fields)
        meeting_fields = ["title", "agenda", "minutes", "minutes_cy"]
        for m in AppgMeeting.objects.filter(erasure.contains_any(meeting_fields, needles)):
            for name in meeting_fields:
                setattr(m, name, erasure.redact(getattr(m, name), needles))
            m.save(update_fields=meeting_fields)
        for act in AppgAction.objects.filter(erasure.contains_any(["text", "owner"], needles)):
            act.text, act.owner = erasure.redact(act.text, needles), erasure.redact(act.owner, needles)
            act.save(update_fields=["text", "owner"])
        for c in MediaCoverage.objects.filter(erasure.contains_any(["headline"], needles)):
            c.headline = erasure.redact(c.headline, needles)
            c.save(update_fields=["headline"])
    return count


def _delete_attachment(a: InteractionAttachment) -> None:
    if a.file.name and a.file.storage.exists(a.file.name):
        a.file.storage.delete(a.file.name)
    a.delete()


def _mentions(a: InteractionAttachment, needles: Iterable[str]) -> bool:
    """Whether the attachment's name or its bytes (as stored: text inside compressed parts is not seen) hold a
    needle, ignoring case."""
    wanted = [n.casefold() for n in needles if n]
    if any(n in a.original_name.casefold() for n in wanted):
        return True
    if not a.file.name or not a.file.storage.exists(a.file.name):
        return False
    encoded = [n.lower().encode() for n in needles if n]
    with a.file.storage.open(a.file.name, "rb") as f:
        data = f.read(MAX_DOCUMENT_BYTES + 1).lower()
    return any(n in data for n in encoded)


def export_for_person(person: erasure.Person) -> dict[str, Any]:
    return {"engagement_contacts": [{
        "name": p.name, "email": p.email, "phone": p.phone, "notes": p.notes,
        "roles": [{"role": r.get_kind_display(), "title": r.title, "organisation": str(r.organisation or ""),
                   "start": r.start.isoformat() if r.start else None, "end": r.end.isoformat() if r.end else None}
                  for r in p.roles.select_related("organisation")],
        "interactions": [{"date": i.date.isoformat(), "title": i.title,
                          "attachments": [x.original_name for x in i.attachments.all()]} for i in p.interactions.all()],
        "spokesperson": [{"work_area": s.work_area.name, "title": s.title,
                          "start": s.start.isoformat() if s.start else None,
                          "end": s.end.isoformat() if s.end else None}
                         for s in p.spokesperson_roles.select_related("work_area")],
    } for p in _theirs(person)]}  # fmt: skip


# --- contacts from a CSV file (staff) -------------------------------------------------------------------

CONTACT_COLUMNS = ("name", "email", "phone", "organisation", "organisation_type", "role", "title", "start")
CONTACT_ROLES = {RoleKind.JOURNALIST.value, RoleKind.CONTACT.value}


class ImportError_(Exception):
    """A contacts file was refused: every problem, each with its row and column."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"row {r}, column {c!r}: {m}" for r, c, m in problems))


def import_contacts(text: str, *, by: Any) -> int:
    """People who are not MPs or Ministers (journalists, contacts at partners), with their organisation, from
    CSV with the columns CONTACT_COLUMNS (`start` as YYYY-MM-DD, optional). All or nothing: any problem refuses
    the whole file, naming each row and column. A person already known by their email is not added again."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in ("name", "organisation", "organisation_type", "role") if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_([(1, c, "column missing") for c in missing])
    problems: list[tuple[int, str, str]] = []
    rows = []
    for number, row in enumerate(reader, start=2):
        row = {k: one_line(v or "") for k, v in row.items() if k}
        for column in ("name", "organisation", "organisation_type", "role"):
            if not row.get(column):
                problems.append((number, column, "empty"))
        if row.get("organisation_type") and row["organisation_type"] not in OrgKind.values:
            problems.append((number, "organisation_type", f"one of {', '.join(OrgKind.values)}"))
        if row.get("role") and row["role"] not in CONTACT_ROLES:
            problems.append((number, "role", f"one of {', '.join(sorted(CONTACT_ROLES))}"))
        if row.get("email"):
            try:
                validate_email(row["email"])
            except ValidationError:
                problems.append((number, "email", "not an email address"))
        if row.get("start"):
            try:
                row["start_date"] = dt.date.fromisoformat(row["start"])
            except ValueError:
                problems.append((number, "start", "not a date like 2026-03-31"))
        rows.append(row)
    if problems:
        raise ImportError_(problems)
    with transaction.atomic():
        for row in rows:
            org, _ = Organisation.objects.get_or_create(name=row["organisation"],
                                                        defaults={"kind": row["organisation_type"]})  # fmt: skip
            person = Person.objects.filter(email__iexact=row["email"]).first() if row.get("email") else None
            if person is None:
                person = Person.objects.create(name=row["name"], email=row.get("email", ""),
                                               phone=row.get("phone", ""))  # fmt: skip
            Role.objects.get_or_create(person=person, kind=row["role"], organisation=org, title=row.get("title", ""),
                                       defaults={"start": row.get("start_date"), "source": "CSV import"})  # fmt: skip
    return len(rows)


def _move_records(dup: Person, keep: Person) -> None:
    """Point every other app's records of `dup` (a briefing pack for an MP, a pack sent to them) at `keep`. A
    record `keep` already has (the same pack sent to both) stays with the duplicate and goes with it."""
    for rel in Person._meta.related_objects:
        if not rel.one_to_many or rel.related_model in (Role, InteractionPerson):  # moved below, audited
            continue
        try:
            with transaction.atomic():
                rel.related_model._default_manager.filter(**{rel.field.name: dup}).update(**{rel.field.name: keep})
        except IntegrityError:
            pass


def merge_people(keep: Person, duplicates: Iterable[Person], *, by: Any) -> Person:
    """Merge duplicate records of one person into `keep`: their roles and interactions move to `keep`, missing
    details are filled from them, and `keep`'s notes say what was merged; the duplicates are then deleted. The
    audit log keeps every change, the deleted records included."""
    with transaction.atomic():
        keep = Person.objects.select_for_update().get(pk=keep.pk)
        merged = []
        for dup in Person.objects.select_for_update().filter(pk__in=[d.pk for d in duplicates]).exclude(pk=keep.pk):
            Role.objects.filter(person=dup).update(person=keep)
            _move_records(dup, keep)
            for interaction in dup.interactions.all():
                interaction.people.add(keep)
            parliament_id, dup.parliament_id = dup.parliament_id, None
            if parliament_id and not keep.parliament_id:
                dup.save(update_fields=["parliament_id"])  # free the unique id before keep takes it
                keep.parliament_id = parliament_id
            for name in ("email", "phone", "twfy_url"):
                if not getattr(keep, name) and getattr(dup, name):
                    setattr(keep, name, getattr(dup, name))
            if dup.notes:
                keep.notes = f"{keep.notes}\n{dup.notes}".strip()
            merged.append(f"{dup.name} (#{dup.pk})")
            dup.delete()
        if merged:
            stamp = timezone.localdate().isoformat()
            keep.notes = f"{keep.notes}\nMerged {stamp}: {', '.join(merged)}.".strip()
            keep.save()
    return keep


# --- media: spokespeople, press releases, the coverage log (issue 11, item 5) --------------------------------

# A figure: a number that is not a year (1900-2099) or a day of the month before a month's name.
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_NOT_A_FIGURE = rf"(?<![\w.,])(?!(?:19|20)\d\d\b)(?!\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\b)"
_UNIT = r"(?:\s*(?:%|per ?cent)|\s*(?:million|billion|thousand|bn|m|k)\b)?"
FIGURE = re.compile(_NOT_A_FIGURE + r"[£$€]?\d+(?:[,.]\d+)*" + _UNIT, re.IGNORECASE)


class ReleaseRefused(Exception):
    """A press release cannot move on: the reason, in words the page shows as it is."""


def quoted_figures(text: str) -> list[str]:
    """The figures a release's text quotes ("6 million", "£135bn", "8%"), years and dates left out."""
    return [m.group(0).strip() for m in FIGURE.finditer(text or "")]


def claim_problems(release: PressRelease) -> list[str]:
    """Why the release may not be approved or published now: a figure with no claim cited, or a cited claim whose
    current verdict (the claims register's latest evaluation) is not "holds"."""
    from keycities.claims import queries as claims
    from keycities.claims.models import Verdict

    problems = []
    cited = list(claims.claims().filter(press_releases=release)) if release.pk else []
    figures = quoted_figures(f"{release.title}\n{release.body}")
    if figures and not cited:
        problems.append(gettext("It quotes a figure (%(figure)s) but cites no claim from the claims register.")
                        % {"figure": figures[0]})  # fmt: skip
    for claim in cited:
        latest = claims.latest(claim)
        if latest is None:
            problems.append(gettext("The claim “%(claim)s” has not been checked yet.") % {"claim": claim.headline})
        elif latest.verdict != Verdict.HOLDS:
            problems.append(gettext("The claim “%(claim)s” does not hold: its current verdict is “%(verdict)s” "
                                    "(%(summary)s).") % {"claim": claim.headline,
                                                         "verdict": latest.get_verdict_display(),
                                                         "summary": latest.summary})  # fmt: skip
    return problems


def _check_spokespeople(data: dict[str, Any]) -> None:
    area = data.get("work_area")
    for s in data.get("spokespeople") or []:
        if area is not None and s.work_area_id != area.pk:
            raise ReleaseRefused(gettext("%(person)s is not a spokesperson for %(area)s.")
                                 % {"person": s.person.name, "area": area.name})  # fmt: skip


RELEASE_FIELDS = ("title", "title_cy", "body", "body_cy", "work_area")


def save_release(data: dict[str, Any], *, by: Any, release: PressRelease | None = None) -> PressRelease:
    """A new draft, or changes to a draft. An approved or published release is changed only by returning it
    to draft first (so what was approved is what is published)."""
    _check_spokespeople(data)
    with transaction.atomic():
        if release is None:
            release = PressRelease(created_by=by if getattr(by, "is_authenticated", False) else None)
        else:
            release = PressRelease.objects.select_for_update().get(pk=release.pk)
            if release.status != ReleaseStatus.DRAFT:
                raise ReleaseRefused(gettext("Only a draft can be changed: return it to draft first."))
        for name in RELEASE_FIELDS:
            if name in data:
                setattr(release, name, one_line(data[name]) if name in ("title", "title_cy") else data[name])
        release.save()
        if "spokespeople" in data:
            release.spokespeople.set(data["spokespeople"] or [])
        if "claims" in data:
            release.claims.set(data["claims"] or [])
    return release


def approve_release(release: PressRelease, *, by: Any) -> PressRelease:
    """Draft → approved, if every figure is backed by a claim that holds today; otherwise ReleaseRefused, naming
    each claim and its verdict."""
    with transaction.atomic():
        release = PressRelease.objects.select_for_update().get(pk=release.pk)
        if release.status != ReleaseStatus.DRAFT:
            raise ReleaseRefused(gettext("Only a draft can be approved."))
        problems = claim_problems(release)
        if problems:
            raise ReleaseRefused(" ".join([gettext("This press release cannot be approved."), *problems]))
        release.status, release.approved_by, release.approved_at = ReleaseStatus.APPROVED, by, timezone.now()
        release.save(update_fields=["status", "approved_by", "approved_at"])
    return release


def publish_release(release: PressRelease, *, by: Any) -> PressRelease:
    """Approved → published. The claims are checked again: a verdict may have changed since approval."""
    with transaction.atomic():
        release = PressRelease.objects.select_for_update().get(pk=release.pk)
        if release.status != ReleaseStatus.APPROVED:
            raise ReleaseRefused(gettext("Only an approved press release can be published."))
        problems = claim_problems(release)
        if problems:
            raise ReleaseRefused(" ".join([gettext("This press release cannot be published."), *problems]))
        release.status, release.published_at = ReleaseStatus.PUBLISHED, timezone.now()
        release.save(update_fields=["status", "published_at"])
    return release


def return_to_draft(release: PressRelease, *, by: Any) -> PressRelease:
    """Approved → draft (to change it). A published release stays published: it has been seen."""
    with transaction.atomic():
        release = PressRelease.objects.select_for_update().get(pk=release.pk)
        if release.status != ReleaseStatus.APPROVED:
            raise ReleaseRefused(gettext("Only an approved press release can be returned to draft."))
        release.status, release.approved_by, release.approved_at = ReleaseStatus.DRAFT, None, None
        release.save(update_fields=["status", "approved_by", "approved_at"])
    return release


def add_spokesperson(data: dict[str, Any], *, by: Any) -> Spokesperson:
    with transaction.atomic():
        return Spokesperson.objects.create(
            work_area=data["work_area"], person=data["person"], title=one_line(data.get("title") or ""),
            start=data.get("start"),
        )  # fmt: skip


def end_spokesperson(spokesperson: Spokesperson, *, by: Any, on: dt.date | None = None) -> Spokesperson:
    with transaction.atomic():
        found = Spokesperson.objects.select_for_update().get(pk=spokesperson.pk)
        if found.end is None:
            found.end = on or timezone.localdate()
            found.save(update_fields=["end"])
    return found


def log_coverage(data: dict[str, Any], *, by: Any) -> MediaCoverage:
    """A piece of coverage: its outlet must be a media outlet."""
    if data["outlet"].kind != OrgKind.MEDIA:
        raise ReleaseRefused(gettext("%(outlet)s is not a media outlet.") % {"outlet": data["outlet"].name})
    with transaction.atomic():
        return MediaCoverage.objects.create(
            outlet=data["outlet"], date=data["date"], url=data.get("url") or "", headline=one_line(data["headline"]),
            release=data.get("release"), claim=data.get("claim"),
            created_by=by if getattr(by, "is_authenticated", False) else None)  # fmt: skip


# --- the APPG: officers and members over time, meetings, minutes and actions (issue 11, item 4) ----------------

APPG_ROLES = (RoleKind.APPG_OFFICER, RoleKind.APPG_MEMBER)


class AppgRefused(Exception):
    """A change to the APPG's records that cannot be made: the reason, for the page."""


def add_appg_role(data: dict[str, Any], *, by: Any) -> Role:
    """An officer or member of the APPG from a date (the register lists officers; members are added by staff)."""
    from .queries import appg

    group = appg()
    if group is None:
        raise AppgRefused(gettext("The APPG has not been loaded: run load_engagement first."))
    if data["kind"] not in APPG_ROLES:
        raise AppgRefused(gettext("Choose officer or member."))
    with transaction.atomic():
        return Role.objects.create(person=data["person"], kind=data["kind"], organisation=group,
                                   title=one_line(data.get("title") or ""), start=data.get("start"),
                                   party=data.get("party") or "", source="Added by staff")  # fmt: skip


def end_appg_role(role: Role, *, by: Any, on: dt.date | None = None) -> Role:
    with transaction.atomic():
        found = Role.objects.select_for_update().get(pk=role.pk)
        if found.kind not in APPG_ROLES:
            raise AppgRefused(gettext("That is not a role in the APPG."))
        if found.end is None:
            found.end = on or timezone.localdate()
            found.save(update_fields=["end"])
    return found


MEETING_FIELDS = ("date", "title", "agenda", "minutes", "minutes_cy")


def save_meeting(data: dict[str, Any], *, by: Any, meeting: AppgMeeting | None = None) -> AppgMeeting:
    """A new meeting, or changes to one (agenda, attendees, minutes). Published minutes can still be corrected;
    the audit log keeps what they said before."""
    with transaction.atomic():
        if meeting is None:
            meeting = AppgMeeting(created_by=by if getattr(by, "is_authenticated", False) else None)
        else:
            meeting = AppgMeeting.objects.select_for_update().get(pk=meeting.pk)
        for name in MEETING_FIELDS:
            if name in data:
                setattr(meeting, name, one_line(data[name]) if name == "title" else data[name])
        meeting.save()
        if "attendees" in data:
            meeting.attendees.set(data["attendees"] or [])
    return meeting


def publish_minutes(meeting: AppgMeeting, *, by: Any) -> AppgMeeting:
    with transaction.atomic():
        found = AppgMeeting.objects.select_for_update().get(pk=meeting.pk)
        if not found.minutes.strip():
            raise AppgRefused(gettext("Write the minutes before publishing them."))
        if found.minutes_published_at is None:
            found.minutes_published_at = timezone.now()
            found.save(update_fields=["minutes_published_at"])
    return found


def add_appg_action(meeting: AppgMeeting, data: dict[str, Any], *, by: Any) -> AppgAction:
    with transaction.atomic():
        return AppgAction.objects.create(meeting=meeting, text=one_line(data["text"]),
                                         owner=one_line(data.get("owner") or ""), due=data.get("due"))  # fmt: skip


def complete_appg_action(action: AppgAction, *, by: Any) -> AppgAction:
    with transaction.atomic():
        found = AppgAction.objects.select_for_update().get(pk=action.pk)
        if found.done_at is None:
            found.done_at = timezone.now()
            found.save(update_fields=["done_at"])
    return found
