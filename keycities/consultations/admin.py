"""The admin shows consultations, responses and their history, and changes none of them.

Every change to a consultation goes through the Hub's own pages (`services`), where it is checked
against the workflow and recorded as an `Event`: a status, the frozen text of a signed-off
response, the member places' positions or the history edited here would bypass both. The
admin is for looking things up (with each object's audit history)."""

from typing import Any

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import Ask, AskUpdate, Comment, Consultation, Document, Event, Review, Section, Version


class ReadOnly(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    """Shown, never added, changed or deleted here (superusers included)."""

    show_auditlog_history_link = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = readonly_fields = ("original_name", "content_type", "size", "uploaded_at", "uploaded_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Consultation)
class ConsultationAdmin(ReadOnly):
    list_display = ["title", "body_name", "closes_on", "lead_place", "status", "round"]
    list_filter = ["status", "body_type", "lead_place", "work_areas"]
    search_fields = ["title", "body_name"]
    inlines = [DocumentInline]


@admin.register(Section)
class SectionAdmin(ReadOnly):
    list_display = ["consultation", "position", "question", "removed"]
    list_filter = ["removed"]


@admin.register(Ask)
class AskAdmin(ReadOnly):
    list_display = ["text", "department", "work_area", "status", "status_on", "consultation"]
    list_filter = ["status", "work_area"]
    search_fields = ["text", "department"]


@admin.register(Version)
class VersionAdmin(ReadOnly):
    list_display = ["consultation", "number", "round", "author", "created_at", "note"]


@admin.register(Review)
class ReviewAdmin(ReadOnly):
    list_display = ["consultation", "round", "place", "decision", "by", "at"]
    list_filter = ["decision"]


@admin.register(Comment)
class CommentAdmin(ReadOnly):
    list_display = ["section", "round", "author", "created_at"]


@admin.register(AskUpdate)
class AskUpdateAdmin(ReadOnly):
    list_display = ["ask", "status", "on", "by", "at"]


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ["consultation", "kind", "at", "by", "round", "note"]
    list_filter = ["kind"]
