"""The Django admin, for superusers. Every change it makes to users and API tokens is audited here, since the
admin writes through the models, not the services: the changed fields with old -> new for what grants access
(role, unit, flags, groups, permissions), the names of the other changed fields, never a password or key hash."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models, transaction

from community_admin.accounts.models import ApiToken, User
from community_admin.core import audit
from community_admin.core.models import AuditLog

# Logged with their old and new values; any other changed field by its name only.
USER_AUDITED_FIELDS = (
    "username",
    "role",
    "street",
    "committee",
    "department",
    "is_active",
    "is_staff",
    "is_superuser",
)
NEVER_LOGGED = frozenset({"password", "password1", "password2", "usable_password", "key_hash"})


def _shown(value):
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or str(value)
    return value


def user_snapshot(user: User) -> dict:
    """What an audit row says of a user's access: unit by code, groups and permissions by name."""
    shown = {name: _shown(getattr(user, name)) for name in USER_AUDITED_FIELDS}
    shown["groups"] = sorted(user.groups.values_list("name", flat=True)) if user.pk else []
    shown["user_permissions"] = (
        sorted(
            f"{app}.{code}"
            for app, code in user.user_permissions.values_list("content_type__app_label", "codename")
        )
        if user.pk
        else []
    )
    return shown


def _token_details(token: ApiToken) -> dict:
    return {
        "via": "admin",
        "name": token.name,
        "prefix": token.prefix,
        "department": _shown(token.user.department),
        "scopes": token.scopes,
        "revoked": token.revoked_at is not None,
    }


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "role", "street", "committee", "department", "is_active"]
    list_filter = ["role", "is_active", "street"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        ("单位", {"fields": ["role", "street", "committee", "department"]}),
    ]

    # The admin saves the user (save_model), then its groups and permissions (save_related), in one transaction:
    # the state before is taken in the first, the row written after the second.
    def save_model(self, request, obj, form, change):
        form.audit_before = user_snapshot(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user, before = form.instance, getattr(form, "audit_before", None)
        after = user_snapshot(user)
        if before is None:
            audit.record(
                actor=request.user, action="user.create", obj=user, details={"via": "admin", **after}
            )
            return
        changes = {name: [before[name], after[name]] for name in after if before[name] != after[name]}
        other = sorted(set(form.changed_data) - set(after) - NEVER_LOGGED)
        if changes or other:
            audit.record(
                actor=request.user,
                action="user.change",
                obj=user,
                details={"via": "admin", "changes": changes, "other_fields": other},
            )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:  # the form was valid and saved
            audit.record(
                actor=request.user,
                action="user.password_set",
                object_type=User._meta.label_lower,
                object_id=id,
                details={"via": "admin"},
            )
        return response

    def delete_model(self, request, obj):
        self._record_delete(request, obj)
        super().delete_model(request, obj)

    @transaction.atomic  # the admin's bulk delete action runs outside the delete view's transaction
    def delete_queryset(self, request, queryset):
        for user in queryset:
            self._record_delete(request, user)
        super().delete_queryset(request, queryset)

    @staticmethod
    def _record_delete(request, user: User) -> None:
        audit.record(
            actor=request.user,
            action="user.delete",
            obj=user,
            details={"via": "admin", **user_snapshot(user)},
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only here: tokens are created and revoked on the bureau's token page, which audits both."""

    list_display = ["name", "prefix", "user", "expires_at", "revoked_at", "last_used_at"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        audit.record(actor=request.user, action="token.delete", obj=obj, details=_token_details(obj))
        super().delete_model(request, obj)

    @transaction.atomic  # the admin's bulk delete action runs outside the delete view's transaction
    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user__department"):
            audit.record(actor=request.user, action="token.delete", obj=token, details=_token_details(token))
        super().delete_queryset(request, queryset)


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
