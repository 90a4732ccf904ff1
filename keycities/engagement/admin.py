from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import (
    Constituency,
    FollowUp,
    Interaction,
    MediaCoverage,
    Organisation,
    Person,
    PressRelease,
    Role,
    Spokesperson,
)


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["organisation", "constituency"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "parliament_id", "email"]
    search_fields = ["name", "email"]
    inlines = [RoleInline]
    actions = ["merge"]

    @admin.action(description="Merge the selected people into the oldest record")
    def merge(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        people = list(queryset.order_by("created_at", "pk"))
        if len(people) < 2:
            self.message_user(request, "Select at least two records of the same person.", messages.WARNING)
            return
        kept = services.merge_people(people[0], people[1:], by=request.user)
        self.message_user(request, f"Merged {len(people) - 1} records into {kept.name} (#{kept.pk}).")


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "abbreviation"]
    autocomplete_fields = ["parent"]


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "wards"]
    search_fields = ["name", "code"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "kind"]
    list_filter = ["kind"]
    search_fields = ["title"]
    inlines = [FollowUpInline]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """People, organisations and work areas too: their links are models of ours (the people and organisation
        links carry the interaction's date and work areas), which the admin leaves out by default; saving sets
        them as the pages do, and each link made or removed keeps those copies."""
        if db_field.name in ("people", "organisations", "work_areas"):
            return db_field.formfield(**kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(PressRelease)
class PressReleaseAdmin(admin.ModelAdmin):
    """Reading only: press releases are drafted, approved and published on their own pages, where the claims
    they cite are checked (services.approve_release)."""

    list_display = ["title", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Spokesperson)
class SpokespersonAdmin(admin.ModelAdmin):
    list_display = ["person", "work_area", "start", "end"]
    autocomplete_fields = ["person"]


@admin.register(MediaCoverage)
class MediaCoverageAdmin(admin.ModelAdmin):
    list_display = ["date", "outlet", "headline"]
    search_fields = ["headline"]
    autocomplete_fields = ["outlet"]
