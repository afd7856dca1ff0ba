from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from community_admin.core import idnumbers, uploads
from community_admin.core.models import TimeStampedModel
from community_admin.core.reference_data import REVIEW_MARK
from community_admin.org.models import Committee, Department, Street

# Free text the API and the pages bound alike (the database does not: TextField); full_clean() enforces them.
SECONDMENT_REASON_MAX = 1000  # the request's reason and the rejection's
OPINION_TEXT_MAX = 2000

MONEY = {"max_digits": 10, "decimal_places": 2}


class Worker(TimeStampedModel):
    class Sex(models.TextChoices):
        MALE = "M", _("男")
        FEMALE = "F", _("女")

    class Education(models.TextChoices):
        JUNIOR = "junior", _("初中及以下")
        SENIOR = "senior", _("高中/中专")
        COLLEGE = "college", _("大专")
        BACHELOR = "bachelor", _("本科")
        POSTGRADUATE = "postgraduate", _("研究生")

    class Status(models.TextChoices):
        ACTIVE = "active", _("在岗")
        SECONDED = "seconded", _("借调")
        RESIGNED = "resigned", _("辞职")
        RETIRED = "retired", _("退休")

    CURRENT = (Status.ACTIVE, Status.SECONDED)
    COLLEGE_OR_ABOVE = (Education.COLLEGE, Education.BACHELOR, Education.POSTGRADUATE)

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices)
    hire_date = models.DateField(_("参加社区工作日期"))
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="workers", verbose_name=_("所在社区")
    )
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)

    class Meta:
        ordering = ["committee__code", "name", "id"]
        verbose_name = _("社区工作者")
        verbose_name_plural = _("社区工作者")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["active", "seconded", "resigned", "retired"]),
                name="worker_status_known",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["active", "seconded"], left_on__isnull=True)
                | Q(status__in=["resigned", "retired"], left_on__isnull=False),
                name="worker_left_on_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(hire_date__gt=F("birth_date")), name="worker_hired_after_birth"
            ),
        ]
        indexes = [models.Index(fields=["committee", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return idnumbers.mask(self.id_number)

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT


class Post(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DIRECTOR = "director", _("主任")
    DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
    DEPUTY_DIRECTOR = "deputy_director", _("副主任")
    MEMBER = "member", _("委员")
    SOCIAL_WORKER = "social_worker", _("社工")
    REEMPLOYMENT_ASSISTANT = "reemployment_assistant", _("再就业协理员")


# 委员职数: the posts that count against the committee-member norm.
MEMBER_POSTS = (Post.SECRETARY, Post.DIRECTOR, Post.DEPUTY_SECRETARY, Post.DEPUTY_DIRECTOR, Post.MEMBER)
HEAD_POSTS = (Post.SECRETARY, Post.DIRECTOR)
DEPUTY_POSTS = (Post.DEPUTY_SECRETARY, Post.DEPUTY_DIRECTOR)


class WorkerPost(TimeStampedModel):
    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="posts", verbose_name=_("工作者")
    )
    post = models.CharField(_("职务"), max_length=30, choices=Post.choices)
    since = models.DateField(_("任职日期"), null=True, blank=True)

    class Meta:
        ordering = ["worker", "post"]
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        constraints = [
            models.UniqueConstraint(fields=["worker", "post"], name="worker_post_unique"),
            models.CheckConstraint(condition=Q(post__in=list(Post.values)), name="worker_post_known"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} · {self.get_post_display()}"


class Qualification(TimeStampedModel):
    class Level(models.TextChoices):
        SOCIAL_WORKER = "social_worker", _("社会工作师")
        ASSISTANT = "assistant", _("助理社会工作师")

    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="qualifications", verbose_name=_("工作者")
    )
    level = models.CharField(_("职业资格"), max_length=20, choices=Level.choices)
    certificate_number = models.CharField(_("证书编号"), max_length=40, unique=True)
    obtained_on = models.DateField(_("取得日期"))

    class Meta:
        ordering = ["worker", "level"]
        verbose_name = _("职业资格")
        verbose_name_plural = _("职业资格")
        constraints = [models.UniqueConstraint(fields=["worker", "level"], name="qualification_unique_level")]

    def __str__(self) -> str:
        return f"{self.worker} · {self.get_level_display()}"


YEAR_MIN, YEAR_MAX = 2000, 2100  # what the database holds; drafting is narrower (services.policies)


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ADOPTED = "adopted", _("已采用")
    SUPERSEDED = "superseded", _("已被取代")


class YearlyVersion(TimeStampedModel):
    """One version of a year's rules: drafted, compared with last year, adopted by the bureau. An adopted
    version is never edited: the bureau drafts the year again, and adopting that draft supersedes the old
    version, which is kept (the payrolls computed under it point at it)."""

    year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]
    )
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    source_document = models.CharField(_("依据"), max_length=300)
    note = models.CharField(_("修订说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("起草人"),
    )
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("采用人"),
    )
    superseded_at = models.DateTimeField(_("被取代时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def from_report(self) -> bool:
        """Installed from the survey report's figures and not yet reviewed (core.reference_data.REVIEW_MARK)."""
        return self.source_document.startswith(REVIEW_MARK)


def yearly_version_constraints(prefix: str) -> list:
    return [
        models.UniqueConstraint(fields=["year", "version"], name=f"{prefix}_version_unique"),
        models.UniqueConstraint(
            fields=["year"], condition=Q(status="adopted"), name=f"{prefix}_one_adopted_per_year"
        ),
        models.UniqueConstraint(
            fields=["year"], condition=Q(status="draft"), name=f"{prefix}_one_draft_per_year"
        ),
        models.CheckConstraint(
            condition=Q(year__gte=YEAR_MIN, year__lte=YEAR_MAX), name=f"{prefix}_year_range"
        ),
        models.CheckConstraint(
            condition=Q(status="draft", adopted_at__isnull=True, superseded_at__isnull=True)
            | Q(status="adopted", adopted_at__isnull=False, superseded_at__isnull=True)
            | Q(status="superseded", adopted_at__isnull=False, superseded_at__isnull=False),
            name=f"{prefix}_status_dates",
        ),
    ]


class PayPolicy(YearlyVersion):
    """The year's pay rules (DESIGN.md section 4), one version of them (YearlyVersion)."""

    base_monthly = models.DecimalField(_("基本工资（元/月）"), **MONEY)
    insured_monthly = models.DecimalField(_("含五险合计（元/月）"), **MONEY)
    head_allowance = models.DecimalField(_("书记、主任津贴（元/月）"), **MONEY)
    deputy_allowance = models.DecimalField(_("副书记、副主任津贴（元/月）"), **MONEY)
    social_worker_allowance = models.DecimalField(_("社会工作师资格津贴（元/月）"), **MONEY)
    assistant_allowance = models.DecimalField(_("助理社会工作师资格津贴（元/月）"), **MONEY)
    honour_service_years = models.PositiveSmallIntegerField(_("特殊荣誉津贴所需工作年限"))
    honour_amount = models.DecimalField(_("特殊荣誉津贴（一次性，元）"), **MONEY)
    minimum_wage = models.DecimalField(_("全省最低工资标准（元/月）"), **MONEY)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("年度薪酬政策")
        verbose_name_plural = _("年度薪酬政策")
        constraints = [
            models.CheckConstraint(
                condition=Q(insured_monthly__gte=F("base_monthly")), name="pay_policy_insured_covers_base"
            ),
            models.CheckConstraint(
                condition=Q(base_monthly__gt=0, minimum_wage__gt=0), name="pay_policy_positive_amounts"
            ),
            models.CheckConstraint(
                condition=Q(
                    head_allowance__gte=0,
                    deputy_allowance__gte=0,
                    social_worker_allowance__gte=0,
                    assistant_allowance__gte=0,
                    honour_amount__gte=0,
                ),
                name="pay_policy_allowances_not_negative",
            ),
            *yearly_version_constraints("pay_policy"),
        ]

    def __str__(self) -> str:
        suffix = f"（第 {self.version} 版）" if self.version > 1 else ""
        return f"{self.year} 年度薪酬政策{suffix}"

    @property
    def employer_insurance(self) -> Decimal:
        return self.insured_monthly - self.base_monthly


class Payroll(TimeStampedModel):
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="payrolls", verbose_name=_("社区")
    )
    year = models.PositiveSmallIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    policy = models.ForeignKey(PayPolicy, on_delete=models.PROTECT, related_name="+", verbose_name=_("政策"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("计算人")
    )

    class Meta:
        ordering = ["-year", "-month", "committee__code"]
        verbose_name = _("月度工资表")
        verbose_name_plural = _("月度工资表")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "month"], name="payroll_one_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="payroll_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.year}年{self.month}月工资表"


class PayrollLine(models.Model):
    payroll = models.ForeignKey(
        Payroll, on_delete=models.CASCADE, related_name="lines", verbose_name=_("工资表")
    )
    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="+", verbose_name=_("工作者"))
    posts = models.CharField(_("职务"), max_length=100, blank=True)
    base = models.DecimalField(_("基本工资"), **MONEY)
    position_allowance = models.DecimalField(_("职务津贴"), **MONEY)
    qualification_allowance = models.DecimalField(_("职业资格津贴"), **MONEY)
    honour = models.DecimalField(_("特殊荣誉津贴"), **MONEY)
    floor_top_up = models.DecimalField(_("最低工资补足"), **MONEY)
    gross = models.DecimalField(_("应发合计"), **MONEY)
    employer_insurance = models.DecimalField(_("单位缴纳五险"), **MONEY)
    below_floor = models.BooleanField(_("低于最低工资"), default=False)

    class Meta:
        ordering = ["payroll", "worker__name", "worker_id"]
        verbose_name = _("工资明细")
        verbose_name_plural = _("工资明细")
        constraints = [
            models.UniqueConstraint(fields=["payroll", "worker"], name="payroll_line_one_per_worker"),
            models.CheckConstraint(
                condition=Q(
                    gross=F("base")
                    + F("position_allowance")
                    + F("qualification_allowance")
                    + F("honour")
                    + F("floor_top_up")
                ),
                name="payroll_line_gross_is_sum",
            ),
            models.CheckConstraint(condition=Q(floor_top_up__gte=0), name="payroll_line_top_up_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.payroll} · {self.worker}"


class Secondment(TimeStampedModel):
    """借调: requested → both units' written opinions → district government approval → filed with the HR
    bureau and the civil-affairs bureau → active → ended; or rejected before it starts."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("已申请")
        OPINIONS_ATTACHED = "opinions_attached", _("双方书面意见已附")
        APPROVED = "approved", _("区政府已批准")
        FILED = "filed", _("已报人社局、民政局备案")
        ACTIVE = "active", _("借调中")
        ENDED = "ended", _("已结束")
        REJECTED = "rejected", _("已否决")

    OPEN_STATES = (State.REQUESTED, State.OPINIONS_ATTACHED, State.APPROVED, State.FILED, State.ACTIVE)

    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="secondments", verbose_name=_("借调人员")
    )
    host_street = models.ForeignKey(
        Street,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("借调至街道"),
    )
    host_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("借调至部门"),
    )
    reason = models.TextField(_("借调事由"), validators=[MaxLengthValidator(SECONDMENT_REASON_MAX)])
    planned_start = models.DateField(_("拟开始日期"))
    planned_end = models.DateField(_("拟结束日期"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请登记人")
    )
    approval_document = models.CharField(_("区政府批准文号"), max_length=100, blank=True)
    approved_on = models.DateField(_("批准日期"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_hr_reference = models.CharField(_("人社局备案号"), max_length=100, blank=True)
    filed_hr_at = models.DateTimeField(_("人社局备案时间"), null=True, blank=True)
    filed_civil_reference = models.CharField(_("民政局备案号"), max_length=100, blank=True)
    filed_civil_at = models.DateTimeField(_("民政局备案时间"), null=True, blank=True)
    started_on = models.DateField(_("借调开始日期"), null=True, blank=True)
    ended_on = models.DateField(_("借调结束日期"), null=True, blank=True)
    rejected_at = models.DateTimeField(_("否决时间"), null=True, blank=True)
    rejected_reason = models.TextField(
        _("否决理由"), blank=True, validators=[MaxLengthValidator(SECONDMENT_REASON_MAX)]
    )
    rejected_in_state = models.CharField(_("否决时所处环节"), max_length=20, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("借调")
        verbose_name_plural = _("借调")
        constraints = [
            models.CheckConstraint(
                condition=Q(host_street__isnull=False, host_department__isnull=True)
                | Q(host_street__isnull=True, host_department__isnull=False),
                name="secondment_single_host",
            ),
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(state__in=["requested", "opinions_attached", "approved", "filed", "active"]),
                name="secondment_one_open_per_worker",
            ),
            # No step can be skipped: a later state needs every earlier step's record.
            models.CheckConstraint(
                condition=~Q(state__in=["approved", "filed", "active", "ended"])
                | (Q(approved_on__isnull=False) & ~Q(approval_document="")),
                name="secondment_approved_has_approval",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["filed", "active", "ended"])
                | Q(filed_hr_at__isnull=False, filed_civil_at__isnull=False),
                name="secondment_filed_with_both_bureaus",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["active", "ended"]) | Q(started_on__isnull=False),
                name="secondment_active_has_start",
            ),
            models.CheckConstraint(
                condition=Q(state="ended", ended_on__isnull=False)
                | (~Q(state="ended") & Q(ended_on__isnull=True)),
                name="secondment_ended_has_end",
            ),
            models.CheckConstraint(
                condition=Q(state="rejected", rejected_at__isnull=False)
                | (~Q(state="rejected") & Q(rejected_at__isnull=True)),
                name="secondment_rejected_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} 借调至 {self.host_name}"

    @property
    def host_name(self) -> str:
        return str(self.host_street or self.host_department)


def opinion_upload_path(instance, filename: str) -> str:
    # Stored under MEDIA_ROOT (not served publicly) under a random name: nothing of the uploader's name.
    return uploads.stored_name(
        f"secondments/{instance.secondment_id}", uploads.extension_of(instance.content_type)
    )


class SecondmentOpinion(TimeStampedModel):
    class Side(models.TextChoices):
        SENDING = "sending", _("派出单位（社区/街道）意见")
        RECEIVING = "receiving", _("用人单位意见")

    secondment = models.ForeignKey(
        Secondment, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("借调")
    )
    side = models.CharField(_("意见方"), max_length=20, choices=Side.choices)
    unit_name = models.CharField(_("出具单位"), max_length=100)
    text = models.TextField(_("意见内容"), blank=True, validators=[MaxLengthValidator(OPINION_TEXT_MAX)])
    file = models.FileField(_("书面意见扫描件"), upload_to=opinion_upload_path, blank=True)
    file_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    content_type = models.CharField(_("文件类型"), max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记人")
    )

    class Meta:
        ordering = ["secondment", "side"]
        verbose_name = _("借调书面意见")
        verbose_name_plural = _("借调书面意见")
        constraints = [
            models.UniqueConstraint(fields=["secondment", "side"], name="secondment_opinion_one_per_side"),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""), name="secondment_opinion_has_content"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.secondment} · {self.get_side_display()}"


class EvaluationRound(TimeStampedModel):
    """A year's 德能勤绩廉 evaluation of social workers by resident representatives."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    threshold = models.DecimalField(
        _("问责分数线"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("60"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度测评")
        verbose_name_plural = _("年度测评")
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gte=0, threshold__lte=100), name="evaluation_threshold_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} 年度社工测评"


SCORE_FIELDS = ("morality", "ability", "diligence", "performance", "integrity")
_score_validators = [MinValueValidator(0), MaxValueValidator(100)]


class EvaluationScore(TimeStampedModel):
    round = models.ForeignKey(
        EvaluationRound, on_delete=models.PROTECT, related_name="scores", verbose_name=_("测评")
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="evaluation_scores", verbose_name=_("社工")
    )
    representative = models.CharField(_("居民代表"), max_length=50)
    morality = models.PositiveSmallIntegerField(_("德"), validators=_score_validators)
    ability = models.PositiveSmallIntegerField(_("能"), validators=_score_validators)
    diligence = models.PositiveSmallIntegerField(_("勤"), validators=_score_validators)
    performance = models.PositiveSmallIntegerField(_("绩"), validators=_score_validators)
    integrity = models.PositiveSmallIntegerField(_("廉"), validators=_score_validators)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("录入人")
    )

    class Meta:
        ordering = ["round", "worker", "representative"]
        verbose_name = _("测评打分")
        verbose_name_plural = _("测评打分")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "worker", "representative"], name="evaluation_one_score_per_representative"
            ),
        ] + [
            models.CheckConstraint(condition=Q(**{f"{f}__lte": 100}), name=f"evaluation_{f}_at_most_100")
            for f in SCORE_FIELDS
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.worker} · {self.representative}"


class AccountabilityRecord(TimeStampedModel):
    """Opened when a social worker's averaged score falls below the round's threshold; the street follows up."""

    class Status(models.TextChoices):
        OPEN = "open", _("待跟进")
        CLOSED = "closed", _("已办结")

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.PROTECT, related_name="accountability", verbose_name=_("测评")
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="accountability", verbose_name=_("社工")
    )
    average = models.DecimalField(_("平均分"), max_digits=5, decimal_places=2)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    follow_up = models.TextField(_("跟进情况"), blank=True)
    followed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        ordering = ["status", "average"]
        verbose_name = _("责任追究记录")
        verbose_name_plural = _("责任追究记录")
        constraints = [
            models.UniqueConstraint(fields=["round", "worker"], name="accountability_one_per_round"),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False) & ~Q(follow_up=""),
                name="accountability_closed_has_follow_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.worker} · {self.average}"


class Departure(TimeStampedModel):
    """A resignation or retirement: the turnover figures are counted from these."""

    class Kind(models.TextChoices):
        RESIGNED = "resigned", _("辞职")
        RETIRED = "retired", _("退休")

    class Reason(models.TextChoices):
        PAY = "pay", _("待遇偏低")
        WORKLOAD = "workload", _("工作任务繁重")
        CAREER = "career", _("另谋职业/考取公职")
        FAMILY = "family", _("家庭原因")
        HEALTH = "health", _("身体原因")
        RETIREMENT = "retirement", _("达到退休年龄")
        OTHER = "other", _("其他")

    worker = models.OneToOneField(
        Worker, on_delete=models.PROTECT, related_name="departure", verbose_name=_("工作者")
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    left_on = models.DateField(_("离岗日期"), db_index=True)
    reason = models.CharField(_("原因"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("说明"), blank=True)
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name=_("离岗时所在社区")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-left_on"]
        verbose_name = _("离岗记录")
        verbose_name_plural = _("离岗记录")

    def __str__(self) -> str:
        return f"{self.worker} {self.get_kind_display()} {self.left_on}"


class RetirementRuleSet(YearlyVersion):
    """One version of a year's retirement rules: the men's and the women's rule (RetirementRule)."""

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("年度退休规则")
        verbose_name_plural = _("年度退休规则")
        constraints = yearly_version_constraints("retirement_rule_set")

    def __str__(self) -> str:
        suffix = f"（第 {self.version} 版）" if self.version > 1 else ""
        return f"{self.year} 年度退休规则{suffix}"


class RetirementRule(TimeStampedModel):
    """Legal retirement age as data: a base age, and (for the 2025 reform) a delay of one month for every
    `birth_months_per_step` months of birth from `reform_from`, up to `max_delay_months`."""

    rule_set = models.ForeignKey(
        RetirementRuleSet, on_delete=models.CASCADE, related_name="rules", verbose_name=_("年度退休规则")
    )
    sex = models.CharField(_("性别"), max_length=1, choices=Worker.Sex.choices)
    name = models.CharField(_("名称"), max_length=100)
    base_age = models.PositiveSmallIntegerField(_("原法定退休年龄"))
    reform_from = models.DateField(_("延迟自此出生月份起"), null=True, blank=True)
    birth_months_per_step = models.PositiveSmallIntegerField(_("每几个月延迟一个月"), null=True, blank=True)
    max_delay_months = models.PositiveSmallIntegerField(_("最多延迟月数"), default=0)
    service_years = models.PositiveSmallIntegerField(_("享受退休待遇所需社区工作年限"))

    class Meta:
        ordering = ["rule_set", "sex"]
        verbose_name = _("退休规则")
        verbose_name_plural = _("退休规则")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "sex"], name="retirement_rule_one_per_sex"),
            models.CheckConstraint(
                condition=Q(reform_from__isnull=True) | Q(birth_months_per_step__gte=1),
                name="retirement_rule_reform_has_step",
            ),
        ]

    def __str__(self) -> str:
        return self.name
