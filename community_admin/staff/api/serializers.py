from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community_admin.accounts.api.views import WholeIdField
from community_admin.core import reveals
from community_admin.org.models import Committee, Department, Street
from community_admin.staff import yearly
from community_admin.staff.models import (
    OPINION_TEXT_MAX,
    SCORE_FIELDS,
    SECONDMENT_REASON_MAX,
    PayPolicy,
    Payroll,
    PayrollLine,
    Post,
    RetirementRule,
    RetirementRuleSet,
    Secondment,
    SecondmentOpinion,
    Worker,
)
from community_admin.staff.services import PAY_FIELDS, RULE_FIELDS


class WorkerOutputSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    posts = serializers.SerializerMethodField()

    class Meta:
        model = Worker
        fields = [
            "id",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "education",
            "hire_date",
            "committee",
            "status",
            "left_on",
            "posts",
        ]

    def get_posts(self, worker: Worker) -> list[str]:
        return sorted(p.post for p in worker.posts.all())


class WorkerInputSerializer(serializers.Serializer):
    committee = serializers.SlugRelatedField(slug_field="code", queryset=Committee.objects.none())
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=40)
    education = serializers.ChoiceField(choices=Worker.Education.choices)
    hire_date = serializers.DateField()
    posts = serializers.ListField(child=serializers.ChoiceField(choices=Post.choices), allow_empty=False)

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees if committees is not None else Committee.objects.none()


class WorkerRevealOutputSerializer(serializers.Serializer):
    id_number = serializers.CharField()


class WorkerRevealInputSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=reveals.REASON_MAX,
        help_text="查看原因（必填，记入审计日志）",
        error_messages={
            "required": reveals.ERR_REASON_REQUIRED,
            "blank": reveals.ERR_REASON_REQUIRED,
            "null": reveals.ERR_REASON_REQUIRED,
            "max_length": reveals.ERR_REASON_LONG.format(limit=reveals.REASON_MAX),
        },
    )


class StaffingRowSerializer(serializers.Serializer):
    committee = serializers.CharField(source="committee.code")
    committee_name = serializers.CharField(source="committee.name")
    street = serializers.CharField(source="committee.street.code")
    households = serializers.IntegerField()
    members_required = serializers.IntegerField()
    members_present = serializers.IntegerField()
    members_gap = serializers.IntegerField()
    social_workers_required = serializers.IntegerField()
    social_workers_present = serializers.IntegerField()
    seconded = serializers.IntegerField()
    social_workers_gap = serializers.IntegerField()


class StaffingTotalsSerializer(serializers.Serializer):
    street = serializers.CharField(source="street.code", allow_null=True, default=None)
    committees = serializers.IntegerField()
    members_required = serializers.IntegerField()
    members_present = serializers.IntegerField()
    members_gap = serializers.IntegerField()
    social_workers_required = serializers.IntegerField()
    social_workers_present = serializers.IntegerField()
    social_workers_gap = serializers.IntegerField()
    seconded = serializers.IntegerField()
    committees_short = serializers.IntegerField()


class StaffingSerializer(serializers.Serializer):
    total = StaffingTotalsSerializer()
    streets = StaffingTotalsSerializer(many=True)
    committees = StaffingRowSerializer(many=True)


class OpinionOutputSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = SecondmentOpinion
        fields = ["id", "side", "unit_name", "text", "has_file", "content_type", "created_at"]

    def get_has_file(self, opinion: SecondmentOpinion) -> bool:
        return bool(opinion.file)


class SecondmentOutputSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.name", read_only=True)
    committee = serializers.CharField(source="worker.committee.code", read_only=True)
    host_street = serializers.SlugRelatedField(slug_field="code", read_only=True)
    host_department = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    opinions = OpinionOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Secondment
        fields = [
            "id",
            "worker",
            "worker_name",
            "committee",
            "host_street",
            "host_department",
            "reason",
            "planned_start",
            "planned_end",
            "state",
            "approval_document",
            "approved_on",
            "filed_hr_reference",
            "filed_hr_at",
            "filed_civil_reference",
            "filed_civil_at",
            "started_on",
            "ended_on",
            "rejected_at",
            "rejected_reason",
            "rejected_in_state",
            "opinions",
        ]


class SecondmentInputSerializer(serializers.Serializer):
    worker = WholeIdField(queryset=Worker.objects.none())
    host_street = serializers.SlugRelatedField(
        slug_field="code", queryset=Street.objects.all(), required=False, allow_null=True
    )
    host_department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(max_length=SECONDMENT_REASON_MAX)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers if workers is not None else Worker.objects.none()


class OpinionInputSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=SecondmentOpinion.Side.choices)
    text = serializers.CharField(max_length=OPINION_TEXT_MAX, required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, allow_null=True, default=None)


class ApproveInputSerializer(serializers.Serializer):
    approval_document = serializers.CharField(max_length=100)
    approved_on = serializers.DateField()


class FileInputSerializer(serializers.Serializer):
    registry = serializers.ChoiceField(choices=[("hr", "区人社局"), ("civil", "区民政局")])
    reference = serializers.CharField(max_length=100)


class ActivateInputSerializer(serializers.Serializer):
    started_on = serializers.DateField()


class EndInputSerializer(serializers.Serializer):
    ended_on = serializers.DateField()


class RejectInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=SECONDMENT_REASON_MAX)


class PayrollLineSerializer(serializers.ModelSerializer):
    worker_name = serializers.CharField(source="worker.name")

    class Meta:
        model = PayrollLine
        fields = [
            "worker",
            "worker_name",
            "posts",
            "base",
            "position_allowance",
            "qualification_allowance",
            "honour",
            "floor_top_up",
            "gross",
            "employer_insurance",
            "below_floor",
        ]


class PayrollOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    policy_year = serializers.IntegerField(source="policy.year", read_only=True)
    policy_version = serializers.IntegerField(source="policy.version", read_only=True)
    policy_notices = serializers.SerializerMethodField()
    workers = serializers.IntegerField(read_only=True)
    gross = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, allow_null=True)
    below_floor = serializers.IntegerField(read_only=True)

    class Meta:
        model = Payroll
        fields = [
            "id",
            "committee",
            "year",
            "month",
            "workers",
            "gross",
            "below_floor",
            "policy_year",
            "policy_version",
            "policy_notices",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_policy_notices(self, payroll) -> list[str]:
        """Said when the payroll's year had no adopted policy of its own (the last before it was used), or
        when its policy was superseded after the payroll was computed."""
        return yearly.payroll_notices(payroll)


class PayrollDetailSerializer(PayrollOutputSerializer):
    lines = PayrollLineSerializer(many=True, read_only=True)

    class Meta(PayrollOutputSerializer.Meta):
        fields = [*PayrollOutputSerializer.Meta.fields, "lines"]


class PayrollComputeInputSerializer(serializers.Serializer):
    committee = serializers.SlugRelatedField(slug_field="code", queryset=Committee.objects.none())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)

    def __init__(self, *args, committees=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees if committees is not None else Committee.objects.none()


class ScoreInputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    worker = WholeIdField(queryset=Worker.objects.none())
    representative = serializers.CharField(max_length=50)
    morality = serializers.IntegerField(min_value=0, max_value=100)
    ability = serializers.IntegerField(min_value=0, max_value=100)
    diligence = serializers.IntegerField(min_value=0, max_value=100)
    performance = serializers.IntegerField(min_value=0, max_value=100)
    integrity = serializers.IntegerField(min_value=0, max_value=100)

    def __init__(self, *args, workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers if workers is not None else Worker.objects.none()

    def scores(self) -> dict[str, int]:
        return {n: self.validated_data[n] for n in SCORE_FIELDS}


class EvaluationResultSerializer(serializers.Serializer):
    worker = serializers.IntegerField(source="worker.pk")
    worker_name = serializers.CharField(source="worker.name")
    committee = serializers.CharField(source="worker.committee.code")
    representatives = serializers.IntegerField()
    dimensions = serializers.DictField(child=serializers.DecimalField(max_digits=5, decimal_places=2))
    average = serializers.DecimalField(max_digits=5, decimal_places=2)
    below_threshold = serializers.BooleanField()


class TurnoverRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    street = serializers.CharField(source="street.code", allow_null=True, default=None)
    resigned = serializers.IntegerField()
    retired = serializers.IntegerField()


class TurnoverSerializer(serializers.Serializer):
    last_twelve_months = serializers.IntegerField()
    totals = TurnoverRowSerializer(many=True)
    streets = TurnoverRowSerializer(many=True)


class RetirementDueSerializer(serializers.Serializer):
    worker = serializers.IntegerField(source="worker.pk")
    worker_name = serializers.CharField(source="worker.name")
    committee = serializers.CharField(source="worker.committee.code")
    sex = serializers.CharField(source="worker.sex")
    due_on = serializers.DateField()
    service_years = serializers.IntegerField()
    service_eligible = serializers.BooleanField()


class RetirementQuery(serializers.Serializer):
    months = serializers.IntegerField(
        required=False, default=12, min_value=1, max_value=120, help_text="未来几个月内到龄（1–120，默认 12）"
    )


# The yearly rules ----------------------------------------------------------------------------------------------

VERSION_FIELDS = [
    "id",
    "year",
    "version",
    "status",
    "status_display",
    "source_document",
    "note",
    "created_at",
    "adopted_at",
    "adopted_by_name",
    "superseded_at",
]


class _VersionOutputSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    adopted_by_name = serializers.SerializerMethodField()

    def get_adopted_by_name(self, version) -> str:
        return version.adopted_by.display_name if version.adopted_by else ""


class PayPolicyOutputSerializer(_VersionOutputSerializer):
    class Meta:
        model = PayPolicy
        fields = [*VERSION_FIELDS, *PAY_FIELDS]


def _money_field(**kwargs):
    return serializers.DecimalField(max_digits=10, decimal_places=2, **kwargs)


class PayPolicyUpdateInputSerializer(serializers.Serializer):
    """A draft's values; the amounts in yuan (base, insured and minimum wage above 0, allowances not negative,
    insured not below base: checked by the service, which names the field)."""

    base_monthly = _money_field()
    insured_monthly = _money_field()
    head_allowance = _money_field()
    deputy_allowance = _money_field()
    social_worker_allowance = _money_field()
    assistant_allowance = _money_field()
    honour_service_years = serializers.IntegerField()
    honour_amount = _money_field()
    minimum_wage = _money_field()
    source_document = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PayPolicyInputSerializer(PayPolicyUpdateInputSerializer):
    year = serializers.IntegerField(help_text="年度：2000 年至明年；每年度只能有一份草稿")


class RetirementRuleSerializer(serializers.ModelSerializer):
    sex_display = serializers.CharField(source="get_sex_display", read_only=True)

    class Meta:
        model = RetirementRule
        fields = ["sex", "sex_display", *RULE_FIELDS]


class RetirementRuleSetOutputSerializer(_VersionOutputSerializer):
    rules = RetirementRuleSerializer(many=True, read_only=True)

    class Meta:
        model = RetirementRuleSet
        fields = [*VERSION_FIELDS, "rules"]


class RetirementRulesUpdateInputSerializer(serializers.Serializer):
    """The men's rule (`male_…`) and the women's (`female_…`): the base age, the reform's first birth month
    and its step (one month of delay per so many months of birth), the maximum delay, the years of community
    work for the district's retirement arrangement."""

    male_name = serializers.CharField(max_length=100)
    male_base_age = serializers.IntegerField()
    male_reform_from = serializers.DateField(required=False, allow_null=True, default=None)
    male_birth_months_per_step = serializers.IntegerField(required=False, allow_null=True, default=None)
    male_max_delay_months = serializers.IntegerField(required=False, default=0)
    male_service_years = serializers.IntegerField()
    female_name = serializers.CharField(max_length=100)
    female_base_age = serializers.IntegerField()
    female_reform_from = serializers.DateField(required=False, allow_null=True, default=None)
    female_birth_months_per_step = serializers.IntegerField(required=False, allow_null=True, default=None)
    female_max_delay_months = serializers.IntegerField(required=False, default=0)
    female_service_years = serializers.IntegerField()
    source_document = serializers.CharField(max_length=300)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RetirementRulesInputSerializer(RetirementRulesUpdateInputSerializer):
    year = serializers.IntegerField(help_text="年度：2000 年至明年；每年度只能有一份草稿")
