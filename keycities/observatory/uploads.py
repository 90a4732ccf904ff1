"""New releases uploaded by the secretariat: store, check, preview the revisions, then publish or discard.

    upload (page) ──store in default_storage tmp/──▶ ReleaseUpload(checking) ──task check_upload──▶ ready | refused
    ready ──publish (page)──▶ publishing ──task publish_upload: services.import_source in one import run──▶ published
    ready ──discard (page)──▶ discarded (file deleted)

The file goes through Django's storage API like every upload (docs/adr/0013-uploads-and-backups.md): it is
streamed to disk by Django's upload handler, capped in size, stored under `core.tasks.UPLOADS_DIR` (so that one
abandoned is deleted by the hourly clean-up) and copied to a temporary directory for the readers, which need a
path. The check reads and validates every row exactly as the import will (`services.read_source`), and compares
the values with the dataset's newest release: the preview. Nothing is written to the observatory's tables until
publication, which is one transaction (`services.import_source`). Every state change is in the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from keycities.core.errors import DataFileError
from keycities.core.tasks import UPLOADS_DIR

from . import catalogue, services
from .importers.base import Row, Source
from .models import Area, Observation, Release, ReleaseUpload

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 100 * 1024 * 1024  # the largest bundled file (the IoD workbook) is under 5 MB
LISTED = 200  # changed values kept for the preview (the largest changes); the counts are always complete


class StaleState(Exception):
    """The upload has moved on since the page was shown (someone else published or discarded it)."""


def store(source: Source, release_date: dt.date, f: UploadedFile, *, by: Any) -> ReleaseUpload:
    """Keep the file and create the upload; the check runs as a task once this commits."""
    digest = hashlib.sha256()
    for chunk in f.chunks():
        digest.update(chunk)
    f.seek(0)
    stored = default_storage.save(f"{UPLOADS_DIR}/{uuid.uuid4().hex}.upload", f)
    with transaction.atomic():
        upload = ReleaseUpload.objects.create(
            source=source.key, release_date=release_date, file_name=Path(f.name or "upload").name[:200],
            stored=stored, size=f.size or 0, sha256=digest.hexdigest(), uploaded_by=by,
            progress="Waiting to be checked",
        )  # fmt: skip
        transaction.on_commit(lambda: _enqueue("check_upload", upload.pk))
    return upload


def _enqueue(name: str, upload_id: int) -> None:
    from . import tasks

    getattr(tasks, name).enqueue(upload_id)


@contextmanager
def local_copy(upload: ReleaseUpload) -> Iterator[Path]:
    """The stored file as a local path under its own name (the readers take a path, and their messages name the
    file as the person uploaded it); the copy is deleted afterwards."""
    if not default_storage.exists(upload.stored):
        raise DataFileError(upload.file_name, "is no longer in the file store (uploads waiting longer than "
                            "TEMPORARY_UPLOAD_MAX_AGE_HOURS are deleted): upload it again")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="kc-upload-") as tmp:
        path = Path(tmp) / (Path(upload.file_name).name or "upload")
        with default_storage.open(upload.stored, "rb") as src, path.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        yield path


def _say(upload_id: int) -> services.Progress:
    def say(message: str) -> None:
        ReleaseUpload.objects.filter(pk=upload_id).update(progress=message[:200])

    return say


# --------------------------------------------------------------------------- the check and its preview


def revision_diff(source: Source, rows: list[Row]) -> dict[str, Any]:
    """What publishing `rows` would change, against the newest release of the same dataset that holds the same
    indicators: values changed (old → new, largest first), values added and removed, and the areas and
    periods that appear or disappear."""
    slugs = sorted({r.indicator for r in rows})
    previous = (Release.objects.filter(dataset__slug=source.dataset, status=Release.Status.DONE,
                                       observations__indicator__slug__in=slugs)
                .distinct().order_by("-release_date", "-imported_at").first())  # fmt: skip
    new = {(r.indicator, r.area_code, r.period): (r.value, r.status) for r in rows}
    old: dict[tuple[str, str, int], tuple[float | None, str]] = {}
    if previous is not None:
        found = Observation.objects.filter(release=previous, indicator__slug__in=slugs).values_list(
            "indicator__slug", "area__code", "period", "value", "status"
        )
        old = {(i, c, p): (v, s) for i, c, p, v, s in found}
    names = dict(Area.objects.values_list("code", "name"))
    names.update({r.area_code: r.area_name for r in rows if r.area_name and r.area_code not in names})
    changed: list[dict[str, Any]] = []
    for key in new.keys() & old.keys():
        (nv, ns), (ov, os) = new[key], old[key]
        if nv != ov or ns != os:
            ind, code, period = key
            change = None if nv is None or ov is None else nv - ov
            relative = None if change is None or not ov else 100 * change / abs(ov)
            text = "" if relative is None else f"{relative:+.1f}%".replace("-", "−")
            changed.append({"indicator": ind, "code": code, "name": names.get(code, code), "period": period,
                            "old": ov, "new": nv, "old_status": os, "new_status": ns, "change": change,
                            "relative": relative, "relative_text": text})  # fmt: skip
    changed.sort(key=lambda c: (c["relative"] is None, -abs(c["relative"] or 0), c["indicator"], c["code"],
                                c["period"]))  # fmt: skip
    new_codes, old_codes = {k[1] for k in new}, {k[1] for k in old}
    new_periods, old_periods = {k[2] for k in new}, {k[2] for k in old}
    return {
        "previous": None if previous is None else {
            "id": previous.pk, "release_date": previous.release_date.isoformat(), "file_name": previous.file_name,
            "rows": previous.rows},
        "indicators": slugs,
        "rows": len(new),
        "unchanged": len(new.keys() & old.keys()) - len(changed),
        "changed_count": len(changed),
        "changed": changed[:LISTED],
        "added_count": len(new.keys() - old.keys()),
        "removed_count": len(old.keys() - new.keys()),
        "areas_added": [{"code": c, "name": names.get(c, c)} for c in sorted(new_codes - old_codes)],
        "areas_removed": [{"code": c, "name": names.get(c, c)} for c in sorted(old_codes - new_codes)],
        "periods": sorted(new_periods),
        "periods_added": sorted(new_periods - old_periods),
        "periods_removed": sorted(old_periods - new_periods),
    }  # fmt: skip


def check(upload_id: int) -> str:
    """Read and validate the file as the import will, and work out the preview. A refusal is kept on the upload
    with the file, row and column to correct; it is an answer, not a failure of the task."""
    upload = ReleaseUpload.objects.filter(pk=upload_id, state=ReleaseUpload.State.CHECKING).first()
    if upload is None:
        return "nothing to check"
    say = _say(upload_id)
    try:
        source = catalogue.source(upload.source)
    except KeyError:
        return _refuse(upload, f"There is no source {upload.source!r} in the catalogue.")
    earlier = Release.objects.filter(dataset__slug=source.dataset, sha256=upload.sha256,
                                     status=Release.Status.DONE).first()  # fmt: skip
    if earlier is not None:
        return _refuse(upload, f"{upload.file_name} is the file already published as the release of "
                               f"{earlier.release_date:%-d %B %Y}: there is nothing new to publish.")  # fmt: skip
    try:
        with local_copy(upload) as path:
            say(f"Reading and checking {upload.file_name}")
            rows = services.read_source(source, path)
            say(f"Comparing {len(rows):,} values with the data as it stands")
            diff = revision_diff(source, rows)
            unknown = sorted({r.area_code for r in rows} - set(Area.objects.values_list("code", flat=True)))
            diff["areas_to_register"] = unknown
    except DataFileError as exc:
        return _refuse(upload, str(exc))
    except Exception as exc:  # a file no reader foresaw must not leave the upload "being checked" for ever
        log.exception("Checking upload %s (%s) failed", upload_id, upload.file_name)
        return _refuse(upload, f"{upload.file_name} could not be read as {source.format}: {type(exc).__name__}: "
                               f"{exc}")  # fmt: skip
    ReleaseUpload.objects.filter(pk=upload_id, state=ReleaseUpload.State.CHECKING).update(
        state=ReleaseUpload.State.READY, diff=diff, error="", progress=f"Checked: {len(rows):,} values"
    )
    return "ready"


def _refuse(upload: ReleaseUpload, message: str) -> str:
    ReleaseUpload.objects.filter(pk=upload.pk).update(state=ReleaseUpload.State.REFUSED, error=message[:5000],
                                                      progress="")  # fmt: skip
    _delete_file(upload)
    return "refused"


def _delete_file(upload: ReleaseUpload) -> None:
    if upload.stored and default_storage.exists(upload.stored):
        default_storage.delete(upload.stored)


# --------------------------------------------------------------------------- the decision


def _decide(upload_id: int, seen: str, to: ReleaseUpload.State, by: Any) -> ReleaseUpload:
    with transaction.atomic():
        upload = ReleaseUpload.objects.select_for_update().get(pk=upload_id)
        if upload.state != ReleaseUpload.State.READY or seen != upload.state:
            raise StaleState(upload.get_state_display())
        upload.state, upload.decided_by, upload.decided_at = to, by, timezone.now()
        upload.save(update_fields=["state", "decided_by", "decided_at"])  # audited: who decided, when
    return upload


def publish(upload_id: int, *, seen: str, by: Any) -> ReleaseUpload:
    """Publish a checked upload: imported by a task (with progress on the page), in one transaction."""
    upload = _decide(upload_id, seen, ReleaseUpload.State.PUBLISHING, by)
    ReleaseUpload.objects.filter(pk=upload.pk).update(progress="Waiting to be published")
    transaction.on_commit(lambda: _enqueue("publish_upload", upload.pk))
    return upload


def discard(upload_id: int, *, seen: str, by: Any) -> ReleaseUpload:
    upload = _decide(upload_id, seen, ReleaseUpload.State.DISCARDED, by)
    _delete_file(upload)
    return upload


def import_upload(upload_id: int) -> str:
    """Import a file the secretariat chose to publish (the task's body). One import run: the claims are
    re-checked once when it ends."""
    upload = ReleaseUpload.objects.filter(pk=upload_id, state=ReleaseUpload.State.PUBLISHING).first()
    if upload is None:
        return "nothing to publish"
    source = catalogue.source(upload.source)
    try:
        with local_copy(upload) as path:
            result = services.import_source(source, path=path, release_date=upload.release_date,
                                            progress=_say(upload_id))  # fmt: skip
    except DataFileError as exc:
        return _refuse(upload, str(exc))
    upload.state = ReleaseUpload.State.PUBLISHED
    upload.release = result.release
    upload.progress = str(result)
    upload.save(update_fields=["state", "release", "progress"])
    _delete_file(upload)
    return "published"
