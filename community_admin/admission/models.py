"""The admission list (社区公共服务事项准入清单), the tasks departments push onto committees, the
committees' work on them, and the money that follows an admitted task (费随事转)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from community_admin.core.models import TimeStampedModel
from community_admin.org.models import Committee, Department, Street


class Area(models.TextChoices):
    """The report's 13 affair areas."""

    PARTY_BUILDING = "party", _("党建")
    CIVILISATION = "civilisation", _("精神文明建设")
    CIVIL_AFFAIRS = "civil_affairs", _("民政")
    SOCIAL_SECURITY = "social_security", _("社保")
    MEDICAL_INSURANCE = "medical_insurance", _("医保")
    REEMPLOYMENT = "reemployment", _("再就业")
    FAMILY_PLANNING = "family_planning", _("计生")
    EDUCATION = "education", _("教育")
    PUBLIC_SECURITY = "public_security", _("综治")
    URBAN_MANAGEMENT = "urban_management", _("城管")
    HEALTH = "health", _("卫生")
    CULTURE_SPORTS = "culture_sports", _("文体")
    SCIENCE = "science", _("科普")
    OTHER = "other", _("其他（统计、住建等）")


class ServiceItem(TimeStampedModel):
    """One entry of the admission list. Entries come through one procedure: 申请 → 审批 → 准入 → 撤销;
    only an entry in force (`admitted`, from `effective_from`) in a list other than `excluded` admits tasks."""

    class Category(models.TextChoices):
        DUTY = "duty", _("依法履行职责事项")
        ASSIST = "assist", _("依法协助政府工作事项")
        EXCLUDED = "excluded", _("不应由社区承担的事项")

    class Status(models.TextChoices):
        APPLIED = "applied", _("申请中")
        APPROVED = "approved", _("已审批，待准入")
        ADMITTED = "admitted", _("已准入（在册）")
        REJECTED = "rejected", _("不予准入")
        REVOKED = "revoked", _("已撤销")

    code = models.CharField(_("事项编号"), max_length=20, unique=True)
    name = models.CharField(_("事项名称"), max_length=200)
    area = models.CharField(_("领域"), max_length=30, choices=Area.choices)
    category = models.CharField(_("清单类别"), max_length=20, choices=Category.choices)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="service_items", verbose_name=_("主管部门")
    )
    co_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="co_owned_service_items",
        verbose_name=_("协办部门"),
        help_text=_("与主管部门共同负责该事项、也可据此向社区派发任务的部门。"),
    )
    legal_basis = models.CharField(_("法律政策依据"), max_length=300)
    source_document = models.CharField(_("来源文件"), max_length=300)
    effective_from = models.DateField(_("生效日期"))
    unit = models.CharField(_("工作量单位"), max_length=20)
    unit_rate = models.DecimalField(
        _("每单位随事转经费（元）"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    named_in_report = models.BooleanField(_("调研报告中列明"), default=False)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField(_("申请日期"))
    decision_due = models.DateField(_("应审批日期"))
    review_note = models.TextField(_("审批意见"), blank=True)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        ordering = ["area", "code"]
        verbose_name = _("准入清单事项")
        verbose_name_plural = _("准入清单事项")
        constraints = [
            models.CheckConstraint(condition=Q(unit_rate__gte=0), name="service_item_rate_not_negative"),
            models.CheckConstraint(
                condition=~Q(category="excluded") | Q(unit_rate=0), name="service_item_excluded_has_no_rate"
            ),
            models.CheckConstraint(
                condition=Q(decision_due__gte=models.F("applied_on")),
                name="service_item_decision_after_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.category == self.Category.EXCLUDED and self.unit_rate:
            raise ValidationError({"unit_rate": _("不应由社区承担的事项不设随事转经费。")})


class Task(TimeStampedModel):
    """A task a department pushed onto committees, admitted or refused when it arrived."""

    class Decision(models.TextChoices):
        ADMITTED = "admitted", _("准入")
        REFUSED = "refused", _("拒绝")

    class RefusalReason(models.TextChoices):
        NOT_LISTED = "not_listed", _("事项不在准入清单上")
        EXCLUDED = "excluded", _("事项属于不应由社区承担的事项")
        DUTY = "duty", _("事项属于社区依法履行职责事项，不由部门派发")
        NOT_OWNER = "not_owner", _("派发部门不是该事项的主管或协办部门")
        NOT_ADMITTED = "not_admitted", _("事项尚未准入或已撤销")
        NOT_EFFECTIVE = "not_effective", _("事项准入尚未生效")
        UNDERFUNDED = "underfunded", _("随事转经费不足")

    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("派发部门")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提交账户")
    )
    service_item = models.ForeignKey(
        ServiceItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("清单事项"),
    )
    service_item_code = models.CharField(_("提交的事项编号"), max_length=40)
    title = models.CharField(_("任务名称"), max_length=200)
    description = models.TextField(_("任务说明"), blank=True)
    street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("整街道派发"),
    )
    committees = models.ManyToManyField(Committee, related_name="pushed_tasks", verbose_name=_("目标社区"))
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    due_date = models.DateField(_("完成期限"))
    quantity = models.PositiveIntegerField(_("每社区工作量"), validators=[MinValueValidator(1)])
    funding = models.DecimalField(
        _("随事转经费（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    unit_rate = models.DecimalField(
        _("决定时的每单位经费（元）"), max_digits=10, decimal_places=2, default=Decimal("0.00")
    )
    required_funding = models.DecimalField(
        _("应随事转经费（元）"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    decision = models.CharField(_("准入结论"), max_length=20, choices=Decision.choices)
    refusal_reason = models.CharField(_("拒绝原因"), max_length=20, choices=RefusalReason.choices, blank=True)
    refusal_detail = models.CharField(_("拒绝说明"), max_length=300, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("派发任务")
        verbose_name_plural = _("派发任务")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="task_quantity_positive"),
            models.CheckConstraint(condition=Q(funding__gte=0), name="task_funding_not_negative"),
            models.CheckConstraint(
                condition=Q(decision="admitted", refusal_reason="")
                | (Q(decision="refused") & ~Q(refusal_reason="")),
                name="task_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(decision="refused") | Q(service_item__isnull=False),
                name="task_admitted_has_item",
            ),
        ]
        indexes = [models.Index(fields=["department", "decision"])]

    def __str__(self) -> str:
        return self.title


class RefusalRequestDecision(models.TextChoices):
    GRANTED = "granted", _("同意，已代为拒绝")
    DECLINED = "declined", _("不同意，社区继续办理")


class TaskAssignment(TimeStampedModel):
    """An admitted task as one committee works it. Overdue is not stored: it is open past the due date."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("已接收")
        IN_PROGRESS = "in_progress", _("办理中")
        DONE = "done", _("已完成")
        REFUSED = "refused", _("街道代为拒绝")

    OPEN = (Status.ACCEPTED, Status.IN_PROGRESS)

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("任务")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="task_assignments", verbose_name=_("社区")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACCEPTED)
    started_at = models.DateTimeField(_("开始办理"), null=True, blank=True)
    report = models.TextField(_("完成情况报告"), blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    refusal_reason = models.CharField(_("拒绝理由"), max_length=300, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("办结人"),
    )
    # The committee asks its street to refuse the task (请街道拒绝); the street grants (the refusal above) or
    # declines, with its note. One request at a time; a declined one can be followed by another.
    refusal_requested_at = models.DateTimeField(_("申请街道拒绝时间"), null=True, blank=True)
    refusal_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("申请人"),
    )
    refusal_request_reason = models.CharField(_("申请拒绝的理由"), max_length=300, blank=True)
    refusal_request_decision = models.CharField(
        _("街道决定"), max_length=10, choices=RefusalRequestDecision.choices, blank=True
    )
    refusal_request_decided_at = models.DateTimeField(_("街道决定时间"), null=True, blank=True)
    refusal_request_note = models.CharField(_("街道意见"), max_length=300, blank=True)

    class Meta:
        ordering = ["task__due_date", "id"]
        verbose_name = _("社区任务")
        verbose_name_plural = _("社区任务")
        constraints = [
            models.UniqueConstraint(fields=["task", "committee"], name="task_assignment_unique"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(report="") & Q(completed_at__isnull=False)),
                name="task_assignment_done_has_report",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="task_assignment_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(refusal_requested_at__isnull=True, refusal_request_reason="")
                | (
                    Q(refusal_requested_at__isnull=False, refusal_requested_by__isnull=False)
                    & ~Q(refusal_request_reason="")
                ),
                name="task_assignment_refusal_request_whole",
            ),
            models.CheckConstraint(
                condition=Q(refusal_request_decision="", refusal_request_decided_at__isnull=True)
                | (
                    ~Q(refusal_request_decision="")
                    & Q(refusal_request_decided_at__isnull=False, refusal_requested_at__isnull=False)
                ),
                name="task_assignment_refusal_decision_dated",
            ),
        ]
        indexes = [models.Index(fields=["committee", "status"])]

    def __str__(self) -> str:
        return f"{self.committee} · {self.task}"

    @property
    def is_overdue(self) -> bool:
        return self.status in self.OPEN and self.task.due_date < timezone.localdate()

    @property
    def display_status(self) -> str:
        return str(_("已逾期")) if self.is_overdue else self.get_status_display()

    @property
    def refusal_request_pending(self) -> bool:
        return self.refusal_requested_at is not None and not self.refusal_request_decision


class TaskFundingLine(TimeStampedModel):
    """Money that came with an admitted task, per committee (read by the funding capability).
    A line withdrawn when the street refuses the task on the committee's behalf stays, marked."""

    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="funding_lines", verbose_name=_("任务")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="task_funding_lines", verbose_name=_("社区")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(
        _("金额（元）"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["task", "committee"]
        verbose_name = _("随事转经费")
        verbose_name_plural = _("随事转经费")
        constraints = [
            models.UniqueConstraint(fields=["task", "committee"], name="task_funding_line_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="task_funding_line_not_negative"),
        ]
        indexes = [models.Index(fields=["committee", "year"])]

    def __str__(self) -> str:
        return f"{self.committee} · {self.amount}"


class IdempotencyKey(models.Model):
    """The answer given to one `Idempotency-Key` of one department account, replayed on a retry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("账户")
    )
    key = models.CharField(_("幂等键"), max_length=100)
    fingerprint = models.CharField(_("请求摘要"), max_length=64)
    task = models.ForeignKey(Task, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status_code = models.PositiveSmallIntegerField(_("响应状态"), default=0)  # 0 while the first request runs
    errors = models.JSONField(_("错误"), default=dict, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.key
