from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.http import HttpRequest

from .models import Claim, Document, Evaluation, Reading


class Audited(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    show_auditlog_history_link = True


@admin.register(Document)
class DocumentAdmin(Audited):
    list_display = ["title", "publisher", "published"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Reading)
class ReadingAdmin(Audited):
    list_display = ["word", "rule", "tolerance_percent", "tolerance_points", "explanation"]


@admin.register(Claim)
class ClaimAdmin(Audited):
    list_display = ["headline", "document", "comparison", "indicator", "reading"]
    list_filter = ["document", "comparison"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["claim", "verdict", "figure", "evaluated_at", "changed", "acknowledged"]
    list_filter = ["verdict", "changed", "acknowledged"]
    readonly_fields = [f.name for f in Evaluation._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
