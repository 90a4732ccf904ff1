"""What the Hub's search and the publications library find here (registered in apps.py with core.search):
published press releases, listed in the library as press releases. A release appears when it is published and
leaves when it returns to draft; nothing is copied."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from keycities.core.search import Doc, Source, register

from .models import PressRelease, ReleaseStatus


def press_release_doc(release: PressRelease) -> Doc | None:
    if release.status != ReleaseStatus.PUBLISHED:
        return None
    body = f"{release.body} {release.title_cy} {release.body_cy}"
    first = release.body.strip().split("\n\n", 1)[0]
    return Doc(key=str(release.pk), title=release.title, body=body, summary=first[:300], url=release.public_url(),
               date=release.published_at.date() if release.published_at else None,
               work_areas=(release.work_area.slug,) if release.work_area_id and release.work_area else (),
               kind="press-release")  # fmt: skip


def register_sources() -> None:
    register(Source("press_release", _("Press releases"), PressRelease, press_release_doc,
                    lambda: PressRelease.objects.select_related("work_area"), library=True, order=65))  # fmt: skip
