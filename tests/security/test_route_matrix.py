"""Every URL route of the project, walked: each must be in ROUTES, which says who may use it and, for a
route that takes an object id, how to make an object in and out of each role's scope. Out of scope answers
404 exactly like a missing object; no login answers a redirect (pages) or 401/403 (API). A new route that
is not in ROUTES fails `test_every_route_is_in_the_matrix`: add it here when you add it."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from community_admin.accounts.models import ApiToken, Role

ALL = frozenset(Role)
BUREAU = frozenset({Role.BUREAU})
MISSING = 987654321

# scope(world, role, tokens) -> (in-scope id, out-of-scope id or None where the role sees everything)
Scope = Callable[..., tuple[int, int | None]]


def committee_scope(world, role, extra) -> tuple[int, int | None]:
    out = {
        Role.BUREAU: None,
        Role.STREET: world.committee_b1.pk,
        Role.COMMITTEE: world.committee_a2.pk,
        Role.DEPARTMENT: world.committee_b1.pk,
    }[role]
    return world.committee_a1.pk, out


def street_scope(world, role, extra) -> tuple[int, int | None]:
    return world.street_a.pk, None if role == Role.BUREAU else world.street_b.pk


def token_scope(world, role, extra) -> tuple[int, int | None]:
    return extra["token"].pk, None


def _staff_scope(kind: str) -> Scope:
    """Objects of the staff app belonging to committee A1 (in scope) and to one outside each role's scope."""

    def scope(world, role, extra) -> tuple[int, int | None]:
        from tests.staff.factories import staff_objects

        objects = getattr(staff_objects(world), kind)
        out = {Role.BUREAU: None, Role.STREET: "b1", Role.COMMITTEE: "a2", Role.DEPARTMENT: "b1"}[role]
        return objects["a1"].pk, objects[out].pk if out else None

    return scope


worker_scope = _staff_scope("workers")
secondment_scope = _staff_scope("secondments")
opinion_scope = _staff_scope("opinions")
payroll_scope = _staff_scope("payrolls")
accountability_scope = _staff_scope("records")
STAFF = frozenset({Role.BUREAU, Role.STREET, Role.COMMITTEE})
STAFF_MANAGE = frozenset({Role.BUREAU, Role.STREET})


@dataclass(frozen=True)
class Route:
    kind: str  # "public" | "page" | "api"
    roles: frozenset = ALL
    scope: Scope | None = None
    method: str = "get"
    ok: tuple[int, ...] = (200,)
    query: dict = field(default_factory=dict)


ROUTES: dict[str, Route] = {
    "home": Route("page", ok=(200, 302)),
    "accounts:login": Route("public"),
    "accounts:logout": Route("public", method="post", ok=(302,)),
    "accounts:audit-list": Route("page", BUREAU),
    "accounts:token-list": Route("page", BUREAU),
    "accounts:token-revoke": Route("page", BUREAU, scope=token_scope, method="post", ok=(302,)),
    "dashboards:street-detail": Route("page", scope=street_scope),
    "dashboards:committee-detail": Route("page", scope=committee_scope),
    "dashboards:committee-edit": Route("page", frozenset({Role.BUREAU, Role.STREET}), scope=committee_scope),
    "dashboards:office-norms": Route("page"),
    "api-root": Route("api"),
    "schema": Route("public"),
    "docs": Route("public"),
    "street-list": Route("api"),
    "street-detail": Route("api", scope=street_scope),
    "committee-list": Route("api"),
    "committee-detail": Route("api", scope=committee_scope),
    # staff pages
    "staff:worker-list": Route("page", STAFF),
    "staff:worker-create": Route("page", STAFF_MANAGE),
    "staff:worker-detail": Route("page", STAFF, scope=worker_scope),
    "staff:worker-reveal": Route("page", STAFF_MANAGE, scope=worker_scope, method="post"),
    "staff:worker-action": Route("page", STAFF_MANAGE, scope=worker_scope, method="post", ok=(400,)),
    "staff:staffing": Route("page", STAFF),
    "staff:secondment-list": Route("page", STAFF),
    "staff:secondment-create": Route("page", STAFF_MANAGE, method="post", ok=(400,)),
    "staff:secondment-detail": Route("page", STAFF, scope=secondment_scope),
    "staff:secondment-step": Route("page", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff:opinion-file": Route("page", STAFF, scope=opinion_scope),
    "staff:payroll-list": Route("page", STAFF),
    "staff:payroll-compute": Route("page", STAFF_MANAGE, method="post", ok=(400,)),
    "staff:payroll-detail": Route("page", STAFF, scope=payroll_scope),
    "staff:payroll-export": Route("page", STAFF, scope=payroll_scope),
    "staff:evaluation": Route("page", STAFF),
    "staff:evaluation-score": Route("page", STAFF_MANAGE, method="post", ok=(400,)),
    "staff:evaluation-round": Route("page", BUREAU, method="post", ok=(400,)),
    "staff:accountability-follow-up": Route(
        "page", STAFF_MANAGE, scope=accountability_scope, method="post", ok=(400,)
    ),
    "staff:turnover": Route("page", STAFF),
    # staff API
    "staff-worker-list": Route("api", STAFF),
    "staff-worker-detail": Route("api", STAFF, scope=worker_scope),
    "staff-worker-reveal-id-number": Route("api", STAFF_MANAGE, scope=worker_scope, method="post"),
    "staff-staffing-list": Route("api", STAFF),
    "staff-secondment-list": Route("api", STAFF),
    "staff-secondment-detail": Route("api", STAFF, scope=secondment_scope),
    "staff-secondment-opinion": Route("api", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-approve": Route("api", BUREAU, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-file": Route("api", BUREAU, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-activate": Route("api", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-end": Route("api", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff-secondment-reject": Route("api", STAFF_MANAGE, scope=secondment_scope, method="post", ok=(400,)),
    "staff-payroll-list": Route("api", STAFF),
    "staff-payroll-detail": Route("api", STAFF, scope=payroll_scope),
    "staff-payroll-compute": Route("api", STAFF_MANAGE, method="post", ok=(400,)),
    "staff-payroll-export": Route("api", STAFF, scope=payroll_scope),
    "staff-evaluation-list": Route("api", STAFF),
    "staff-evaluation-score": Route("api", STAFF_MANAGE, method="post", ok=(400,)),
    "staff-turnover-list": Route("api", STAFF),
    "staff-retirement-list": Route("api", STAFF),
}

# Django's admin is for superusers only and is not scoped; every role here is refused by it.
ADMIN_NAMESPACE = "admin"


def walk(patterns=None, namespace: str = "", prefix: str = ""):
    """Yield (name, route string, keyword names) for every named route."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            yield f"{namespace}{p.name or f'<unnamed {route}>'}", route, set(p.pattern.regex.groupindex)


def project_routes() -> dict[str, set[str]]:
    return {name: kwargs for name, _, kwargs in walk() if not name.startswith(f"{ADMIN_NAMESPACE}:")}


def test_every_route_is_in_the_matrix():
    routes = project_routes()
    missing = sorted(set(routes) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(routes))
    assert not missing, f"routes not in the security matrix (add them to ROUTES): {missing}"
    assert not stale, f"ROUTES names routes that no longer exist: {stale}"


def test_every_route_with_an_object_id_has_a_scope():
    for name, kwargs in project_routes().items():
        if kwargs:
            assert ROUTES[name].scope is not None, f"{name} takes {kwargs} but has no in/out-of-scope objects"


@pytest.fixture
def extra(world):
    from community_admin.accounts import services

    token, _ = services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="矩阵测试",
        scopes=[ApiToken.Scope.ORG_READ],
        days_valid=5,
    )
    return {"token": token}


def _url(name: str, pk: int | None) -> str:
    return reverse(name, kwargs={"pk": pk}) if pk is not None else reverse(name)


def _call(client: Client, route: Route, url: str):
    return getattr(client, route.method)(url, route.query)


OBJECT_CASES = [(n, r) for n, r in ROUTES.items() if r.scope is not None]
PLAIN_CASES = [(n, r) for n, r in ROUTES.items() if r.scope is None and r.kind != "public"]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "route"), OBJECT_CASES, ids=[n for n, _ in OBJECT_CASES])
def test_object_route_in_and_out_of_scope(world, extra, login, name, route, role):
    client = login(world.user(role))
    in_scope, out_of_scope = route.scope(world, role, extra)
    inside = _call(client, route, _url(name, in_scope))
    outside = _call(client, route, _url(name, out_of_scope if out_of_scope is not None else MISSING))
    missing = _call(client, route, _url(name, MISSING))
    if role in route.roles:
        assert inside.status_code in route.ok, f"{name} as {role}: in scope gave {inside.status_code}"
        assert outside.status_code == 404, f"{name} as {role}: out of scope gave {outside.status_code}"
        assert missing.status_code == 404
    else:
        assert inside.status_code in (403, 404), f"{name} as {role} (not permitted) gave {inside.status_code}"
        assert outside.status_code == inside.status_code, "forbidden must not tell in-scope from out-of-scope"


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("name", "route"), PLAIN_CASES, ids=[n for n, _ in PLAIN_CASES])
def test_plain_route_by_role(world, login, name, route, role):
    response = _call(login(world.user(role)), route, _url(name, None))
    expected = route.ok if role in route.roles else (403,)
    assert response.status_code in expected, f"{name} as {role} gave {response.status_code}"


@pytest.mark.parametrize(("name", "route"), list(ROUTES.items()), ids=list(ROUTES))
def test_without_login(world, extra, name, route):
    pk = route.scope(world, Role.BUREAU, extra)[0] if route.scope else None
    response = _call(Client(), route, _url(name, pk))
    if route.kind == "public":
        assert response.status_code in route.ok
    elif route.kind == "page":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code in (401, 403)


UNSAFE_CASES = [(n, r) for n, r in ROUTES.items() if r.kind != "public" or r.method == "post"] + [
    ("accounts:login", ROUTES["accounts:login"])
]


@pytest.mark.parametrize(("name", "route"), UNSAFE_CASES, ids=[n for n, _ in UNSAFE_CASES])
def test_csrf_enforced_on_unsafe_requests(world, extra, name, route):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.bureau)
    pk = route.scope(world, Role.BUREAU, extra)[0] if route.scope else None
    response = client.post(_url(name, pk), {})
    assert response.status_code == 403, f"POST {name} without a CSRF token gave {response.status_code}"


@pytest.mark.parametrize("role", list(Role))
def test_admin_refuses_every_role(world, login, role):
    response = login(world.user(role)).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
