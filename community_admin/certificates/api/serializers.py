from rest_framework import serializers

from community_admin.certificates.models import Certificate, CertificateType, NationalProhibition, Refusal
from community_admin.certificates.selectors import GROUPINGS


class ProhibitionOutputSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.document_number", read_only=True)

    class Meta:
        model = NationalProhibition
        fields = ["id", "name", "refer_to", "source"]


class CertificateTypeOutputSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source.title", read_only=True)
    conflicts = ProhibitionOutputSerializer(many=True, read_only=True)
    adopted_prohibition = serializers.CharField(
        source="adopted_prohibition.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = CertificateType
        fields = [
            "id",
            "code",
            "name",
            "tier",
            "active",
            "refer_to",
            "referral_domain",
            "required_evidence",
            "named_in_report",
            "source",
            "effective_from",
            "conflicts",
            "adopted_prohibition",
        ]


class CertificateOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    certificate_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    type_name = serializers.CharField(source="certificate_type.name", read_only=True)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "id",
            "serial",
            "committee",
            "certificate_type",
            "type_name",
            "tier",
            "person",
            "holder_name",
            "purpose",
            "issued_on",
            "status",
            "voided_at",
            "void_reason",
            "evidence",
        ]

    def get_evidence(self, obj) -> list[str]:
        return [e.requirement for e in obj.evidence.all()]


class RefusalOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    certificate_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    type_name = serializers.CharField(source="certificate_type.name", read_only=True)

    class Meta:
        model = Refusal
        fields = [
            "id",
            "committee",
            "certificate_type",
            "type_name",
            "person",
            "referred_to",
            "referral_domain",
            "purpose",
            "refused_on",
        ]


class ReferralSerializer(serializers.Serializer):
    """The answer to a tier-C request (HTTP 422): refused, and where to go instead."""

    detail = serializers.CharField()
    refusal = RefusalOutputSerializer()
    referred_to = serializers.CharField()
    referral_slip = serializers.CharField(help_text="告知单 PDF 的地址")


class IssueInputSerializer(serializers.Serializer):
    """JSON or multipart. Evidence files go in multipart fields `evidence_<n>`, n the position (from 0) of the
    item in the type's `required_evidence`."""

    person = serializers.IntegerField(help_text="人员编号（id），须为本社区在册居民")
    certificate_type = serializers.SlugField(help_text="证明类型代码")
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class VoidInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class VerifyInputSerializer(serializers.Serializer):
    serial = serializers.CharField(max_length=60)
    code = serializers.CharField(max_length=32)


class VerifyOutputSerializer(serializers.Serializer):
    found = serializers.BooleanField()
    valid = serializers.BooleanField()
    status = serializers.CharField(allow_blank=True)
    type_name = serializers.CharField(allow_blank=True)
    committee_name = serializers.CharField(allow_blank=True)
    issued_on = serializers.DateField(allow_null=True)
    masked_name = serializers.CharField(allow_blank=True)


class StatisticsQuerySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=GROUPINGS, default="tier")
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)


class StatRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    issued = serializers.IntegerField()
    voided = serializers.IntegerField()
    refused = serializers.IntegerField()
