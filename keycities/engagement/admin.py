from django.contrib import admin

from .models import Constituency, FollowUp, Interaction, Organisation, Person, Role


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["organisation", "constituency"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "parliament_id", "email"]
    search_fields = ["name", "email"]
    inlines = [RoleInline]


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
