from django.contrib import admin

from community_admin.residents.models import Household, Person, PersonEvent


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    """Read-only: registry writes go through the audited services (pages and API)."""

    list_display = ["number", "committee", "building", "unit", "room", "kind"]
    list_select_related = ["committee"]
    search_fields = ["number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(HouseholdAdmin):
    """Every number that is or carries the ID number is shown masked; the full ones only through the reveal."""

    list_display = ["name", "masked_id", "committee", "status"]
    exclude = ["id_number", *Person.ID_BEARING_FIELDS]
    readonly_fields = ["masked_id", "masked_disability_certificate", "masked_residence_permit_number"]
    search_fields = ["name"]

    @admin.display(description="公民身份号码")
    def masked_id(self, obj):
        return obj.id_number_masked

    @admin.display(description="残疾证号")
    def masked_disability_certificate(self, obj):
        return obj.disability_certificate_masked

    @admin.display(description="居住证号码")
    def masked_residence_permit_number(self, obj):
        return obj.residence_permit_number_masked


@admin.register(PersonEvent)
class PersonEventAdmin(HouseholdAdmin):
    list_display = ["person", "kind", "happened_on"]
    list_select_related = ["person"]
    search_fields = []
