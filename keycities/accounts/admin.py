from typing import Any

from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import ForeignKey
from django.forms import ModelChoiceField
from django.http import HttpRequest

from keycities.network.models import Place
from keycities.network.queries import NETWORK

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

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        # Officers belong only to places that are members of the network today (User.clean checks it too).
        if db_field.name == "place":
            kwargs["queryset"] = Place.objects.members_of(NETWORK).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
