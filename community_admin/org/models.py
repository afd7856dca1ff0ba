from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community_admin.core.models import TimeStampedModel


class Street(TimeStampedModel):
    code = models.CharField(_("街道代码"), max_length=20, unique=True)
    name = models.CharField(_("街道名称"), max_length=100, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("街道")
        verbose_name_plural = _("街道")

    def __str__(self) -> str:
        return self.name


class HouseholdSource(models.TextChoices):
    """Where a committee's households and population come from, for its norms and its funding."""

    REGISTRY = "registry", _("人口登记")
    RECORDED = "recorded", _("在册数")


class Committee(TimeStampedModel):
    class Kind(models.TextChoices):
        RESIDENTIAL = "residential", _("纯居型")
        UNIT = "unit", _("单位型（家委会）")
        MIXED = "mixed", _("混合型")

    code = models.CharField(_("社区代码"), max_length=20, unique=True)
    name = models.CharField(_("社区居委会名称"), max_length=100)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="committees", verbose_name=_("街道")
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.RESIDENTIAL)
    village_converted = models.BooleanField(_("村改居"), default=False)
    village_converted_on = models.DateField(_("村改居日期"), null=True, blank=True)
    party_organisation = models.CharField(_("社区党组织"), max_length=100)
    office_area_m2 = models.DecimalField(
        _("办公用房面积（平方米）"),
        max_digits=8,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    # The committee's figures on record (在册数): norms and funding use them until the street office (or the
    # bureau) confirms that the household registry holds all of the committee's residents.
    recorded_households = models.PositiveIntegerField(_("在册户数"), default=0)
    recorded_population = models.PositiveIntegerField(_("在册常住人口"), default=0)
    recorded_floating = models.PositiveIntegerField(_("在册流动人口"), default=0)
    registry_complete_at = models.DateTimeField(_("人口登记确认完整时间"), null=True, blank=True)
    registry_complete_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("人口登记确认人"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("社区居委会")
        verbose_name_plural = _("社区居委会")
        constraints = [
            models.UniqueConstraint(fields=["street", "name"], name="committee_name_unique_in_street"),
            models.CheckConstraint(
                condition=Q(village_converted=False, village_converted_on__isnull=True)
                | Q(village_converted=True, village_converted_on__isnull=False),
                name="committee_village_converted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(party_organisation=""), name="committee_has_party_organisation"
            ),
            models.CheckConstraint(
                condition=Q(registry_complete_at__isnull=True, registry_complete_by__isnull=True)
                | Q(registry_complete_at__isnull=False, registry_complete_by__isnull=False),
                name="committee_registry_complete_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def registry_complete(self) -> bool:
        """The street office (or the bureau) has confirmed that the registry holds all of the committee."""
        return self.registry_complete_at is not None

    @property
    def household_source(self) -> str:
        return HouseholdSource.REGISTRY if self.registry_complete else HouseholdSource.RECORDED

    def clean(self) -> None:
        if self.village_converted and not self.village_converted_on:
            raise ValidationError({"village_converted_on": _("村改居社区必须填写村改居日期。")})
        if not self.village_converted and self.village_converted_on:
            raise ValidationError({"village_converted_on": _("非村改居社区不应填写村改居日期。")})


class ServiceCentre(TimeStampedModel):
    class Level(models.TextChoices):
        STREET = "street", _("街道服务中心")
        COMMITTEE = "committee", _("社区服务中心")

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=20, choices=Level.choices)
    street = models.ForeignKey(
        Street, on_delete=models.PROTECT, related_name="service_centres", verbose_name=_("街道")
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="service_centres",
        verbose_name=_("社区"),
    )
    area_m2 = models.DecimalField(
        _("面积（平方米）"), max_digits=8, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    boutique = models.BooleanField(_("精品服务中心"), default=False)
    demonstration_passed = models.BooleanField(_("通过全市示范验收"), default=False)
    demonstration_year = models.PositiveSmallIntegerField(_("示范验收年份"), null=True, blank=True)

    class Meta:
        ordering = ["street__code", "level", "name"]
        verbose_name = _("服务中心")
        verbose_name_plural = _("服务中心")
        constraints = [
            models.CheckConstraint(
                condition=Q(level="street", committee__isnull=True)
                | Q(level="committee", committee__isnull=False),
                name="service_centre_level_matches_owner",
            ),
            models.CheckConstraint(
                condition=Q(demonstration_passed=False) | Q(boutique=True, demonstration_year__isnull=False),
                name="service_centre_demonstration_is_boutique_with_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.committee_id and self.street_id and self.committee.street_id != self.street_id:
            raise ValidationError({"committee": _("社区不属于所选街道。")})
        if self.demonstration_passed and not self.boutique:
            raise ValidationError({"demonstration_passed": _("只有精品服务中心才能通过示范验收。")})
        if self.demonstration_passed and not self.demonstration_year:
            raise ValidationError({"demonstration_year": _("请填写示范验收年份。")})


class Department(TimeStampedModel):
    class Kind(models.TextChoices):
        DISTRICT = "district", _("区直部门")
        POLICE = "police", _("派出所")
        OTHER = "other", _("其他单位")

    code = models.CharField(_("部门代码"), max_length=20, unique=True)
    name = models.CharField(_("部门名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    # A police station serves some streets; a district department with none listed serves the whole district.
    streets = models.ManyToManyField(
        Street, blank=True, related_name="departments", verbose_name=_("服务街道")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self) -> str:
        return self.name


class Honour(TimeStampedModel):
    """An honour held by the district (no street, no committee), a street or a committee."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")

    title = models.CharField(_("荣誉称号"), max_length=200)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    awarded_by = models.CharField(_("授予单位"), max_length=100, blank=True)
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
        verbose_name=_("街道"),
    )
    committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="honours",
        verbose_name=_("社区"),
    )

    class Meta:
        ordering = ["-year", "level"]
        verbose_name = _("荣誉")
        verbose_name_plural = _("荣誉")
        constraints = [
            models.CheckConstraint(
                condition=Q(street__isnull=True) | Q(committee__isnull=True), name="honour_single_holder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class OfficeAreaNorm(TimeStampedModel):
    """A dated policy source for committee office space; the district chooses one to measure against."""

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    source_document = models.CharField(_("依据文件"), max_length=300)
    effective_from = models.DateField(_("生效日期"))
    m2_per_100_households = models.DecimalField(_("每百户面积（平方米）"), max_digits=6, decimal_places=1)
    minimum_m2 = models.DecimalField(
        _("最低面积（平方米）"), max_digits=8, decimal_places=1, default=Decimal("0")
    )
    district_choice = models.BooleanField(_("本区采用"), default=False)

    class Meta:
        ordering = ["effective_from"]
        verbose_name = _("办公用房标准")
        verbose_name_plural = _("办公用房标准")
        constraints = [
            models.UniqueConstraint(
                fields=["district_choice"],
                condition=Q(district_choice=True),
                name="office_norm_single_choice",
            ),
        ]

    def __str__(self) -> str:
        return self.name
