"""Declared permissions: a view names the permission it needs; this module decides who has it.
`HasRolePermission` checks it for the API, `PermissionRequiredMixin` for pages."""

from collections.abc import Iterable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework import permissions

from community_admin.accounts.models import ApiToken, Role
from community_admin.core import audit
from community_admin.core.models import AuditLog

ALL_ROLES = frozenset(Role)

# permission name -> roles that hold it, and permission name -> the token scope a department's API token needs
# for it. Each app declares its own in its `permissions.py` with `register`; `AccountsConfig.ready` imports
# every app's `permissions.py`, so this layer names no app above it. A name nobody registered is held by no one.
PERMISSIONS: dict[str, frozenset[str]] = {}
TOKEN_SCOPES: dict[str, str] = {}


def register(name: str, roles: Iterable[str], *, scope: str | None = None) -> str:
    """Declares a permission: the roles that hold it and, for those a department may use, the token scope
    (one of `ApiToken.Scope`, stored values) its token or session needs. Returns the name."""
    roles = frozenset(roles)
    if not roles or not roles <= ALL_ROLES:
        raise ValueError(f"permission {name!r}: unknown roles {sorted(roles - ALL_ROLES)}")
    if scope is not None and scope not in ApiToken.Scope.values:
        raise ValueError(f"permission {name!r}: unknown token scope {scope!r}")
    if name in PERMISSIONS and (PERMISSIONS[name], TOKEN_SCOPES.get(name)) != (roles, scope):
        raise ValueError(f"permission {name!r} is registered twice")
    PERMISSIONS[name] = roles
    if scope is not None:
        TOKEN_SCOPES[name] = scope
    return name


# The layers below the roles (org, core's audit log) and this app's tokens cannot import Role: declared here.
register("org.view", ALL_ROLES, scope=ApiToken.Scope.ORG_READ)
register("org.edit_committee", {Role.BUREAU, Role.STREET})
register(
    "org.registry_complete", {Role.BUREAU, Role.STREET}
)  # mark a committee's registry complete, or withdraw
register("norms.manage", {Role.BUREAU})
register("audit.view", {Role.BUREAU})
register("tokens.manage", {Role.BUREAU})
# Accounts, one per person: the bureau manages every account, a street office its street's and its committees'
# (accounts.scoping.visible_accounts).
register("accounts.manage", {Role.BUREAU, Role.STREET})


def has_permission(user, permission: str) -> bool:
    """The role holds it; a department, whether by token or in the browser, only within the scopes the bureau
    granted it (`granted_scopes`): its session reads no more than its systems may."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role not in PERMISSIONS.get(permission, frozenset()):
        return False
    if user.role == Role.DEPARTMENT and permission in TOKEN_SCOPES:
        return TOKEN_SCOPES[permission] in granted_scopes(user)
    return True  # a department's permission without a scope (applying to the list) is the page's own


def granted_scopes(user) -> frozenset[str]:
    """The union of the scopes of the department's tokens in force (neither revoked nor expired; they act as
    the department's system account): the bureau grants a department its scopes on the token page, and the
    department's browser sessions are bound by them too. Read once per user object (a request's user is
    loaded per request)."""
    cached = getattr(user, "_granted_scopes", None)
    if cached is None:
        rows = ApiToken.objects.filter(
            user__department_id=user.department_id,
            user__role=Role.DEPARTMENT,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).values_list("scopes", flat=True)
        if user.department_id is None:
            rows = []
        cached = frozenset(scope for scopes in rows for scope in scopes)
        user._granted_scopes = cached
    return cached


def token_allows(token: ApiToken, permission: str) -> bool:
    scope = TOKEN_SCOPES.get(permission)
    return scope is not None and token.has_scope(scope)


def record_denied(user, permission: str, path: str) -> None:
    audit.record(
        actor=user,
        action="access.denied",
        result=AuditLog.Result.DENIED,
        details={"permission": permission, "path": path},
    )


class HasRolePermission(permissions.BasePermission):
    """The view declares `required_permission` (a name, or a dict from action to name)."""

    def has_permission(self, request, view) -> bool:
        required = getattr(view, "required_permission", None)
        if isinstance(required, dict):
            action_map = getattr(view, "action_map", None)
            if action_map is not None and request.method.lower() not in action_map:
                return request.user.is_authenticated  # no such method here: DRF answers 405
            required = required.get(getattr(view, "action", None) or request.method.lower())
        if required is None or not request.user or not request.user.is_authenticated:
            return False
        allowed = has_permission(request.user, required)
        if allowed and isinstance(request.auth, ApiToken):
            allowed = token_allows(request.auth, required)
        if not allowed:
            record_denied(request.user, required, request.path)
        return allowed


class PermissionRequiredMixin(LoginRequiredMixin):
    """Pages: log in first, then hold `required_permission`; otherwise 403 (and an audit row)."""

    required_permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not has_permission(request.user, self.required_permission):
            record_denied(request.user, self.required_permission, request.path)
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
