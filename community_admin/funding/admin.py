from django.contrib import admin

from community_admin.funding.models import AllocationRun, FundingPolicy


@admin.register(FundingPolicy)
class FundingPolicyAdmin(admin.ModelAdmin):
    """Read-only: policies are versioned and created through the service, never edited in place."""

    list_display = ["year", "version", "name", "adopted", "base_amount", "per_household_beyond"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AllocationRun)
class AllocationRunAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "committees", "households", "total"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False
