from django.contrib import admin
from django.http import HttpRequest

from .models import Area, Dataset, Indicator, Release


class ReadOnly(admin.ModelAdmin):
    """Statistics change only through imports; the admin shows them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly):
    list_display = ["name", "topic", "unit", "aggregation", "derived"]
    list_filter = ["topic", "aggregation"]


@admin.register(Dataset)
class DatasetAdmin(ReadOnly):
    list_display = ["title", "publisher", "geography"]


@admin.register(Release)
class ReleaseAdmin(ReadOnly):
    list_display = ["dataset", "release_date", "file_name", "rows", "status", "imported_at"]
    list_filter = ["dataset"]


@admin.register(Area)
class AreaAdmin(ReadOnly):
    list_display = ["code", "name", "kind", "parent", "start_year", "end_year"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
