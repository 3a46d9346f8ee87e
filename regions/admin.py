from django.contrib import admin

from regions.models import Dataset, Indicator, Region, Theme


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "corop"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["province", "corop"]
    exclude = ["boundary"]
    readonly_fields = ["code", "classification_year"]

    def has_delete_permission(self, request, obj=None):
        # Regions are referenced by data, coalitions and organisations.
        return False


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name_nl", "name_en", "dimension", "position"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "unit", "direction", "aggregation", "in_profile"]
    list_filter = ["direction", "aggregation", "in_profile", "themes"]
    search_fields = ["code", "name_nl", "name_en"]
    filter_horizontal = ["themes"]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["source_key", "version", "title", "value_count", "imported_at", "imported_by"]
    list_filter = ["source_key"]
    readonly_fields = [f.name for f in Dataset._meta.fields]

    def has_add_permission(self, request):
        return False  # datasets only come from the importers
