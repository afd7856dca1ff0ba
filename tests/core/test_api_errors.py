"""One error body for the whole API (issue 26, item 3): the exception handler (core/api_errors.py), the shape
declared once in the schema (core/openapi.py), and a walk over every write operation of the schema that sends
a bad body as a role allowed to call it and expects 400 with that shape: field -> messages, or `detail`."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.test.client import MULTIPART_CONTENT, encode_multipart
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from community_admin.accounts.models import Role
from community_admin.accounts.permissions import PERMISSIONS, TOKEN_SCOPES
from community_admin.core import reveals
from community_admin.core.api_errors import exception_handler
from tests.security.test_bad_input import ROLE_ORDER, _permission, sweeper  # noqa: F401 - a fixture
from tests.security.test_route_matrix import extra  # noqa: F401 - a fixture `sweeper` uses

WRITES = ("post", "put", "patch", "delete")


# ------------------------------------------------------------------------------------------------ the handler


def _answer(exc):
    response = exception_handler(exc, {})
    return response.status_code, json.loads(json.dumps(response.data))


def test_a_field_error_names_the_field():
    exc = ValidationError({"reason": ["查看原因：必填。"], "year": ["年度：无效。"]})
    assert _answer(exc) == (400, {"reason": ["查看原因：必填。"], "year": ["年度：无效。"]})


def test_an_error_of_no_field_is_under_non_field_errors():
    assert _answer(ValidationError("本期已关账。")) == (400, {"non_field_errors": ["本期已关账。"]})
    assert _answer(ValidationError(["甲。", "乙。"])) == (400, {"non_field_errors": ["甲。", "乙。"]})
    # Django's own key for the model's clean() and its constraints answers like DRF's
    exc = ValidationError({NON_FIELD_ERRORS: ["重复。"], "name": ["名称：必填。"]})
    assert _answer(exc) == (400, {"non_field_errors": ["重复。"], "name": ["名称：必填。"]})


def test_drfs_own_error_of_no_field_is_no_bare_list():
    from rest_framework.exceptions import ValidationError as DRFValidationError

    assert _answer(DRFValidationError("不允许使用空字符。")) == (
        400,
        {"non_field_errors": ["不允许使用空字符。"]},
    )
    assert _answer(DRFValidationError({"year": ["年度：无效。"]})) == (400, {"year": ["年度：无效。"]})


def test_a_nul_in_the_search_answers_the_one_shape(world, login):
    response = login(world.bureau).get("/api/v1/funding/runs/", {"search": "a\x00b"})
    assert response.status_code == 400 and list(response.json()) == ["non_field_errors"]


def test_the_message_params_are_filled_in():
    exc = ValidationError({"period": ValidationError("期间：%(label)s已关账。", params={"label": "2025年"})})
    assert _answer(exc) == (400, {"period": ["期间：2025年已关账。"]})


def test_permission_denied_is_403_with_the_services_message_or_drfs():
    assert _answer(PermissionDenied("只有社区居委会可以出具证明。")) == (
        403,
        {"detail": "只有社区居委会可以出具证明。"},
    )
    status, body = _answer(PermissionDenied())
    assert status == 403 and list(body) == ["detail"] and body["detail"]


def test_the_reveal_limit_is_429_with_retry_after():
    response = exception_handler(reveals.RevealLimitExceeded("查看次数已达上限。", retry_after=120), {})
    assert response.status_code == 429
    assert response.data == {"detail": "查看次数已达上限。"} and response["Retry-After"] == "120"


def test_other_exceptions_are_left_to_django():
    assert exception_handler(ValueError("boom"), {}) is None


# ------------------------------------------------------------------------------------------------- the schema


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _refs(node) -> set[str]:
    if isinstance(node, dict):
        return {node["$ref"]} if "$ref" in node else {r for v in node.values() for r in _refs(v)}
    if isinstance(node, list):
        return {r for v in node for r in _refs(v)}
    return set()


def test_the_two_error_bodies_are_declared_once(schema):
    components = schema["components"]["schemas"]
    assert components["Error"]["properties"] == {"detail": {"type": "string"}}
    messages = components["ValidationError"]["additionalProperties"]["oneOf"]
    assert {"type": "array", "items": {"type": "string"}} in messages
    assert {"$ref": "#/components/schemas/ValidationError"} in messages  # nested fields, nested errors


def test_every_error_answer_of_every_operation_has_one_of_the_two_bodies(schema):
    error_bodies = {"#/components/schemas/Error", "#/components/schemas/ValidationError"}
    seen = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if code in ("400", "401", "403", "404", "409", "415", "429"):
                    refs = _refs(response.get("content", {}))
                    assert refs and refs <= error_bodies, f"{method} {path} {code}: {response}"
                    seen.add(code)
            if method in WRITES:
                assert "400" in operation["responses"], f"{method} {path} declares no 400"
    assert {"400", "401", "403", "404"} <= seen


# -------------------------------------------------------------------------------------- every write operation


def _write_operations() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(method, path, content type of the body or "", roles that may call it) for every write of the schema."""
    ops = []
    for path, item in SchemaGenerator().get_schema(request=None, public=True)["paths"].items():
        for method, op in item.items():
            if method not in WRITES:
                continue
            content = list(op.get("requestBody", {}).get("content", {}))
            body = "application/json" if "application/json" in content else (content[0] if content else "")
            permission = _permission(resolve(path.replace("{id}", "1")).func, method)
            roles = tuple(
                r
                for r in ROLE_ORDER
                if r in PERMISSIONS.get(permission, ())
                and (r != Role.DEPARTMENT or permission in TOKEN_SCOPES)
            )
            ops.append((method, path, body, roles))
    return ops


WRITE_OPERATIONS = _write_operations()


def _is_error_body(body) -> bool:
    """{"detail": "…"}, or field -> [messages] with nested fields nested the same way; never a bare list."""
    if not isinstance(body, dict) or not body:
        return False
    if set(body) == {"detail"}:
        return isinstance(body["detail"], str)
    return all(
        (isinstance(v, list) and v and all(isinstance(m, str) for m in v)) or _is_error_body(v)
        for v in body.values()
    )


def _send(client, method: str, url: str, body, content_type: str):
    if content_type == "application/json" or not isinstance(body, dict):
        data = "" if body is None else json.dumps(body)
        return getattr(client, method)(url, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k1")
    return getattr(client, method)(
        url,
        encode_multipart("BoUnDaRy", body),
        content_type=f"{MULTIPART_CONTENT.split(';')[0]}; boundary=BoUnDaRy",
        HTTP_IDEMPOTENCY_KEY="k1",
    )


def _refusal(response, *, statuses=(400,)) -> str | None:
    """What is wrong with an answer that should be a refusal in the one shape (None: nothing)."""
    try:
        body = response.json()
    except ValueError:
        body = response.content[:200]
    if response.status_code not in statuses or not _is_error_body(body):
        return f"{response.status_code} {body!r}"
    return None


@pytest.mark.parametrize(
    ("method", "path", "content_type", "roles"),
    WRITE_OPERATIONS,
    ids=[f"{m} {p}" for m, p, _, _ in WRITE_OPERATIONS],
)
def test_a_bad_body_answers_400_with_the_one_shape(sweeper, method, path, content_type, roles):  # noqa: F811
    """An operation with a body is sent a JSON array (no serializer takes one) and an empty body (400, except
    an update, which may change nothing). One without a body (a state change, a removal) is sent twice: the
    state it leaves refuses the second (400; a removed object is gone: 404)."""
    assert roles, f"{method} {path}: no role may call it"
    role = roles[0]
    client = sweeper.client(role, api=True)
    pk = sweeper.object_id(resolve(path.replace("{id}", "1")).url_name, role)
    assert ("{id}" in path) == (pk is not None), f"{path}: the route matrix has no object for {role}"
    url = path.replace("{id}", str(pk))
    if content_type:
        problem = _refusal(_send(client, method, url, [], "application/json"))
        assert problem is None, f"{method} {path} as {role}, a JSON array: {problem}"
        empty = _send(client, method, url, {}, content_type)
        if not (method in ("put", "patch") and empty.status_code == 200):
            assert (problem := _refusal(empty)) is None, (
                f"{method} {path} as {role}, an empty body: {problem}"
            )
    else:
        first = _send(client, method, url, None, "application/json")
        assert first.status_code < 500, f"{method} {path} as {role}: {first.status_code}"
        again = _send(client, method, url, None, "application/json")
        problem = _refusal(again, statuses=(404,) if method == "delete" else (400,))
        assert problem is None, f"{method} {path} as {role}, the second time: {problem}"


def test_the_one_shape_is_no_bare_list_and_no_detail_list():
    assert _is_error_body({"reason": ["必填。"]}) and _is_error_body({"data": {"address": ["必填。"]}})
    assert _is_error_body({"detail": "未找到。"})
    assert not _is_error_body(["必填。"])
    assert not _is_error_body({"detail": ["只有失败的任务可以重试。"]})
    assert not _is_error_body({"year": "年度应为整数。"})
    assert not _is_error_body({})
