from django.contrib import admin

from community_admin.jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Read-only: jobs are started, retried and cleaned up by services, which audit it."""

    list_display = ["id", "kind", "created_by", "scope_level", "state", "progress", "attempts", "created_at"]
    list_filter = ["state", "kind", "scope_level"]
    search_fields = ["kind", "created_by__username", "error"]
    # The parameters and the error as pages show them: ID numbers masked (jobs.masking).
    exclude = ["dedupe_key", "params", "error"]
    readonly_fields = ["masked_params", "masked_error"]

    @admin.display(description="参数")
    def masked_params(self, obj: Job) -> dict:
        return obj.params_display

    @admin.display(description="失败原因")
    def masked_error(self, obj: Job) -> str:
        return obj.error_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
