from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from community_admin.org.models import Committee, HouseholdSource, Street


class StreetOutputSerializer(serializers.ModelSerializer):
    committee_count = serializers.IntegerField(read_only=True)
    village_converted_count = serializers.IntegerField(read_only=True)
    households = serializers.SerializerMethodField()
    population = serializers.SerializerMethodField()
    floating = serializers.SerializerMethodField()

    class Meta:
        model = Street
        fields = [
            "id",
            "code",
            "name",
            "committee_count",
            "village_converted_count",
            "households",
            "population",
            "floating",
        ]

    def _total(self, street, field: str) -> int:
        totals = self.context["totals"].get(street.pk)
        return getattr(totals, field) if totals else 0

    def get_households(self, street) -> int:
        return self._total(street, "households")

    def get_population(self, street) -> int:
        return self._total(street, "population")

    def get_floating(self, street) -> int:
        return self._total(street, "floating")


class OfficeAreaCheckSerializer(serializers.Serializer):
    norm_code = serializers.CharField()
    norm_name = serializers.CharField()
    required_m2 = serializers.DecimalField(max_digits=10, decimal_places=1)
    actual_m2 = serializers.DecimalField(max_digits=10, decimal_places=1)
    compliant = serializers.BooleanField()
    shortfall_m2 = serializers.DecimalField(max_digits=10, decimal_places=1)


class CommitteeNormsSerializer(serializers.Serializer):
    households = serializers.IntegerField()
    population = serializers.IntegerField()
    floating = serializers.IntegerField()
    source = serializers.ChoiceField(
        choices=HouseholdSource.choices,
        help_text="registry：人口登记（街道已确认完整）；recorded：在册数（人口登记尚未确认完整）",
    )
    source_display = serializers.CharField(source="source_label", help_text="户数来源（中文）")
    registry_households = serializers.IntegerField(help_text="人口登记中的户数（无论是否确认完整）")
    recorded_households = serializers.IntegerField(help_text="在册户数")
    members_required = serializers.IntegerField()
    social_workers_required = serializers.IntegerField()
    office = OfficeAreaCheckSerializer(allow_null=True)
    office_alternatives = OfficeAreaCheckSerializer(many=True)


class CommitteeOutputSerializer(serializers.ModelSerializer):
    street = serializers.SlugRelatedField(slug_field="code", read_only=True)
    street_name = serializers.CharField(source="street.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    norms = serializers.SerializerMethodField()
    registry_complete = serializers.BooleanField(
        read_only=True, help_text="街道办事处（或区民政局）已确认人口登记完整：配置标准和经费按人口登记计算"
    )
    registry_complete_by = serializers.SerializerMethodField()

    class Meta:
        model = Committee
        fields = [
            "id",
            "code",
            "name",
            "street",
            "street_name",
            "kind",
            "kind_display",
            "village_converted",
            "village_converted_on",
            "party_organisation",
            "office_area_m2",
            "registry_complete",
            "registry_complete_at",
            "registry_complete_by",
            "norms",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="确认人（姓名）"))
    def get_registry_complete_by(self, committee: Committee) -> str | None:
        who = committee.registry_complete_by
        return who.display_name if who else None

    @extend_schema_field(CommitteeNormsSerializer)
    def get_norms(self, committee: Committee) -> dict:
        return CommitteeNormsSerializer(self.context["figures"][committee.pk]).data


class _RequiredBooleanField(serializers.BooleanField):
    default_empty_html = serializers.empty  # a form body without the field is "required", never false


class RegistryMarkInputSerializer(serializers.Serializer):
    complete = _RequiredBooleanField(help_text="true：确认人口登记完整；false：撤回确认")


class _KindsSerializer(serializers.Serializer):
    residential = serializers.IntegerField()
    unit = serializers.IntegerField()
    mixed = serializers.IntegerField()


class _SourcesSerializer(serializers.Serializer):
    registry = serializers.IntegerField(help_text="按人口登记计算的社区数（人口登记已确认完整）")
    recorded = serializers.IntegerField(help_text="按在册数计算的社区数（人口登记尚未确认完整）")


class _CentresSerializer(serializers.Serializer):
    street = serializers.IntegerField()
    committee = serializers.IntegerField()
    over_1000m2 = serializers.IntegerField()
    over_500m2 = serializers.IntegerField()
    boutique = serializers.IntegerField()
    demonstration = serializers.IntegerField()


class _OfficeSerializer(serializers.Serializer):
    compliant = serializers.IntegerField()
    short = serializers.IntegerField()
    norm = serializers.CharField(allow_null=True)


class _StaffingNormsSerializer(serializers.Serializer):
    members_required = serializers.IntegerField()
    social_workers_required = serializers.IntegerField()


class _StreetRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    residential = serializers.IntegerField()
    unit = serializers.IntegerField()
    mixed = serializers.IntegerField()
    households = serializers.IntegerField()
    population = serializers.IntegerField()
    floating = serializers.IntegerField()
    office_short = serializers.IntegerField()
    certificates_issued = serializers.IntegerField(help_text="近十二个月出具证明（不含作废）")
    certificates_refused = serializers.IntegerField(help_text="近十二个月不予出具并告知")
    service_index = serializers.DecimalField(max_digits=4, decimal_places=1, required=False)
    service_share = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True, required=False)


class _WorkersSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    members = serializers.IntegerField()
    social_workers = serializers.IntegerField()
    both = serializers.IntegerField()
    college_or_above = serializers.IntegerField()
    seconded = serializers.IntegerField()


class _StaffingSerializer(serializers.Serializer):
    members_required = serializers.IntegerField()
    members_present = serializers.IntegerField()
    members_gap = serializers.IntegerField()
    social_workers_required = serializers.IntegerField()
    social_workers_present = serializers.IntegerField()
    social_workers_gap = serializers.IntegerField()
    committees_short = serializers.IntegerField()


class _ServiceItemsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    duty = serializers.IntegerField()
    assist = serializers.IntegerField()
    excluded = serializers.IntegerField()
    pending = serializers.IntegerField()
    overdue_decisions = serializers.IntegerField()


class _TasksSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    received = serializers.IntegerField()
    admitted = serializers.IntegerField()
    refused = serializers.IntegerField()
    overdue = serializers.IntegerField()
    affairs = serializers.IntegerField()
    funding = serializers.DecimalField(max_digits=14, decimal_places=2)


class _FundingSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    per_household = serializers.DecimalField(max_digits=10, decimal_places=2)
    household_sources = _SourcesSerializer(help_text="测算快照的户数来源：各有多少个社区")
    flags = serializers.DictField(
        child=serializers.IntegerField(), help_text="各类资金预警数；shortfall：经费低于典型年支出的社区数"
    )


class _TiersSerializer(serializers.Serializer):
    A = serializers.IntegerField()
    B = serializers.IntegerField()
    C = serializers.IntegerField()


class _CertificatesSerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    issued = _TiersSerializer(help_text="按档出具（不含作废）")
    refused = _TiersSerializer(help_text="按档不予出具并告知")
    voided = serializers.IntegerField()


class _LedgerSerializer(serializers.Serializer):
    categories = serializers.IntegerField()
    books = serializers.IntegerField()
    manual_books = serializers.IntegerField()
    derived_books = serializers.IntegerField(help_text="由人口库自动生成的台账本数")
    since = serializers.DateField()
    until = serializers.DateField()
    entries = serializers.IntegerField(help_text="期间内手工登记的台账条目")
    manual_books_in_use = serializers.IntegerField()


class _EvaluationsSerializer(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    threshold = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    evaluated = serializers.IntegerField()
    below_threshold = serializers.IntegerField()
    accountability_open = serializers.IntegerField()


class _ServicesSerializer(serializers.Serializer):
    since = serializers.DateField()
    until = serializers.DateField()
    visits = serializers.IntegerField()
    households_reached = serializers.IntegerField()
    reach_share = serializers.DecimalField(max_digits=4, decimal_places=2)
    activities = serializers.IntegerField()
    participants = serializers.IntegerField()
    volunteer_hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    organisations_supported = serializers.IntegerField()
    service_index = serializers.DecimalField(max_digits=4, decimal_places=1, help_text="服务指数（0–100）")
    service_hours = serializers.DecimalField(max_digits=12, decimal_places=2)
    admin_hours = serializers.DecimalField(max_digits=12, decimal_places=2)
    service_share = serializers.DecimalField(
        max_digits=4, decimal_places=3, allow_null=True, help_text="服务居民时间占比；无行政事务来源时为空"
    )
    admin = serializers.DictField(child=serializers.IntegerField(), help_text="各行政事务来源的件数")
    committees_flagged = serializers.IntegerField(help_text="“一多三少”社区数")


class DashboardSerializer(serializers.Serializer):
    """Documents the dashboard's shape (DESIGN.md section 3); the figures are computed by dashboards.selectors."""

    computed_at = serializers.DateTimeField(help_text="计算时间（看板数据缓存 DASHBOARD_CACHE_SECONDS 秒）")
    streets = serializers.IntegerField()
    committees = serializers.IntegerField()
    committees_by_kind = _KindsSerializer()
    village_converted = serializers.IntegerField()
    households = serializers.IntegerField()
    household_sources = _SourcesSerializer(help_text="户数、人口和配置标准的来源：各有多少个社区")
    resident_population = serializers.IntegerField()
    floating_population = serializers.IntegerField()
    service_centres = _CentresSerializer()
    office_space = _OfficeSerializer()
    staffing_norms = _StaffingNormsSerializer()
    by_street = _StreetRowSerializer(many=True)
    workers = _WorkersSerializer()
    staffing = _StaffingSerializer()
    secondments = serializers.DictField(child=serializers.IntegerField(), help_text="按状态统计的借调数")
    resignations_last_year = serializers.IntegerField()
    service_items = _ServiceItemsSerializer()
    tasks = _TasksSerializer()
    funding = _FundingSerializer()
    certificate_types = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="白名单各档类型数：A 直接出具，B 凭证明出具，C 不予出具并告知",
    )
    certificates = _CertificatesSerializer(help_text="近十二个月")
    ledger = _LedgerSerializer()
    evaluations = _EvaluationsSerializer(help_text="最近一次德能勤绩廉测评")
    services = _ServicesSerializer(help_text="近十二个月服务居民与行政事务的平衡")
