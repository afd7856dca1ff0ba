from django.contrib import admin

from community_admin.org.models import Committee, Department, Honour, OfficeAreaNorm, ServiceCentre, Street


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "street",
        "kind",
        "village_converted",
        "recorded_households",
        "office_area_m2",
    ]
    list_filter = ["street", "kind", "village_converted"]
    search_fields = ["code", "name"]
    list_select_related = ["street"]
    # Marked and withdrawn only through org.services (audited), by the street office or the bureau.
    readonly_fields = ["registry_complete_at", "registry_complete_by"]


@admin.register(ServiceCentre)
class ServiceCentreAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "street", "committee", "area_m2", "boutique", "demonstration_passed"]
    list_filter = ["level", "boutique", "demonstration_passed", "street"]
    list_select_related = ["street", "committee"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    filter_horizontal = ["streets"]


@admin.register(Honour)
class HonourAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "level", "street", "committee"]
    list_filter = ["level"]


@admin.register(OfficeAreaNorm)
class OfficeAreaNormAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "source_document",
        "effective_from",
        "m2_per_100_households",
        "minimum_m2",
    ]
    readonly_fields = ["district_choice"]
