"""Writes for the library; each public function is one transaction, and django-auditlog records every create,
update and delete of a publication (apps.py). The search entry is written by the same transaction (the
publication's post_save and m2m_changed, through core.search; `reindex` after the work areas and places are
set)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from keycities.core import search as registry
from keycities.core.files import DOCX, PDF, sniff_document

from . import extract
from .index import indexer
from .models import Publication

MAX_BYTES = 50 * 1024 * 1024
ALLOWED = {PDF, DOCX}
FIELDS = ("title", "summary", "published_on", "authors", "kind", "is_public", "licence")
WELSH = ("title_cy", "summary_cy")  # optional: blank until translated (docs/adr/0010-welsh.md)


def check_file(f: UploadedFile) -> str:
    """The content type of an acceptable file, judged from its bytes (PDF or DOCX), or a ValidationError."""
    if not f.size:
        raise ValidationError(_("%(name)s is empty") % {"name": f.name})
    if f.size > MAX_BYTES:
        raise ValidationError(_("%(name)s must be smaller than 50 MB") % {"name": f.name})
    kind = sniff_document(f.file) if f.file is not None else None
    if kind not in ALLOWED:
        raise ValidationError(_("%(name)s must be a PDF or DOCX document") % {"name": f.name})
    return str(kind)


def _attach(p: Publication, upload: UploadedFile) -> None:
    kind = check_file(upload)
    if upload.file is None:
        raise ValidationError(_("%(name)s is empty") % {"name": upload.name})
    found = extract.extract(upload.file, kind)
    p.file = upload
    p.original_name = (upload.name or "publication").rsplit("/", 1)[-1][:200]
    p.content_type, p.size = kind, upload.size or 0
    p.text, p.pages, p.no_text = found.text, found.pages, found.no_text


def reindex(p: Publication) -> None:
    source = registry.source("publication")
    if source is not None:
        indexer.save(source, p)


@transaction.atomic
def create_publication(data: dict[str, Any], upload: UploadedFile, *, by: Any) -> Publication:
    p = Publication(created_by=by if getattr(by, "pk", None) else None, **{f: data[f] for f in FIELDS},
                    **{f: data.get(f) or "" for f in WELSH})  # fmt: skip
    _attach(p, upload)
    p.full_clean()
    p.save()
    p.places.set(data.get("places") or [])
    p.work_areas.set(data.get("work_areas") or [])
    reindex(p)
    return p


@transaction.atomic
def update_publication(p: Publication, data: dict[str, Any], upload: UploadedFile | None = None, *,
                       by: Any) -> Publication:  # fmt: skip
    p = Publication.objects.select_for_update().get(pk=p.pk)
    for f in FIELDS:
        setattr(p, f, data[f])
    for f in WELSH:
        setattr(p, f, data.get(f) or "")
    if upload is not None:
        _attach(p, upload)
    p.full_clean()
    p.save()
    p.places.set(data.get("places") or [])
    p.work_areas.set(data.get("work_areas") or [])
    reindex(p)
    return p


@transaction.atomic
def delete_publication(p: Publication, *, by: Any) -> None:
    stored = p.file
    p.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name) if stored.name else None)


def erase_for_person(person: Any, by: Any) -> int:
    """A person's name or email wherever the library holds it: a publication's authors and text, and any search
    entry (entries follow their rows' saves; this also clears an entry whose row was changed without a save)."""
    from django.db.models import Q

    from keycities.core import erasure

    from .models import SearchEntry

    needles = person.needles
    if not needles:
        return 0
    count = 0
    match = Q()
    for n in needles:
        match |= Q(title__icontains=n) | Q(summary__icontains=n) | Q(authors__icontains=n) | Q(text__icontains=n)
        match |= Q(title_cy__icontains=n) | Q(summary_cy__icontains=n)
    for p in Publication.objects.filter(match):
        p.title, p.summary = erasure.redact(p.title, needles), erasure.redact(p.summary, needles)
        p.title_cy, p.summary_cy = erasure.redact(p.title_cy, needles), erasure.redact(p.summary_cy, needles)
        p.authors, p.text = erasure.redact(p.authors, needles), erasure.redact(p.text, needles)
        p.save()
        reindex(p)
        count += 1
    entries = Q()
    for n in needles:
        entries |= Q(title__icontains=n) | Q(summary__icontains=n) | Q(body__icontains=n)
    for e in SearchEntry.objects.filter(entries):
        e.title, e.summary, e.body = (erasure.redact(e.title, needles), erasure.redact(e.summary, needles),
                                      erasure.redact(e.body, needles))  # fmt: skip
        e.embedding = []
        e.save()
        count += 1
    return count
