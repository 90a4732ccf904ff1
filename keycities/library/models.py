"""The publications library and the search index.

`Publication`: a report, research, briefing, response, press release or evidence submission uploaded by staff,
with its file (PDF or DOCX, judged by content) and the text extracted from it.

`SearchEntry`: one row per searchable thing across the Hub (every source registered with `core.search`), kept
current by the transaction that writes the thing. The full-text index beside it depends on the database
(migration 0002): on PostgreSQL a generated, weighted `tsvector` column with a GIN index, and (migration 0004)
a compact generated `rank_vector` to rank with, a GIN index on the title's vector and the function
`library_search_candidates`; on SQLite an FTS5 table kept in step by triggers. Both change in the same
transaction as the entry.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keycities.network.models import Place, WorkArea


class Kind(models.TextChoices):
    REPORT = "report", _("Report")
    RESEARCH = "research", _("Research")
    BRIEFING = "briefing", _("Briefing")
    RESPONSE = "response", _("Consultation response")
    PRESS_RELEASE = "press-release", _("Press release")
    EVIDENCE = "evidence", _("Evidence submission")


class Licence(models.TextChoices):
    OGL = "ogl-3.0", _("Open Government Licence v3.0")
    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0")
    ALL_RIGHTS = "all-rights-reserved", _("All rights reserved")


class Publication(models.Model):
    title = models.CharField(max_length=300)
    title_cy = models.CharField("title in Welsh", max_length=300, blank=True)
    summary = models.TextField()
    summary_cy = models.TextField("summary in Welsh", blank=True)
    published_on = models.DateField()
    authors = models.CharField(max_length=500, help_text="As they are to be cited, e.g. 'Key Cities; A. Author'.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    places = models.ManyToManyField(Place, blank=True, related_name="publications")
    work_areas = models.ManyToManyField(WorkArea, blank=True, related_name="publications")
    is_public = models.BooleanField(default=True)
    licence = models.CharField(max_length=30, choices=Licence.choices, default=Licence.OGL)
    file = models.FileField(upload_to="library/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    text = models.TextField(blank=True, help_text="Extracted from the file, for search.")
    pages = models.PositiveIntegerField(default=0)
    no_text = models.BooleanField(default=False, help_text="A scanned PDF with no text layer: needs OCR.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["is_public", "published_on"], name="publication_public_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:publication", args=[self.pk])


class SearchEntry(models.Model):
    source = models.CharField(max_length=30)
    key = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, blank=True)
    places = models.CharField(max_length=500, blank=True, help_text="Member place slugs, space-separated.")
    work_areas = models.CharField(max_length=500, blank=True, help_text="Work area slugs, space-separated.")
    is_public = models.BooleanField(default=True)
    embedding = models.JSONField(default=list, blank=True, help_text="Sentence embedding of title and summary.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["source", "key"]
        constraints = [models.UniqueConstraint(fields=["source", "key"], name="search_entry_source_key")]
        indexes = [
            models.Index(fields=["source", "date"], name="search_entry_source_date"),
            # The spelling vocabulary's check for a change (search._changes): the latest change of a public entry
            # from the index, not from a scan of the table (whose rows hold PostgreSQL's rank_vector).
            models.Index(fields=["is_public", "updated_at"], name="search_entry_public_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.key} {self.title}"

    def place_list(self) -> list[str]:
        return self.places.split()

    def work_area_list(self) -> list[str]:
        return self.work_areas.split()
