"""The REST API fuzzed from its own OpenAPI schema (/api/v1/schema/) with schemathesis, in process through the
WSGI application, once per role's credentials: the bureau, street A and committee A1 with a session (and a CSRF
token for unsafe methods), the police station serving street A with an API token carrying every scope.

Every response must: not be a 5xx; have a status code, content type, headers and body the schema documents;
reject invalid input (negative mode) with a 4xx; hold nothing outside the role's scope (tests/fuzz/scoping.py).
Path ids are drawn from the fuzz world's objects (in and out of scope) half of the time, at random otherwise.

Run alone: `pytest -m fuzz`. Examples per operation and role: FUZZ_MAX_EXAMPLES (default below); FUZZ_STATS=<file>
lists every request made."""

import os

import hypothesis
import pytest
import schemathesis
from django.middleware.csrf import _get_new_csrf_string
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck
from hypothesis import strategies as st
from schemathesis.checks import CheckContext
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    positive_data_acceptance,
)

from community_admin.accounts.models import Role
from community_admin.config.wsgi import application
from tests.fuzz.scoping import scope_problems
from tests.fuzz.world import FuzzWorld, path_kind

pytestmark = pytest.mark.fuzz

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "3"))
STATS = os.environ.get(
    "FUZZ_STATS"
)  # a file to append one line per request to (role, operation, mode, status)
ROLES = [Role.BUREAU, Role.STREET, Role.COMMITTEE, Role.DEPARTMENT]


def _schema_dict() -> dict:
    """The schema /api/v1/schema/ serves (test_served_schema_is_the_fuzzed_one keeps the two the same)."""
    import json

    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(raw, renderer_context={}))


schema = schemathesis.openapi.from_dict(_schema_dict())
schema.config.generation.update(
    modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE],
    max_examples=MAX_EXAMPLES,
    # Credentials come from the role, never from generated cookies or headers.
    with_security_parameters=False,
)
schema.config.phases.update(phases=["examples", "fuzzing"])

# What the current test fuzzes: its role and world (schemathesis hooks and checks are module-wide).
_current: dict = {}


@schema.hook
def before_generate_path_parameters(context, strategy):
    """Half of the path ids are real objects of the operation's kind: in scope, out of scope or district-wide."""
    kind = path_kind(context.operation.path)
    if kind is None or "{id}" not in context.operation.path:
        return strategy

    def known(index: int) -> dict:
        ids = _current["world"].all_ids(kind) or [0]
        return {"id": ids[index % len(ids)]}

    return st.one_of(st.integers(min_value=0, max_value=50).map(known), strategy)


@schema.hook
def filter_case(context, case):
    """Negative cases the API answers by a documented convention rather than a 4xx are not generated: an
    empty query value means "no filter" (django-filter), and in HTML-form bodies an empty or missing field
    is an omitted one (DRF's form semantics); DRF trims surrounding whitespace (control characters included)
    before it checks a string's length. Everything else is fuzzed as it comes."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_negative:
        return True
    if any(value in ("", [""], [], {}) for value in (case.query or {}).values()):
        return False
    if isinstance(case.body, dict) and any(
        isinstance(value, str) and value != value.strip() for value in case.body.values()
    ):
        return False
    return case.media_type in (None, "application/json")


def scoped_to_role(ctx: CheckContext, response, case) -> bool | None:
    """Nothing outside the role's committees in the response (tests/fuzz/scoping.py)."""
    if response.status_code >= 300:
        return None
    problems = scope_problems(
        _current["world"],
        _current["role"],
        case.method.upper(),
        case.operation.path,
        response.content,
        response.headers.get("content-type", [""])[0]
        if isinstance(response.headers.get("content-type"), list)
        else response.headers.get("content-type", ""),
    )
    if problems:
        raise AssertionError(f"{_current['role']} was shown out-of-scope data: " + "; ".join(problems[:5]))
    return None


EXCLUDED_CHECKS = [
    # Credentials are sent by the test, not declared on the case: the route matrix (tests/security) proves
    # every API route refuses anonymous requests.
    ignored_auth,
    # A well-formed body can still be refused on the registry's rules (a committee code that does not exist or
    # is out of scope, an ID number's checksum, a period already closed): 400/404/409/422 are right answers.
    positive_data_acceptance,
]


def credentials(fuzz: FuzzWorld, role: str) -> tuple[dict, dict]:
    """(headers, cookies) the role's requests carry."""
    if role == Role.DEPARTMENT:
        return {"Authorization": f"Token {fuzz.token_key}"}, {}
    csrf = _get_new_csrf_string()
    return {"X-CSRFToken": csrf}, {"sessionid": fuzz.sessions[role], "csrftoken": csrf}


@pytest.fixture
def fuzzing(fuzz_db, role) -> FuzzWorld:
    """The world and role the hooks and checks read; set before Hypothesis draws the first case."""
    _current.update(world=fuzz_db, role=role)
    yield fuzz_db
    _current.clear()


@pytest.mark.parametrize("role", ROLES)
@schema.parametrize()
@hypothesis.settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    max_examples=MAX_EXAMPLES,
)
def test_api(case, role, fuzzing):
    headers, cookies = credentials(fuzzing, role)
    response = case.call(app=application, headers=headers, cookies=cookies)
    if STATS:
        with open(STATS, "a") as stats:
            mode = case.meta.generation.mode.value if case.meta else "explicit"
            stats.write(f"{role}\t{case.method} {case.operation.path}\t{mode}\t{response.status_code}\n")
    case.validate_response(
        response,
        headers=headers,
        additional_checks=[scoped_to_role],
        excluded_checks=EXCLUDED_CHECKS,
    )
