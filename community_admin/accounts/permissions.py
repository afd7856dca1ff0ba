"""Declared permissions: a view names the permission it needs; this module decides who has it.
`HasRolePermission` checks it for the API, `PermissionRequiredMixin` for pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from rest_framework import permissions

from community_admin.accounts.models import ApiToken, Role
from community_admin.core import audit
from community_admin.core.models import AuditLog

ALL_ROLES = frozenset(Role)

# permission name -> roles that hold it
PERMISSIONS: dict[str, frozenset[str]] = {
    "org.view": ALL_ROLES,
    "audit.view": frozenset({Role.BUREAU}),
    "tokens.manage": frozenset({Role.BUREAU}),
    "norms.manage": frozenset({Role.BUREAU}),
    "org.edit_committee": frozenset({Role.BUREAU, Role.STREET}),
    "dashboards.district": frozenset({Role.BUREAU}),
    "dashboards.street": frozenset({Role.BUREAU, Role.STREET}),
    "dashboards.survey_report": frozenset({Role.BUREAU}),  # the annual survey report (a background job)
    "residents.view": ALL_ROLES,
    "residents.register": frozenset({Role.STREET, Role.COMMITTEE, Role.DEPARTMENT}),
    "residents.edit": frozenset({Role.STREET, Role.COMMITTEE}),
    "residents.reveal_id": frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE}),
    "residents.import": frozenset({Role.STREET, Role.COMMITTEE}),
    "residents.export": frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE}),
    # held registrations (a number active in a committee the registering account does not see)
    "residents.conflicts": frozenset({Role.BUREAU, Role.STREET}),
    # Background jobs: anyone may start the kinds they hold the kind's own permission for, follow the
    # jobs in their scope and download those results (community_admin/jobs).
    "jobs.view": ALL_ROLES,
    "jobs.start": ALL_ROLES,
    # Certificates: committee staff issue, refuse, void and print; the bureau keeps the whitelist; departments
    # verify through the API (token scope certificates:verify); anyone verifies on the public /verify/ page.
    "certificates.view": frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE}),
    "certificates.issue": frozenset({Role.COMMITTEE}),
    "certificates.void": frozenset({Role.COMMITTEE}),
    "certificates.print": frozenset({Role.STREET, Role.COMMITTEE}),
    "certificates.evidence": frozenset({Role.STREET, Role.COMMITTEE}),
    "certificates.seal_log": frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE}),
    "certificates.statistics": frozenset({Role.BUREAU, Role.STREET}),
    "certificates.whitelist_view": ALL_ROLES,
    "certificates.whitelist_manage": frozenset({Role.BUREAU}),
    "certificates.verify": ALL_ROLES,
    # staff: committees see their own workers; streets manage their committees'; the bureau all.
    "staff.view": frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE}),
    "staff.manage": frozenset({Role.BUREAU, Role.STREET}),
    "staff.reveal_id": frozenset({Role.BUREAU, Role.STREET}),
    "staff.secondment.manage": frozenset({Role.BUREAU, Role.STREET}),
    # records the district government's approval and the two filings
    "staff.secondment.approve": frozenset({Role.BUREAU}),
    "staff.pay.view": frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE}),
    "staff.pay.compute": frozenset({Role.BUREAU, Role.STREET}),
    "staff.evaluate": frozenset({Role.BUREAU, Role.STREET}),
    "staff.evaluation.manage": frozenset({Role.BUREAU}),  # opens and closes the district's yearly round
    "tasks.catalogue.view": ALL_ROLES,
    "tasks.catalogue.apply": frozenset({Role.BUREAU, Role.DEPARTMENT}),
    "tasks.catalogue.manage": frozenset({Role.BUREAU}),
    "tasks.view": ALL_ROLES,
    "tasks.submit": frozenset({Role.DEPARTMENT}),
    "tasks.inbox": frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE}),
    "tasks.work": frozenset({Role.COMMITTEE}),
    "tasks.refuse": frozenset({Role.STREET}),
    "tasks.workload": frozenset({Role.BUREAU, Role.STREET}),
    # funding: the bureau sets policy, runs and compares allocations, sends money and audits; the street
    # passes money on; the committee confirms receipt and records spending. Each sees its own scope.
    "funding.view": frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE}),
    "funding.policy.manage": frozenset({Role.BUREAU}),
    "funding.run": frozenset({Role.BUREAU}),
    "funding.compare": frozenset({Role.BUREAU}),
    "funding.pass_on": frozenset({Role.STREET}),
    "funding.confirm": frozenset({Role.COMMITTEE}),
    "funding.spend": frozenset({Role.COMMITTEE}),
    "funding.audit": frozenset({Role.BUREAU}),
    # Ledgers: departments read (and export) only the books they own (ledgers.selectors.book_list).
    "ledgers.view": ALL_ROLES,
    "ledgers.export": ALL_ROLES,
    "ledgers.keep": frozenset({Role.STREET, Role.COMMITTEE}),
    "ledgers.close": frozenset({Role.STREET, Role.COMMITTEE}),
    "ledgers.reopen": frozenset({Role.STREET}),
    "ledgers.catalogue": frozenset({Role.BUREAU}),
    # Community services (visits, activities, volunteers, organisations, the balance): committee staff record
    # their own committee's work; streets and the bureau follow it. Visits hold households' needs: no department.
    "services.view": frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE}),
    "services.record": frozenset({Role.COMMITTEE}),
}

# permission name -> the token scope a department's API token needs for it
TOKEN_SCOPES: dict[str, str] = {
    "org.view": ApiToken.Scope.ORG_READ,
    "residents.view": ApiToken.Scope.RESIDENTS_READ,
    # A police station's token registers floating people (the service refuses any other status for departments).
    "residents.register": ApiToken.Scope.FLOATING_WRITE,
    "jobs.view": ApiToken.Scope.JOBS,
    "jobs.start": ApiToken.Scope.JOBS,
    "certificates.verify": ApiToken.Scope.CERTIFICATES_VERIFY,
    "certificates.whitelist_view": ApiToken.Scope.CERTIFICATES_VERIFY,
    "tasks.catalogue.view": ApiToken.Scope.TASKS_SUBMIT,
    "tasks.view": ApiToken.Scope.TASKS_SUBMIT,
    "tasks.submit": ApiToken.Scope.TASKS_SUBMIT,
    "ledgers.view": ApiToken.Scope.LEDGERS_READ,
    "ledgers.export": ApiToken.Scope.LEDGERS_READ,
}


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
