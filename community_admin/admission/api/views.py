import hashlib
import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from community_admin.accounts import scoping
from community_admin.admission import selectors, services
from community_admin.admission.api.serializers import (
    ServiceItemOutputSerializer,
    TaskInputSerializer,
    TaskOutputSerializer,
)
from community_admin.admission.api.throttling import DepartmentTokenThrottle
from community_admin.admission.models import ServiceItem, Task

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 100
ERR_IDEMPOTENCY_MISSING = (
    "缺少请求头 Idempotency-Key：每个 POST 请求须带一个由调用方生成的唯一键（如 UUID），重试时原样重发。"
)
ERR_IDEMPOTENCY_TOO_LONG = f"Idempotency-Key 不能超过 {IDEMPOTENCY_KEY_MAX} 个字符。"

SUBMIT_DESCRIPTION = """
部门通过本接口向社区居委会派发任务。系统按**社区公共服务事项准入清单**当场作出结论：

* **准入（201）**：事项在清单上、已准入且生效，属于“依法履行职责事项”或“依法协助政府工作事项”，并且随任务拨付的经费
  不少于 `事项每单位经费 × quantity × 社区数`（费随事转）。系统为每个目标社区生成待办任务和经费明细（经费按社区平均分配，
  精确到分）。
* **拒绝（422）**：事项不在清单上、属于“不应由社区承担的事项”、尚未准入或已撤销、准入尚未生效、或经费不足。响应中的
  `refusal_reason` 与 `refusal_detail` 说明原因；拒绝同样被记录，可在列表中查到。
* 目标社区或街道代码未知（包括不在本部门服务街道内的社区）时也返回 422，字段 `committees` / `street` 说明。
* 请求体格式错误（缺字段、类型不对、经费为负数或超过两位小数）返回 400，并指明字段。

**幂等（必需）**：每个 POST 请求须带请求头 `Idempotency-Key`（调用方生成的唯一值，如 UUID，不超过 100 个字符）。
网络超时后用同一个键、同一请求体重试，得到与第一次完全相同的结论，不会重复派发；同一个键配另一请求体返回 422；
缺少该请求头返回 400。响应头 `Idempotent-Replayed: true` 表示这是重放的结论。

**限流**：每个令牌每分钟的请求数有上限（默认 120），超出返回 429，`Retry-After` 头给出等待秒数。

**认证**：请求头 `Authorization: Token <令牌>`，令牌由区民政局在“API 令牌”页面创建，需含权限范围 `tasks:submit`。
""".strip()

SUBMIT_EXAMPLE = {
    "service_item": "MZ01",
    "title": "2026 年第二季度低保对象入户复核",
    "description": "请于期限前完成辖区低保户入户复核并在系统中报告完成情况。",
    "committees": ["0101", "0102"],
    "due_date": "2026-06-30",
    "quantity": 40,
    "funding": "2400.00",
}


class TaskViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Tasks pushed onto committees: a department submits them and reads its own; the bureau, streets and
    committees read those aimed at the committees they see."""

    required_permission = {"list": "tasks.view", "retrieve": "tasks.view", "create": "tasks.submit"}
    queryset = Task.objects.none()
    serializer_class = TaskOutputSerializer
    throttle_classes = [DepartmentTokenThrottle]
    filterset_fields = ["decision", "refusal_reason", "service_item_code", "due_date"]
    search_fields = ["title", "service_item_code"]
    ordering_fields = ["submitted_at", "due_date"]

    def get_queryset(self):
        return selectors.task_list_detailed(self.request.user).order_by("-submitted_at", "-id")

    def get_object(self):
        obj = scoping.get_in_scope_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj

    @extend_schema(
        summary="派发任务（准入或拒绝）",
        description=SUBMIT_DESCRIPTION,
        request=TaskInputSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="调用方生成的唯一键（如 UUID）；重试时原样重发。",
            )
        ],
        responses={
            201: OpenApiResponse(TaskOutputSerializer, description="准入：已为各社区生成任务与经费明细"),
            422: OpenApiResponse(
                TaskOutputSerializer,
                description="拒绝（附原因），或社区/街道代码未知，或幂等键已用于另一请求",
            ),
            400: OpenApiResponse(description="请求体格式错误或缺少 Idempotency-Key"),
            429: OpenApiResponse(description="超出本令牌的请求频率"),
        },
        examples=[
            OpenApiExample("按社区派发", value=SUBMIT_EXAMPLE, request_only=True),
            OpenApiExample(
                "整个街道派发",
                value={**{k: v for k, v in SUBMIT_EXAMPLE.items() if k != "committees"}, "street": "01"},
                request_only=True,
            ),
            OpenApiExample(
                "拒绝：经费不足",
                status_codes=["422"],
                response_only=True,
                value={
                    "decision": "refused",
                    "refusal_reason": "underfunded",
                    "refusal_detail": "随事转经费不足：40 户 × 30.00 元 × 2 个社区 = 2400.00 元，实际提供 1000.00 元。",
                },
            ),
            OpenApiExample(
                "拒绝：不应由社区承担",
                status_codes=["422"],
                response_only=True,
                value={
                    "decision": "refused",
                    "refusal_reason": "excluded",
                    "refusal_detail": "事项“经济普查”属于不应由社区承担的事项，应由区统计局自行办理。",
                },
            ),
        ],
    )
    def create(self, request, *args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key:
            raise ValidationError({"idempotency_key": [ERR_IDEMPOTENCY_MISSING]})
        if len(key) > IDEMPOTENCY_KEY_MAX:
            raise ValidationError({"idempotency_key": [ERR_IDEMPOTENCY_TOO_LONG]})
        serializer = TaskInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            outcome = services.task_submit_idempotent(
                actor=request.user,
                idempotency_key=key,
                fingerprint=_fingerprint(data),
                service_item_code=data["service_item"],
                title=data["title"],
                description=data["description"],
                due_date=data["due_date"],
                quantity=data["quantity"],
                funding=data["funding"],
                committee_codes=data.get("committees"),
                street_code=data.get("street"),
            )
        except services.IdempotencyConflict as exc:
            return Response(exc.message_dict, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        if outcome.task is not None:
            body = TaskOutputSerializer(self.get_queryset().get(pk=outcome.task.pk)).data
        else:
            body = outcome.errors
        response = Response(body, status=outcome.status_code)
        response["Idempotent-Replayed"] = "true" if outcome.replayed else "false"
        return response


def _fingerprint(data: dict) -> str:
    """The same request body, whatever its spacing, key order or number spelling, gives the same digest."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class ServiceItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The district's admission list: look up an item's code, list, status, unit and rate before submitting."""

    required_permission = "tasks.catalogue.view"
    queryset = ServiceItem.objects.none()
    serializer_class = ServiceItemOutputSerializer
    throttle_classes = [DepartmentTokenThrottle]
    filterset_fields = ["code", "area", "category", "status"]
    search_fields = ["name", "code"]
    ordering_fields = ["code", "area", "unit_rate"]

    def get_queryset(self):
        return selectors.service_item_list()

    def get_object(self):
        obj = scoping.get_in_scope_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj
