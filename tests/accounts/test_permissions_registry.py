"""Each app registers its own permissions and token scopes (`<app>/permissions.py`, collected by
`AccountsConfig.ready`): the registered set is exactly the one accounts used to hard-code, every name a view
or a job kind declares is registered, and a name nobody registered is held by no one."""

from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from community_admin.accounts import permissions
from community_admin.accounts.models import ApiToken, Role
from community_admin.accounts.permissions import PERMISSIONS, TOKEN_SCOPES, has_permission, register
from community_admin.core.models import AuditLog
from community_admin.jobs import registry

ROOT = Path(__file__).resolve().parents[2]

ALL = "bureau street committee department"
# Every permission and the roles that hold it, as accounts/permissions.py declared them before issue 26.
EXPECTED_PERMISSIONS = {
    "org.view": ALL,
    "audit.view": "bureau",
    "tokens.manage": "bureau",
    "accounts.manage": "bureau street",
    "norms.manage": "bureau",
    "org.edit_committee": "bureau street",
    "org.registry_complete": "bureau street",
    "dashboards.district": "bureau",
    "dashboards.street": "bureau street",
    "dashboards.survey_report": "bureau",
    "residents.view": ALL,
    "residents.register": "street committee department",
    "residents.edit": "street committee",
    "residents.floating_move_out": "department",
    "residents.residence_permit": "street committee department",
    "residents.reveal_id": "bureau street committee",
    "residents.import": "street committee",
    "residents.export": "bureau street committee",
    "residents.conflicts": "bureau street",
    "jobs.view": ALL,
    "jobs.start": ALL,
    "certificates.view": "bureau street committee",
    "certificates.issue": "committee",
    "certificates.void": "committee",
    "certificates.print": "street committee",
    "certificates.evidence": "street committee",
    "certificates.seal_log": "bureau street committee",
    "certificates.statistics": "bureau street",
    "certificates.whitelist_view": ALL,
    "certificates.whitelist_manage": "bureau",
    "certificates.verify": ALL,
    "staff.view": "bureau street committee",
    "staff.manage": "bureau street",
    "staff.reveal_id": "bureau street",
    "staff.secondment.manage": "bureau street",
    "staff.secondment.approve": "bureau",
    "staff.pay.view": "bureau street committee",
    "staff.pay.compute": "bureau street",
    "staff.evaluate": "bureau street",
    "staff.evaluation.manage": "bureau",
    "staff.policy.view": "bureau street committee",
    "staff.policy.manage": "bureau",
    "tasks.catalogue.view": ALL,
    "tasks.catalogue.apply": "bureau department",
    "tasks.catalogue.manage": "bureau",
    "tasks.view": ALL,
    "tasks.submit": "department",
    "tasks.inbox": "bureau street committee",
    "tasks.work": "committee",
    "tasks.refuse": "street",
    "tasks.workload": "bureau street",
    "funding.view": "bureau street committee",
    "funding.policy.manage": "bureau",
    "funding.run": "bureau",
    "funding.compare": "bureau",
    "funding.pass_on": "street",
    "funding.confirm": "committee",
    "funding.spend": "committee",
    "funding.audit": "bureau",
    "ledgers.view": ALL,
    "ledgers.export": ALL,
    "ledgers.keep": "street committee",
    "ledgers.close": "street committee",
    "ledgers.reopen": "street",
    "ledgers.catalogue": "bureau",
    "services.view": "bureau street committee",
    "services.record": "committee",
}
EXPECTED_TOKEN_SCOPES = {
    "org.view": "org:read",
    "residents.view": "residents:read",
    "residents.register": "residents:floating",
    "residents.floating_move_out": "residents:floating",
    "residents.residence_permit": "residents:floating",
    "jobs.view": "jobs",
    "jobs.start": "jobs",
    "certificates.verify": "certificates:verify",
    "certificates.whitelist_view": "certificates:verify",
    "tasks.catalogue.view": "tasks:submit",
    "tasks.view": "tasks:submit",
    "tasks.submit": "tasks:submit",
    "ledgers.view": "ledgers:read",
    "ledgers.export": "ledgers:read",
}
# The lower layers, which may not name an upper app's permission (nor import it: the layers contract).
LOWER = ("core", "org", "accounts", "jobs")
UPPER_PREFIXES = (
    "residents",
    "certificates",
    "ledgers",
    "funding",
    "staff",
    "tasks",
    "services",
    "dashboards",
)


def test_the_registered_permissions_are_exactly_todays():
    assert {name: frozenset(roles.split()) for name, roles in EXPECTED_PERMISSIONS.items()} == {
        name: frozenset(str(role) for role in roles) for name, roles in PERMISSIONS.items()
    }
    assert {name: str(scope) for name, scope in TOKEN_SCOPES.items()} == EXPECTED_TOKEN_SCOPES


def test_every_token_scope_is_claimed_by_a_permission():
    """The scopes a token can be given (stored values, `ApiToken.Scope`) are the ones permissions need."""
    assert set(TOKEN_SCOPES.values()) == set(ApiToken.Scope.values)


def test_the_lower_layers_name_no_upper_apps_permission():
    """Each upper app declares its permissions in its own `permissions.py`; core, org, accounts and jobs name
    none of them (jobs names its own)."""
    upper = {name for name in PERMISSIONS if name.split(".")[0] in UPPER_PREFIXES}
    for layer in LOWER:
        for path in (ROOT / "community_admin" / layer).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            named = {name for name in upper if f'"{name}"' in text}
            assert not named, (path, named)


def test_every_declared_permission_is_registered():
    """A view (page or API) or a job kind naming a permission nobody registered would refuse everyone."""
    declared = set()

    def walk(patterns):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                view = getattr(entry.callback, "view_class", None) or getattr(entry.callback, "cls", None)
                required = getattr(view, "required_permission", None)
                if isinstance(required, dict):
                    declared.update(required.values())
                elif required:
                    declared.add(required)

    walk(get_resolver().url_patterns)
    declared.update(kind.permission for kind in registry.all_kinds())
    assert len(declared) > 40
    assert declared <= set(PERMISSIONS), declared - set(PERMISSIONS)


@pytest.mark.parametrize(
    ("name", "roles", "scope"),
    [
        ("org.view", [Role.BUREAU], None),  # another app's name, other roles
        ("org.view", permissions.ALL_ROLES, ApiToken.Scope.JOBS),  # the same name, another scope
        ("demo.view", ["mayor"], None),  # no such role
        ("demo.view", [], None),  # held by no one: leave it out
        ("demo.view", [Role.DEPARTMENT], "demo:read"),  # no such stored scope
    ],
)
def test_register_refuses_a_conflicting_or_unknown_declaration(name, roles, scope):
    with pytest.raises(ValueError):
        register(name, roles, scope=scope)
    assert "demo.view" not in PERMISSIONS


def test_registering_the_same_declaration_again_is_harmless():
    """An app's module imported twice (autodiscovery, then a test) declares nothing new."""
    assert register("org.view", permissions.ALL_ROLES, scope=ApiToken.Scope.ORG_READ) == "org.view"


def test_an_unknown_permission_is_refused_to_every_role(world):
    for role in Role:
        assert not has_permission(world.user(role), "no.such_permission")


def test_a_page_declaring_an_unknown_permission_answers_403_with_an_audit_row(world, login, monkeypatch):
    from community_admin.accounts.views.audit import AuditLogListView

    monkeypatch.setattr(AuditLogListView, "required_permission", "audit.no_such")
    response = login(world.bureau).get(reverse("accounts:audit-list"))
    assert response.status_code == 403
    denied = AuditLog.objects.get(action="access.denied")
    assert denied.details["permission"] == "audit.no_such"


def test_an_api_view_needing_an_unregistered_permission_answers_403(world, login, monkeypatch):
    assert login(world.bureau).get("/api/v1/streets/").status_code == 200
    monkeypatch.delitem(PERMISSIONS, "org.view")  # as if no app had registered it
    assert login(world.bureau).get("/api/v1/streets/").status_code == 403


def test_a_department_refused_for_want_of_a_granted_scope_is_told_who_grants_it(world, login):
    from django.urls import reverse

    from community_admin.org.models import Department
    from tests.factories import UserFactory

    bureau = Department.objects.create(code="T9", name="区测试局", kind="district")  # no token granted yet
    clerk = UserFactory(username="t-dept-clerk", role="department", department=bureau, granted=[])
    response = login(clerk).get(reverse("residents:person-list"))
    assert response.status_code == 403
    body = response.content.decode()
    assert "区民政局" in body and 'data-testid="department-scopes"' in body and reverse("home") in body
    other = login(world.committee_user).get(reverse("accounts:audit-list"))
    assert other.status_code == 403 and 'data-testid="department-scopes"' not in other.content.decode()
