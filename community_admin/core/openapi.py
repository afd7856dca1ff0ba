"""The API's error answers, declared once for every operation of the schema (a drf-spectacular post-processing
hook, SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) rather than on each view. Every error has one of two bodies
(core/api_errors.py makes the services' exceptions answer them too):

- `ValidationError`: field -> messages (`{"name": ["…"]}`; messages of no field under `non_field_errors`; a
  nested field's errors nested the same way);
- `Error`: `{"detail": "…"}`.

- 400 on writes and on operations that take query parameters: a `ValidationError`, or an `Error` for a body
  that cannot be parsed;
- 401 and 403 on operations that need credentials: no or bad credentials; a permission the role lacks;
- 404 on operations with a path id (missing and out of scope answer the same) or a page number;
- 415 on operations that take a body: a content type the operation does not parse.

A view that declares one of these codes itself (or a 409, 429) keeps its description; one that declares no body
for it gets the shared one."""

from drf_spectacular.openapi import AutoSchema


class SingleObjectSchema(AutoSchema):
    """For a viewset whose `list` answers one object (a summary), not an array of them."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


ERROR = {
    "type": "object",
    "description": "错误说明",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR = {
    "type": "object",
    "description": "按字段列出的错误信息：字段名 → 错误列表；不属于某个字段的错误在 `non_field_errors` 下；"
    "嵌套字段的错误按同样的形式嵌套",
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"$ref": "#/components/schemas/ValidationError"},
        ]
    },
    "example": {"reason": ["该字段是必填项。"], "non_field_errors": ["该条目已删除。"]},
}

_REF = "#/components/schemas/{}"
_BAD_REQUEST = {"oneOf": [{"$ref": _REF.format("ValidationError")}, {"$ref": _REF.format("Error")}]}
_RESPONSES = {
    "400": ("输入有误：按字段列出错误，什么也没有写入", _BAD_REQUEST),
    "401": ("未登录或令牌无效", {"$ref": _REF.format("Error")}),
    "403": ("无此操作的权限（或令牌缺少所需权限范围）", {"$ref": _REF.format("Error")}),
    "404": ("不存在或不在您的管辖范围内", {"$ref": _REF.format("Error")}),
    "409": ("与当前状态冲突", {"$ref": _REF.format("Error")}),
    "415": ("不支持的请求内容类型", {"$ref": _REF.format("Error")}),
    "429": ("请求过于频繁，请按 Retry-After 头给出的秒数后再试", {"$ref": _REF.format("Error")}),
}
_DRF_DEFAULT_DESCRIPTION = (
    "No response body"  # what drf-spectacular writes for an OpenApiResponse() without one
)


def _response(code: str, declared: dict | None = None) -> dict:
    description, schema = _RESPONSES[code]
    if declared and declared.get("description") not in (None, "", _DRF_DEFAULT_DESCRIPTION):
        description = declared["description"]
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def add_error_responses(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR)
    schemas.setdefault("ValidationError", VALIDATION_ERROR)
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "put", "patch", "post", "delete", "head", "options", "trace"}:
                continue
            parameters = operation.get("parameters", [])
            has_body = "requestBody" in operation
            codes = []
            # Writes go through the services, which refuse (400, naming the field) what the state forbids,
            # even on actions that take no body.
            if (
                has_body
                or method in {"post", "put", "patch", "delete"}
                or any(p.get("in") == "query" for p in parameters)
            ):
                codes.append("400")
            if {} not in operation.get("security", [{}]):  # `{}` among the schemes: anonymous allowed
                codes += ["401", "403"]
            if any(p.get("in") == "path" for p in parameters) or any(
                p.get("in") == "query" and p.get("name") == "page" for p in parameters
            ):
                codes.append("404")
            if has_body:
                codes.append("415")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, _response(code))
            for code, declared in responses.items():
                if code in _RESPONSES and "content" not in declared:
                    responses[code] = _response(code, declared)
    return result
