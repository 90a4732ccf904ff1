from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(AuditlogHistoryAdminMixin, BaseUserAdmin):
    show_auditlog_history_link = True
    list_display = ["username", "email", "role", "place", "organisation", "is_active"]
    list_filter = ["role", "is_active", "place"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Role in the Hub", {"fields": ["role", "place", "organisation"]}))
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        ("Role in the Hub", {"fields": ["email", "role", "place", "organisation"]}),
    )
