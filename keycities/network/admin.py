from auditlog.mixins import AuditlogHistoryAdminMixin
from django.contrib import admin

from .models import Group, Membership, Place, PlaceArea, WorkArea, WorkAreaLead


class AuditedAdmin(AuditlogHistoryAdminMixin, admin.ModelAdmin):
    """Every registry change is in the audit log; each object links to its own history."""

    show_auditlog_history_link = True


class PlaceAreaInline(admin.TabularInline):
    model = PlaceArea
    extra = 0
    fields = ["area_code", "area_name", "relation", "start", "end", "note"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["group", "place", "start", "end", "source", "note"]
    autocomplete_fields = ["place"]


@admin.register(Place)
class PlaceAdmin(AuditedAdmin):
    list_display = ["name", "nation", "region_name"]
    list_filter = ["nation", "region_name", "memberships__group"]
    search_fields = ["name", "official_name", "areas__area_code"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PlaceAreaInline, MembershipInline]


@admin.register(Group)
class GroupAdmin(AuditedAdmin):
    list_display = ["name", "kind", "source"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


class WorkAreaLeadInline(admin.TabularInline):
    model = WorkAreaLead
    extra = 0
    autocomplete_fields = ["place"]


@admin.register(WorkArea)
class WorkAreaAdmin(AuditedAdmin):
    list_display = ["name", "name_cy", "position"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [WorkAreaLeadInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["place", "group", "start", "end", "source"]
    list_filter = ["group"]
    autocomplete_fields = ["place"]
