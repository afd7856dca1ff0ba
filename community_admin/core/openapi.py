"""The API's error answers, declared once for every operation of the schema (a drf-spectacular post-processing
hook, SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) rather than on each view:

- 400 on writes and on operations that take query parameters: DRF's validation errors, field -> messages;
- 401 and 403 on operations that need credentials: no or bad credentials; a permission the role lacks;
- 404 on operations with a path id (missing and out of scope answer the same) or a page number;
- 415 on operations that take a body: a content type the operation does not parse.

A view that declares one of these codes itself (with its own description or body) keeps its declaration."""

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
    "description": "按字段列出的错误信息（字段名 → 错误列表），或 `detail` / `non_field_errors`",
    "oneOf": [
        {"type": "object", "additionalProperties": True},
        {"type": "array", "items": {}},
    ],
}

_RESPONSES = {
    "400": ("输入有误：按字段列出错误，什么也没有写入", "ValidationError"),
    "401": ("未登录或令牌无效", "Error"),
    "403": ("无此操作的权限（或令牌缺少所需权限范围）", "Error"),
    "404": ("不存在或不在您的管辖范围内", "Error"),
    "415": ("不支持的请求内容类型", "Error"),
}


def _response(code: str) -> dict:
    description, component = _RESPONSES[code]
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


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
    return result
