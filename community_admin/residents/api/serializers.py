from rest_framework import serializers

from community_admin.core import idnumbers, reveals
from community_admin.residents import selectors
from community_admin.residents.models import ACTIVE_STATUS_CHOICES, Household, Person


class HouseholdOutputSerializer(serializers.ModelSerializer):
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    address = serializers.CharField(read_only=True)

    class Meta:
        model = Household
        fields = ["id", "committee", "number", "building", "unit", "room", "address", "housing_type", "kind"]


class HouseholdInputSerializer(serializers.Serializer):
    committee = serializers.CharField(required=False, help_text="社区代码；社区工作人员可省略（默认本社区）")
    number = serializers.CharField(max_length=30)
    building = serializers.CharField(max_length=50)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    room = serializers.CharField(max_length=20)
    housing_type = serializers.ChoiceField(choices=Household.HousingType.choices)
    kind = serializers.ChoiceField(choices=Household.Kind.choices, default=Household.Kind.REGISTERED)


class HouseholdUpdateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=30, required=False)
    building = serializers.CharField(max_length=50, required=False)
    unit = serializers.CharField(max_length=20, required=False, allow_blank=True)
    room = serializers.CharField(max_length=20, required=False)
    housing_type = serializers.ChoiceField(choices=Household.HousingType.choices, required=False)
    kind = serializers.ChoiceField(choices=Household.Kind.choices, required=False)


class PersonOutputSerializer(serializers.ModelSerializer):
    """The ID number is always masked here; the full number only comes from the audited reveal action."""

    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    committee = serializers.SlugRelatedField(slug_field="code", read_only=True)
    household_number = serializers.CharField(source="household.number", read_only=True)
    address = serializers.CharField(source="household.address", read_only=True)
    disability_certificate = serializers.CharField(
        source="disability_certificate_masked",
        required=False,  # absent for the roles that may not see it (read_only would make it required in the schema)
        help_text="仅对区民政局、街道、社区显示；其中的公民身份号码已遮盖，完整号码只能通过 reveal-id 查看",
    )
    residence_permit_number = serializers.CharField(
        source="residence_permit_number_masked", read_only=True, help_text="其中的公民身份号码已遮盖"
    )
    disability_level = serializers.IntegerField(
        required=False, allow_null=True, help_text="仅对区民政局、街道、社区显示"
    )
    minimum_allowance = serializers.BooleanField(required=False, help_text="仅对区民政局、街道、社区显示")

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "id_number",
            "sex",
            "birth_date",
            "relationship",
            "phone",
            "status",
            "committee",
            "household",
            "household_number",
            "address",
            "residence_permit_number",
            "residence_permit_issued_on",
            "residence_permit_valid_until",
            "veteran",
            "party_member",
            "registered_unemployed",
            "marital_status",
            "disability_certificate",
            "disability_level",
            "minimum_allowance",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not selectors.can_see_sensitive(self.context["request"].user):
            for field in selectors.SENSITIVE_FIELDS:
                data.pop(field, None)
        return data


WRITERS_OF_SENSITIVE = "仅区民政局、街道、社区可填写；其他账户填写（登记时非空、修改时出现）将被拒绝（400）"


class _PersonFields(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    id_number = serializers.CharField(max_length=40)
    relationship = serializers.ChoiceField(choices=Person.Relationship.choices)
    status = serializers.ChoiceField(
        choices=ACTIVE_STATUS_CHOICES,
        default=Person.Status.REGISTERED,
    )
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    residence_permit_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    # Only the roles that read these may write them; any other account naming one gets a 400 naming it.
    disability_certificate = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default="", help_text=WRITERS_OF_SENSITIVE
    )
    disability_level = serializers.IntegerField(
        min_value=1,
        max_value=4,
        required=False,
        allow_null=True,
        default=None,
        help_text=WRITERS_OF_SENSITIVE,
    )
    minimum_allowance = serializers.BooleanField(
        required=False, default=False, help_text=WRITERS_OF_SENSITIVE
    )
    veteran = serializers.BooleanField(required=False, default=False)
    party_member = serializers.BooleanField(required=False, default=False)
    registered_unemployed = serializers.BooleanField(required=False, default=False)
    marital_status = serializers.ChoiceField(choices=Person.Marital.choices, required=False, default="")


class PersonInputSerializer(_PersonFields):
    household = serializers.IntegerField(help_text="户的编号（id），须在调用者的范围内")
    moved_in_on = serializers.DateField(required=False, help_text="从区外迁入的日期；不填则为登记")


class PersonUpdateSerializer(_PersonFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
            field.default = serializers.empty


class RevealOutputSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    disability_certificate = serializers.CharField(
        required=False, help_text="完整残疾证号（其中含公民身份号码）；仅当有证且调用者可见残疾信息时返回"
    )
    residence_permit_number = serializers.CharField(
        required=False, help_text="完整居住证号码；仅当有证时返回"
    )


class RevealInputSerializer(serializers.Serializer):
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


class EventInputSerializer(serializers.Serializer):
    happened_on = serializers.DateField()
    destination = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class FloatingMoveOutInputSerializer(serializers.Serializer):
    happened_on = serializers.DateField(help_text="迁出日期（不晚于今天）")
    destination = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="迁往地址（如知道），自由填写"
    )
    to_committee = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        default="",
        help_text="迁往本区的社区代码（如知道）；区外或不详则不填",
    )
    reason = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="迁出原因（可不填）"
    )


class ResidencePermitInputSerializer(serializers.Serializer):
    residence_permit_number = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        default="",
        help_text="居住证号码（数字、字母、连字符，6–30 位）；已有号码且未换证时可不填",
    )
    residence_permit_issued_on = serializers.DateField(help_text="签发日期（不晚于今天）")
    residence_permit_valid_until = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="有效期至（须晚于签发日期）；长期有效不填"
    )


class TransferInputSerializer(serializers.Serializer):
    to_household = serializers.IntegerField()
    happened_on = serializers.DateField()


class IdNumberSearchSerializer(serializers.Serializer):
    """The full number in the body of a POST, never in a URL (core.middleware.IdNumberInUrlMiddleware)."""

    id_number = serializers.CharField(max_length=40)

    def validate_id_number(self, value):
        try:
            return idnumbers.parse(value, allow_legacy=True).value
        except idnumbers.InvalidIdNumber as exc:
            raise serializers.ValidationError(str(exc)) from exc
