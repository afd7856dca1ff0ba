from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community_admin.admission.models import ServiceItem, Task, TaskAssignment, TaskFundingLine


class ServiceItemOutputSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    co_departments = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="协办部门：也可据此事项派发任务"
    )
    area_display = serializers.CharField(source="get_area_display", read_only=True)
    category_display = serializers.CharField(source="get_category_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "code",
            "name",
            "area",
            "area_display",
            "category",
            "category_display",
            "department",
            "department_name",
            "co_departments",
            "legal_basis",
            "source_document",
            "effective_from",
            "unit",
            "unit_rate",
            "status",
            "status_display",
        ]


class TaskInputSerializer(serializers.Serializer):
    service_item = serializers.CharField(max_length=40, help_text="准入清单事项编号，如 MZ01")
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    committees = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        allow_empty=False,
        max_length=500,
        help_text="目标社区代码（与 street 二选一）",
    )
    street = serializers.CharField(required=False, max_length=20, help_text="整个街道派发时的街道代码")
    due_date = serializers.DateField(help_text="完成期限（YYYY-MM-DD）")
    quantity = serializers.IntegerField(
        min_value=1, max_value=1_000_000, help_text="每个社区的工作量（按事项单位计）"
    )
    funding = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text="随任务拨付的经费总额（元，两位小数），按社区平均分配",
    )


class AssignmentOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = TaskAssignment
        fields = [
            "committee",
            "status",
            "overdue",
            "completed_at",
            "report",
            "refusal_reason",
            "refusal_requested_at",
            "refusal_request_reason",
            "refusal_request_decision",
            "refusal_request_decided_at",
            "refusal_request_note",
        ]


class FundingLineOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    withdrawn = serializers.SerializerMethodField()

    class Meta:
        model = TaskFundingLine
        fields = ["committee", "year", "amount", "withdrawn"]

    def get_withdrawn(self, line: TaskFundingLine) -> bool:
        return line.withdrawn_at is not None


class TaskOutputSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_item = serializers.CharField(source="service_item_code", read_only=True)
    service_item_name = serializers.SerializerMethodField()
    street = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    committees = serializers.SerializerMethodField()
    assignments = AssignmentOutputSerializer(many=True, read_only=True)
    funding_lines = FundingLineOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "decision",
            "refusal_reason",
            "refusal_detail",
            "department",
            "service_item",
            "service_item_name",
            "title",
            "description",
            "street",
            "committees",
            "due_date",
            "quantity",
            "unit_rate",
            "required_funding",
            "funding",
            "submitted_at",
            "assignments",
            "funding_lines",
        ]

    def get_service_item_name(self, task: Task) -> str | None:
        return task.service_item.name if task.service_item else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_committees(self, task: Task) -> list[str]:
        return sorted(c.code for c in task.committees.all())
