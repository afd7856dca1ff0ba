"""Committee funding: the bureau's versioned policy, yearly allocation runs with their household snapshot,
disbursement bureau → street → committee, and the committees' expenditure. Money is Decimal yuan, 2 places."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from community_admin.admission.models import Task
from community_admin.core import uploads
from community_admin.core.models import TimeStampedModel
from community_admin.org.models import Committee, HouseholdSource

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Category(models.TextChoices):
    """The expenditure categories of the report's typical yearly cost (DESIGN.md section 4)."""

    PHONE = "phone", _("电话费")
    PRINTING = "printing", _("打印复印")
    NEWSPAPERS = "newspapers", _("报刊")
    ACTIVITIES = "activities", _("社区活动")
    OFFICE_SUPPLIES = "office_supplies", _("办公用品")
    UTILITIES = "utilities", _("水电费")
    EQUIPMENT = "equipment", _("设备购置与维修")
    DISPLAY_BOARDS = "display_boards", _("宣传栏")
    GROUP_LEADERS = "group_leaders", _("楼院组长补贴")


class FundingPolicy(TimeStampedModel):
    """One version of the bureau's funding rule for a year. At most one version of a year is adopted;
    the others are proposals to compare."""

    year = models.PositiveSmallIntegerField(_("年度"))
    version = models.PositiveSmallIntegerField(_("版本"))
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("依据"), max_length=300)
    base_households = models.PositiveIntegerField(_("基数户数"), default=1000)
    base_amount = models.DecimalField(_("基数经费（元）"), **MONEY)
    per_household_beyond = models.DecimalField(_("超出部分每户（元）"), **MONEY)
    village_converted_pool = models.DecimalField(_("村改居社区新增经费总额（元）"), **MONEY)
    large_centre_m2 = models.DecimalField(_("大型服务中心面积标准（平方米）"), max_digits=8, decimal_places=1)
    large_centre_extra = models.DecimalField(_("大型服务中心每社区增加（元）"), **MONEY)
    delay_days = models.PositiveSmallIntegerField(_("拨付时限（天）"), default=30)
    adopted = models.BooleanField(_("已采用"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("制定人")
    )

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("经费政策")
        verbose_name_plural = _("经费政策")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="funding_policy_version_unique"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(adopted=True), name="funding_policy_one_adopted_per_year"
            ),
            models.CheckConstraint(
                condition=Q(base_households__gte=1), name="funding_policy_base_households"
            ),
            models.CheckConstraint(
                condition=Q(base_amount__gte=0)
                & Q(per_household_beyond__gte=0)
                & Q(village_converted_pool__gte=0)
                & Q(large_centre_extra__gte=0),
                name="funding_policy_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年 v{self.version} {self.name}"

    @property
    def typical_total(self) -> Decimal:
        return sum((c.typical_amount for c in self.categories.all()), Decimal("0.00"))


class PolicyCategory(models.Model):
    """A category's typical yearly cost for one committee under a policy (the report's 24,500 example)."""

    policy = models.ForeignKey(FundingPolicy, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(_("支出类别"), max_length=20, choices=Category.choices)
    typical_amount = models.DecimalField(_("典型年支出（元）"), **MONEY)

    class Meta:
        ordering = ["policy", "id"]
        verbose_name = _("支出类别标准")
        verbose_name_plural = _("支出类别标准")
        constraints = [
            models.UniqueConstraint(fields=["policy", "category"], name="policy_category_unique"),
            models.CheckConstraint(condition=Q(typical_amount__gte=0), name="policy_category_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.typical_amount}"


class AllocationRun(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("未关账")
        CLOSED = "closed", _("已关账")

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    policy = models.ForeignKey(
        FundingPolicy, on_delete=models.PROTECT, related_name="runs", verbose_name=_("所用政策")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    committees = models.PositiveIntegerField(_("社区数"), default=0)
    households = models.PositiveIntegerField(_("户数快照合计"), default=0)
    total = models.DecimalField(_("全区合计（元）"), default=Decimal("0.00"), **MONEY)
    computed_at = models.DateTimeField(_("计算时间"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("计算人")
    )
    closed_at = models.DateTimeField(_("关账时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度经费测算")
        verbose_name_plural = _("年度经费测算")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["open", "closed"]), name="allocation_run_status"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="allocation_run_closed_at_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度社区经费"

    @property
    def per_household(self) -> Decimal:
        return (
            (self.total / self.households).quantize(Decimal("0.01")) if self.households else Decimal("0.00")
        )


class Allocation(models.Model):
    """A committee's amount in a run, with the household count it was computed from (the snapshot)."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="allocations")
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("社区")
    )
    households = models.PositiveIntegerField(_("户数（快照）"))
    household_source = models.CharField(_("户数来源"), max_length=10, choices=HouseholdSource.choices)
    village_converted = models.BooleanField(_("村改居"))
    large_centre = models.BooleanField(_("千平米以上服务中心"))
    base = models.DecimalField(_("基数经费"), **MONEY)
    beyond = models.DecimalField(_("超出户数经费"), **MONEY)
    village_extra = models.DecimalField(_("村改居经费"), **MONEY)
    centre_extra = models.DecimalField(_("服务中心增加"), **MONEY)
    amount = models.DecimalField(_("合计（元）"), **MONEY)

    class Meta:
        ordering = ["run", "committee__code"]
        verbose_name = _("社区经费")
        verbose_name_plural = _("社区经费")
        constraints = [
            models.UniqueConstraint(fields=["run", "committee"], name="allocation_unique_per_run"),
            models.CheckConstraint(
                condition=Q(amount=F("base") + F("beyond") + F("village_extra") + F("centre_extra")),
                name="allocation_amount_is_sum_of_parts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.amount}"


class Disbursement(TimeStampedModel):
    """The bureau sends a committee's allocation to its street; the street passes it on; the committee
    confirms what arrived."""

    allocation = models.OneToOneField(
        Allocation, on_delete=models.PROTECT, related_name="disbursement", verbose_name=_("社区经费")
    )
    amount = models.DecimalField(_("下拨金额（元）"), **MONEY)
    sent_on = models.DateField(_("区局下拨日期"))
    passed_on = models.DateField(_("街道转拨日期"), null=True, blank=True)
    passed_amount = models.DecimalField(_("街道转拨金额（元）"), null=True, blank=True, **MONEY)
    passed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField(_("社区到账日期"), null=True, blank=True)
    received_amount = models.DecimalField(_("社区到账金额（元）"), null=True, blank=True, **MONEY)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["allocation__committee__code"]
        verbose_name = _("经费拨付")
        verbose_name_plural = _("经费拨付")
        constraints = [
            models.CheckConstraint(
                condition=Q(passed_on__isnull=True, passed_amount__isnull=True)
                | Q(passed_on__isnull=False, passed_amount__isnull=False, passed_on__gte=F("sent_on")),
                name="disbursement_passed_complete",
            ),
            models.CheckConstraint(
                condition=Q(received_on__isnull=True, received_amount__isnull=True)
                | Q(
                    passed_on__isnull=False,
                    received_on__isnull=False,
                    received_amount__isnull=False,
                    received_on__gte=F("passed_on"),
                ),
                name="disbursement_received_after_passed",
            ),
            models.CheckConstraint(
                condition=Q(passed_amount__isnull=True) | Q(passed_amount__lte=F("amount")),
                name="disbursement_passed_not_above_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation.committee} {self.amount}"


def receipt_upload_path(instance, filename: str) -> str:
    # Never the uploader's name on disk: the stored name is random, the original kept for the download.
    return uploads.stored_name(f"funding/receipts/{instance.committee_id}", instance.receipt_extension)


class Expenditure(TimeStampedModel):
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="expenditures", verbose_name=_("社区")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    spent_on = models.DateField(_("支出日期"))
    category = models.CharField(_("支出类别"), max_length=20, choices=Category.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    description = models.CharField(_("摘要"), max_length=200)
    task = models.ForeignKey(
        Task,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("列支随事转经费的任务"),
    )
    receipt = models.FileField(_("票据"), upload_to=receipt_upload_path)
    receipt_name = models.CharField(_("票据文件名"), max_length=200)
    receipt_content_type = models.CharField(max_length=50)
    receipt_extension = models.CharField(max_length=5)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name = _("经费支出")
        verbose_name_plural = _("经费支出")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_amount_positive"),
        ]
        indexes = [models.Index(fields=["committee", "year"])]

    def __str__(self) -> str:
        return f"{self.committee} {self.get_category_display()} {self.amount}"
