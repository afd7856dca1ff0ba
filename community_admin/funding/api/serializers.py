from decimal import Decimal

from rest_framework import serializers

from community_admin.admission.models import Task
from community_admin.funding.models import (
    Allocation,
    AllocationRun,
    Category,
    Disbursement,
    Expenditure,
    FundingPolicy,
)

MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0")}


class PolicyOutputSerializer(serializers.ModelSerializer):
    typical_costs = serializers.SerializerMethodField()
    typical_total = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = FundingPolicy
        fields = [
            "id",
            "year",
            "version",
            "name",
            "source",
            "adopted",
            "base_households",
            "base_amount",
            "per_household_beyond",
            "village_converted_pool",
            "large_centre_m2",
            "large_centre_extra",
            "delay_days",
            "typical_costs",
            "typical_total",
        ]

    def get_typical_costs(self, obj) -> dict[str, str]:
        return {c.category: str(c.typical_amount) for c in obj.categories.all()}


class PolicyInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    name = serializers.CharField(max_length=100)
    source = serializers.CharField(max_length=300)
    base_amount = serializers.DecimalField(**MONEY)
    per_household_beyond = serializers.DecimalField(**MONEY)
    village_converted_pool = serializers.DecimalField(**MONEY)
    large_centre_extra = serializers.DecimalField(**MONEY)
    base_households = serializers.IntegerField(min_value=1, default=1000)
    large_centre_m2 = serializers.DecimalField(
        max_digits=8, decimal_places=1, min_value=Decimal("0"), default=Decimal("1000")
    )
    delay_days = serializers.IntegerField(min_value=1, max_value=365, default=30)
    typical_costs = serializers.DictField(child=serializers.DecimalField(**MONEY))
    adopt = serializers.BooleanField(default=False)


class RunOutputSerializer(serializers.ModelSerializer):
    per_household = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = AllocationRun
        fields = [
            "id",
            "year",
            "policy",
            "status",
            "committees",
            "households",
            "total",
            "per_household",
            "computed_at",
            "closed_at",
        ]


class RunInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class SendInputSerializer(serializers.Serializer):
    sent_on = serializers.DateField()


class AllocationOutputSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="run.year")
    committee_code = serializers.CharField(source="committee.code")
    committee_name = serializers.CharField(source="committee.name")
    household_source_display = serializers.CharField(
        source="get_household_source_display", help_text="户数来源：人口登记（测算时已确认完整）或在册数"
    )

    class Meta:
        model = Allocation
        fields = [
            "id",
            "year",
            "committee",
            "committee_code",
            "committee_name",
            "households",
            "household_source",
            "household_source_display",
            "village_converted",
            "large_centre",
            "base",
            "beyond",
            "village_extra",
            "centre_extra",
            "amount",
        ]


class DisbursementOutputSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="allocation.run.year")
    committee_code = serializers.CharField(source="allocation.committee.code")

    class Meta:
        model = Disbursement
        fields = [
            "id",
            "year",
            "committee_code",
            "amount",
            "sent_on",
            "passed_on",
            "passed_amount",
            "received_on",
            "received_amount",
        ]


class PassOnInputSerializer(serializers.Serializer):
    passed_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY)


class ConfirmInputSerializer(serializers.Serializer):
    received_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY)


class ExpenditureOutputSerializer(serializers.ModelSerializer):
    committee_code = serializers.CharField(source="committee.code")

    class Meta:
        model = Expenditure
        fields = [
            "id",
            "committee_code",
            "year",
            "spent_on",
            "category",
            "amount",
            "description",
            "task",
            "receipt_content_type",
        ]


class ExpenditureInputSerializer(serializers.Serializer):
    spent_on = serializers.DateField()
    category = serializers.ChoiceField(choices=Category.choices)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    description = serializers.CharField(max_length=200)
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.all(), required=False, allow_null=True)
    receipt = serializers.FileField()


class FlagOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    committee_code = serializers.CharField(source="committee.code")
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    detail = serializers.CharField()
