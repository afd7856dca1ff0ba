"""The bad-input sweep (issue 10, item 6): every API operation that takes a body and every form, given empty,
oversized, wrong-type and malicious values one field at a time, as each role that may use it.

What must hold for every value:
- never a 5xx;
- a value that cannot be right (wrong type, too long, not a date, not a choice, NUL...) is refused with a 4xx
  (API: the JSON error names the field; pages: the re-rendered form marks the field invalid, or a 4xx);
- a refused request writes nothing: every table is as before, except the append-only audit log's denial and
  failure rows (access denied, out of scope: the app audits those by design); an `ok` audit row is a write;
- a value that may be right (a free-text field may hold `<script>`) comes back JSON in a JSON answer and
  HTML-escaped on every page of its app that shows it: the raw markup never appears.

Each request runs in a savepoint that is rolled back, so each meets the same database; what it wrote is found by
watching its INSERT/UPDATE/DELETE statements and, if there were any, comparing those tables with the baseline.
Operations come from the OpenAPI schema and forms from the rendered pages: nothing here lists endpoints. A field
name the sweep has not seen before gets a type default; when that is not a valid value the control request says so.
Forms with file inputs are sent with a valid PNG; binary API fields get a text value (not a file)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from community_admin.accounts.models import ApiToken, Role
from community_admin.accounts.permissions import PERMISSIONS, TOKEN_SCOPES
from tests.security import sweep
from tests.security.test_route_matrix import ROUTES, extra  # noqa: F401 - `extra` is a fixture used here

pytestmark = pytest.mark.sweep

ROLE_ORDER = (Role.COMMITTEE, Role.STREET, Role.BUREAU, Role.DEPARTMENT)
CSRF = "sweepcsrftoken0123456789abcdefgh"  # 32 characters: a CSRF secret the cookie and the header share

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --------------------------------------------------------------------------------- the API, from its schema


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str  # with {id}
    url_name: str
    json_body: bool
    fields: dict  # name -> resolved schema
    required: frozenset
    roles: tuple  # roles that may call it (the department through a token)


def _resolve_schema(schema: dict, components: dict) -> dict:
    if "$ref" in schema:
        return _resolve_schema(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    for combo in ("allOf", "oneOf", "anyOf"):
        if combo in schema:
            parts = [_resolve_schema(p, components) for p in schema[combo]]
            merged = {k: v for k, v in schema.items() if k != combo}
            enum = [v for p in parts for v in p.get("enum", []) if v not in ("", None)]
            if enum:
                merged.update(type="string", enum=enum)
            else:
                merged.update({k: v for p in parts for k, v in p.items()})
            merged["nullable"] = schema.get("nullable") or any(None in p.get("enum", []) for p in parts)
            return merged
    return schema


def _permission(view_func, method: str) -> str | None:
    required = getattr(view_func.cls, "required_permission", None)
    if isinstance(required, dict):
        action = (getattr(view_func, "actions", None) or {}).get(method)
        return required.get(action) or required.get(method)
    return required


def api_operations() -> list[Operation]:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    ops = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if method not in ("post", "put", "patch") or "requestBody" not in op:
                continue
            content = op["requestBody"]["content"]
            json_body = "application/json" in content
            body = _resolve_schema(next(iter(content.values()))["schema"], components)
            fields = {
                name: _resolve_schema(s, components)
                for name, s in body.get("properties", {}).items()
                if not s.get("readOnly")
            }
            if not fields:
                continue
            match = resolve(path.replace("{id}", "1"))
            permission = _permission(match.func, method)
            roles = tuple(
                r
                for r in ROLE_ORDER
                if r in PERMISSIONS.get(permission, ())
                and (r != Role.DEPARTMENT or permission in TOKEN_SCOPES)
            )
            ops.append(
                Operation(
                    id=op["operationId"],
                    method=method,
                    path=path,
                    url_name=match.url_name,
                    json_body=json_body,
                    fields=fields,
                    required=frozenset(body.get("required", ())),
                    roles=roles,
                )
            )
    return ops


OPERATIONS = api_operations()
API_CASES = [(op, role) for op in OPERATIONS for role in op.roles]


# ------------------------------------------------------------------------------------- the world to write in


NO_DEFAULT = {
    "street",
    "host_department",
    "period",
    "task",
    "disability_level",
    "disability_certificate",
    "status",
}


class Sweep:
    """Clients per role, valid values per field name, the baseline of every table."""

    def __init__(self, world, objects, tmp_path):
        self.world, self.extra, self.tmp_path = world, objects, tmp_path
        self._clients: dict = {}

    def client(self, role: str, *, api: bool) -> Client:
        key = (role, api)
        if key not in self._clients:
            client = Client(enforce_csrf_checks=True, raise_request_exception=False)
            if api and role == Role.DEPARTMENT:
                from community_admin.accounts import services as account_services

                _, secret = account_services.api_token_create(
                    actor=self.world.bureau,
                    department=self.world.police,
                    name="输入检查",
                    scopes=list(ApiToken.Scope.values),
                    days_valid=5,
                )
                client.defaults["HTTP_AUTHORIZATION"] = f"Token {secret}"
            else:
                client.force_login(self.world.user(role))
                client.cookies["csrftoken"] = CSRF
                client.defaults["HTTP_X_CSRFTOKEN"] = CSRF
            self._clients[key] = client
        return self._clients[key]

    def page_client(self, role: str) -> Client:
        return self.client(role, api=False)

    def object_id(self, url_name: str, role: str) -> int | None:
        route = ROUTES.get(url_name)
        if route is None or route.scope is None:
            return None
        return route.scope(self.world, role, self.extra)[0]

    # valid values by field name: what a new field of the same name needs, everywhere
    def default(self, name: str, schema: dict, role: str, op: Operation):
        from community_admin.certificates.models import CertificateType

        x = self.extra
        persons = x["persons"]
        named = {
            "person": lambda: persons["A1"].pk,
            "household": lambda: persons["A1"].household_id,
            "to_household": lambda: self.spare_household().pk,
            "committee": lambda: "A1",
            "committees": lambda: ["A1"],
            "street": lambda: None,
            "host_street": lambda: "B",
            "host_department": lambda: None,
            "worker": lambda: self.staff.workers["a1"].pk,
            "volunteer": lambda: x["services"]["volunteer"]["A1"].pk,
            "organisation": lambda: x["services"]["organisation"]["A1"].pk,
            "participant_ids": lambda: [],
            "book": lambda: x["books"]["zz_rented_housing"].code,
            "period": lambda: None,
            "data": lambda: {
                "address": "1号楼101",
                "landlord": "房东",
                "tenants": 2,
                "registered_on": "2025-01-02",
            },
            "certificate_type": lambda: CertificateType.objects.filter(tier="A", active=True).first().code,
            "service_item": lambda: x["item"].code,
            "kind": lambda: "dashboards.committee_export" if op.url_name == "job-list" else None,
            "params": lambda: {},
            "id_number": lambda: self.id_number(),
            "phone": lambda: "13800000000",
            "year": lambda: self.year(op),
            "month": lambda: 6,
            "posts": lambda: ["member"],
            "typical_costs": lambda: dict.fromkeys(self.cost_categories(), "100.00"),
            "task": lambda: None,
            "representative": lambda: "代表乙",
            "quantity": lambda: 1,
            "funding": lambda: "0",
            "disability_level": lambda: None,
            "disability_certificate": lambda: None,
            "status": lambda: "floating" if role == Role.DEPARTMENT else None,
        }
        if name in named:
            value = named[name]()
            if value is not None or name in NO_DEFAULT:
                return value
        kind, fmt = schema.get("type"), schema.get("format")
        if "enum" in schema:
            return schema["enum"][0]
        if fmt == "binary":
            return SimpleUploadedFile("scan.png", PNG, content_type="image/png")
        if fmt == "date":
            return sweep.soon(10) if name.startswith(("planned", "due")) else sweep.today()
        if fmt == "decimal":
            return "1.0"
        return {"string": "测试内容", "integer": 40, "boolean": False, "array": [], "object": {}}.get(kind)

    def year(self, op: Operation) -> int:
        if op.id.startswith("funding"):
            return self.extra["funding"].policy.year
        if op.id.startswith("staff"):
            self.staff  # noqa: B018 - builds the 2025 pay policy and the 2024 evaluation round
            return 2025 if "payroll" in op.id else 2024
        return date.today().year

    def cost_categories(self) -> list[str]:
        from community_admin.funding.models import Category

        return list(Category.values)

    def id_number(self) -> str:
        from community_admin.core import idnumbers

        self._seq = getattr(self, "_seq", 0) + 1
        return idnumbers.make("110101", date(1980, 1, 1), 700 + self._seq)

    def spare_household(self):
        if not hasattr(self, "_spare"):
            from tests.factories import HouseholdFactory

            self._spare = HouseholdFactory(committee=self.world.committee_a1)
        return self._spare

    @property
    def staff(self):
        from tests.staff.factories import staff_objects

        return staff_objects(self.world)


@pytest.fixture
def sweeper(world, extra, tmp_path, settings):  # noqa: F811 - `extra` is the route matrix's fixture
    media = tmp_path / "deep" / "er" / "media"
    settings.MEDIA_ROOT = media
    for name in ("evidence", "services_files", "job_results"):
        settings.STORAGES = {
            **settings.STORAGES,
            name: {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(media / name), "base_url": None},
            },
        }
    cache.clear()
    return Sweep(world, extra, tmp_path)


def _send(client: Client, method: str, url: str, body: dict, *, json_body: bool):
    cache.clear()  # rate limits (task API, verification) count in the cache: every request is a first
    headers = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    if json_body and not any(isinstance(v, SimpleUploadedFile) for v in body.values()):
        return getattr(client, method)(
            url, sweep.json_dumps(body), content_type="application/json", **headers
        )
    data = {k: v for k, v in body.items() if v is not None}
    for v in data.values():
        if isinstance(v, SimpleUploadedFile):
            v.seek(0)
    if method == "post":
        return client.post(url, data, **headers)
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    return getattr(client, method)(
        url,
        encode_multipart("BoUnDaRy", data),
        content_type=f"{MULTIPART_CONTENT.split(';')[0]}; boundary=BoUnDaRy",
        **headers,
    )


def _error_keys(response) -> set[str]:
    try:
        return sweep.json_keys(response.json())
    except ValueError:
        return set()


def _problem_5xx(response) -> str:
    exc = getattr(response, "exc_info", None)
    return f"{response.status_code} {exc[1]!r}" if exc else str(response.status_code)


def _pages_for(tables: set[str], role: str, sweeper: Sweep) -> list[str]:
    """Pages of the apps whose tables were written: their list pages and their detail pages of the newest row."""
    by_table = {m._meta.db_table: m for m in apps.get_models()}
    urls = []
    for table in sorted(tables - {sweep.AUDIT_TABLE}):
        model = by_table.get(table)
        if model is None:
            continue
        namespaces = {model._meta.app_label, "dashboards" if model._meta.app_label == "org" else ""}
        newest = model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        for name, route in ROUTES.items():
            if route.kind != "page" or route.method != "get" or name.split(":")[0] not in namespaces:
                continue
            if role not in route.roles or route.kwargs:
                continue
            if route.scope is None:
                urls.append(reverse(name))
            elif newest is not None and "pk" in _route_kwargs(name):
                urls.append(reverse(name, kwargs={"pk": newest}))
    return list(dict.fromkeys(urls))


def _route_kwargs(name: str) -> set[str]:
    from tests.security.test_route_matrix import project_routes

    global _ROUTE_KWARGS
    if "_ROUTE_KWARGS" not in globals():
        _ROUTE_KWARGS = project_routes()
    return _ROUTE_KWARGS.get(name, set())


def _check_pages(sweeper: Sweep, role: str, touched: set[str], sent: str) -> tuple[list[str], int]:
    """Render the pages that may show what was just stored: the raw markup must not appear anywhere."""
    problems, escaped_seen = [], 0
    client = sweeper.page_client(role)
    for url in _pages_for(touched, role, sweeper):
        page = client.get(url)
        if page.status_code >= 500:
            problems.append(f"page {url} answered {_problem_5xx(page)} after storing {sent!r}")
            continue
        if "html" not in page.get("Content-Type", ""):
            continue
        body = page.content.decode()
        raw = sweep.unescaped_markup(body)
        if raw:
            problems.append(f"page {url} shows {raw} unescaped")
        from django.utils.html import escape

        escaped_seen += escape(sent) in body
    return problems, escaped_seen


STATS: dict[str, int] = {}
# The first role that may call an operation gets every value; the others (same validation, other scope) a
# sample: the budget is ~90 s per CI pass.
SECOND_ROLE_VALUES = {
    "missing",
    "malicious:html-script",
    "malicious:nul",
    "not-a-number",
    "huge",
    "invalid-date",
}
SECOND_ROLE_VALUES |= {"not-a-choice", "scalar-for-list", "list-for-object"}


def _count(key: str, n: int = 1) -> None:
    STATS[key] = STATS.get(key, 0) + n


@pytest.mark.parametrize(
    ("op", "role"), API_CASES, ids=[f"{op.method.upper()} {op.path} as {role}" for op, role in API_CASES]
)
def test_api_operation_refuses_bad_input(sweeper, op, role):
    client = sweeper.client(role, api=True)
    pk = sweeper.object_id(op.url_name, role)
    if "{id}" in op.path:
        assert pk is not None, f"{op.url_name}: the route matrix gives no in-scope object for {role}"
    url = op.path.replace("{id}", str(pk))
    base = {
        name: sweeper.default(name, schema, role, op)
        for name, schema in op.fields.items()
        if name in op.required or sweeper.default(name, schema, role, op) is not None
    }
    base = {k: v for k, v in base.items() if v is not None or k in op.required}
    baseline = sweep.fingerprint(sweep.all_tables())
    problems: list[str] = []

    # the control: the body as valid as the sweep can make it; optional fields a business rule refuses
    # (a disability level without a certificate...) are left out
    for _ in range(3):
        with sweep.rolled_back(baseline):
            control = _send(client, op.method, url, dict(base), json_body=op.json_body)
        assert control.status_code < 500, f"control request answered {_problem_5xx(control)}"
        optional = (_error_keys(control) & set(base)) - op.required if control.status_code >= 400 else set()
        if not optional:
            break
        base = {k: v for k, v in base.items() if k not in optional}
    # A control refused for a field is a business rule (a year without a policy, a worker already seconded):
    # field validation comes first, so bad values are still refused for their own field; only the pages
    # check (which needs an accepted write) is lost for this operation.
    _count("api operations x roles")
    _count("api controls accepted" if control.status_code < 400 else "api controls refused by business rules")

    if op.json_body:  # not JSON at all
        with sweep.rolled_back(baseline) as outcome:
            cache.clear()
            r = getattr(client, op.method)(url, '{"a": ', content_type="application/json")
        if r.status_code != 400 or outcome.written:
            problems.append(f"malformed JSON: {r.status_code}, wrote {outcome.written}")

    for name, schema in op.fields.items():
        for bad in sweep.api_values(schema, required=name in op.required, json_body=op.json_body):
            body = dict(base)
            if bad.missing:
                body.pop(name, None)
            else:
                body[name] = bad.value
            multipart = not op.json_body or any(isinstance(v, SimpleUploadedFile) for v in body.values())
            if multipart and isinstance(bad.value, (dict, list)) and name not in ("posts", "committees"):
                continue
            if role != op.roles[0] and bad.label not in SECOND_ROLE_VALUES:
                continue
            with sweep.rolled_back(baseline) as outcome:
                r = _send(client, op.method, url, body, json_body=op.json_body)
                _count("api requests")
                where = f"{name}={bad.label}"
                if r.status_code >= 500:
                    problems.append(f"{where}: {_problem_5xx(r)}")
                    continue
                if r.status_code < 400:
                    if bad.reject:
                        problems.append(f"{where}: accepted ({r.status_code})")
                    if "json" not in r.get("Content-Type", ""):
                        problems.append(f"{where}: answered {r.get('Content-Type')}, not JSON")
                    if isinstance(bad.value, str) and bad.label.startswith("malicious:html"):
                        _count("api values accepted and checked on pages")
                        found, escaped = _check_pages(sweeper, role, outcome.touched, bad.value)
                        problems += [f"{where}: {p}" for p in found]
                        _count("pages rendered escaped value", escaped)
                    continue
                if outcome.written:
                    problems.append(f"{where}: refused ({r.status_code}) but wrote {sorted(outcome.written)}")
                # a refused value that cannot be right must be refused for its own field; a value that may be
                # right may meet a rule that couples fields (a disability certificate needs its level)
                named = name in _error_keys(r) or name in r.content.decode(errors="replace")
                if bad.reject and r.status_code not in (401, 403, 404, 429) and not named:
                    problems.append(f"{where}: {r.status_code} does not name the field: {r.content[:200]!r}")
    assert not problems, f"{op.method.upper()} {op.path} as {role}:\n  " + "\n  ".join(problems)


# ----------------------------------------------------------------------------------------- forms on pages

FORM_PAGES = [
    (name, route)
    for name, route in ROUTES.items()
    if route.kind == "page" and route.method == "get" and not name.endswith(("-export", "-template", ":pdf"))
]
SKIPPED_ACTIONS = {"accounts:logout"}  # would end the session the sweep is using


def _page_role(route) -> str | None:
    return next((r for r in ROLE_ORDER if r in route.roles), None)


def _form_defaults(form: sweep.Form, sweeper: Sweep) -> dict[str, list[str]]:
    """What the page would send, with empty required widgets filled with a value of their type."""
    values = {k: list(v) for k, v in form.values.items()}
    for name, f in form.fields.items():
        if values.get(name) and any(values[name]):
            continue
        if f.tag == "select":
            choice = next((o for o in f.options if o), None)
            values[name] = [choice] if choice else []
        elif f.type == "date":
            values[name] = [sweep.today()]
        elif f.type == "number":
            values[name] = ["1"]
        elif f.type == "file":
            continue
        elif "id_number" in name:
            values[name] = [sweeper.id_number()]
        elif f.type in ("text", "textarea") and f.required:
            values[name] = ["测试内容"]
    return values


def _form_files(form: sweep.Form) -> dict:
    return {
        name: SimpleUploadedFile("scan.png", PNG, content_type="image/png")
        for name, f in form.fields.items()
        if f.type == "file"
    }


@pytest.mark.parametrize(("name", "route"), FORM_PAGES, ids=[n for n, _ in FORM_PAGES])
def test_forms_refuse_bad_input(sweeper, name, route):
    role = _page_role(route)
    if role is None:
        pytest.skip("no role may use this page")
    client = sweeper.page_client(role)
    pk = sweeper.object_id(name, role)
    url = reverse(name, kwargs={**route.kwargs, **({"pk": pk} if pk is not None else {})})
    page = client.get(url, route.query)
    assert page.status_code < 500, f"GET {url} answered {_problem_5xx(page)}"
    if "html" not in page.get("Content-Type", ""):
        return
    forms = []
    for form in sweep.parse_forms(page.content.decode(), url):
        try:
            action = resolve(form.action.split("?")[0])
        except Resolver404:
            continue
        action_name = f"{action.namespace}:{action.url_name}" if action.namespace else action.url_name
        if action_name in SKIPPED_ACTIONS:
            continue
        fuzzable = [f for f in form.fields.values() if f.name != "csrfmiddlewaretoken" and f.type != "file"]
        if fuzzable:
            forms.append((action_name, form, fuzzable))
    if not forms:
        pytest.skip("no form with fields on this page")
    baseline = sweep.fingerprint(sweep.all_tables())
    problems: list[str] = []
    for action_name, form, fuzzable in forms:
        _count("forms")
        base = _form_defaults(form, sweeper)
        for f in fuzzable:
            _count("form fields")
            for bad in sweep.form_values(f.type, f):
                data = {**base, f.name: [bad.value]}
                with sweep.rolled_back(baseline) as outcome:
                    cache.clear()
                    r = client.post(form.action, {**data, **_form_files(form)})
                    _count("form requests")
                    where = f"{action_name} {f.name}={bad.label}"
                    if r.status_code >= 500:
                        problems.append(f"{where}: {_problem_5xx(r)}")
                        continue
                    body = r.content.decode(errors="replace") if "html" in r.get("Content-Type", "") else ""
                    raw = sweep.unescaped_markup(body)
                    if raw:
                        problems.append(f"{where}: answer shows {raw} unescaped")
                    accepted = r.status_code in (301, 302, 303) and bool(outcome.written)
                    if accepted:
                        if bad.reject:
                            problems.append(f"{where}: accepted, wrote {sorted(outcome.written)}")
                        if bad.label.startswith("malicious:html"):
                            _count("form values accepted and checked on pages")
                            found, escaped = _check_pages(sweeper, role, outcome.touched, bad.value)
                            target = client.get(r["Location"])
                            found += [
                                f"redirect target shows {m}"
                                for m in sweep.unescaped_markup(target.content.decode(errors="replace"))
                            ]
                            problems += [f"{where}: {p}" for p in found]
                        continue
                    if outcome.written:
                        problems.append(
                            f"{where}: refused ({r.status_code}) but wrote {sorted(outcome.written)}"
                        )
                    marked = f.name in sweep.invalid_fields(body)
                    if bad.reject and r.status_code == 200 and not marked and f.type != "hidden":
                        problems.append(f"{where}: re-rendered without marking the field invalid")
    assert not problems, f"forms on {url} as {role}:\n  " + "\n  ".join(problems)
