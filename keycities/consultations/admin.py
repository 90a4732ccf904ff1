from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.http import HttpRequest

from .models import Ask, AskUpdate, Comment, Consultation, Document, Event, Review, Section, Version


class Audited(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    show_auditlog_history_link = True


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_at", "uploaded_by"]
    readonly_fields = ["original_name", "content_type", "size", "uploaded_at", "uploaded_by"]


@admin.register(Consultation)
class ConsultationAdmin(Audited):
    list_display = ["title", "body_name", "closes_on", "lead_place", "status", "round"]
    list_filter = ["status", "body_type", "lead_place", "work_areas"]
    search_fields = ["title", "body_name"]
    readonly_fields = ["round", "signed_off_at", "signed_off_by", "signed_off_version", "created_at", "created_by"]
    inlines = [DocumentInline]


@admin.register(Section)
class SectionAdmin(Audited):
    list_display = ["consultation", "position", "question", "removed"]
    list_filter = ["removed"]


@admin.register(Ask)
class AskAdmin(Audited):
    list_display = ["text", "department", "work_area", "status", "status_on", "consultation"]
    list_filter = ["status", "work_area"]
    search_fields = ["text", "department"]


class ReadOnly(admin.ModelAdmin):
    """History: written only by the Hub's pages, never edited."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


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
