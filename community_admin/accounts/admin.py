from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from community_admin.accounts.models import ApiToken, User
from community_admin.core.models import AuditLog


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "role", "street", "committee", "department", "is_active"]
    list_filter = ["role", "is_active", "street"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("单位", {"fields": ["role", "street", "committee", "department"]}),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only here: tokens are created and revoked on the bureau's token page, which audits both."""

    list_display = ["name", "prefix", "user", "expires_at", "revoked_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_name",
        "role",
        "ip_address",
        "action",
        "object_type",
        "object_id",
        "result",
    ]
    list_filter = ["result", "role"]
    search_fields = ["actor_name", "action", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
