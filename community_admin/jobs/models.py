from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community_admin.accounts.models import ScopeLevel
from community_admin.core.models import TimeStampedModel
from community_admin.jobs import masking
from community_admin.org.models import Committee, Department, Street


class Job(TimeStampedModel):
    """One run of long work: started by a service, run by a Celery worker, followed in the browser."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)

    kind = models.CharField(_("任务类型"), max_length=80, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("发起人")
    )
    # The unit the job and its result belong to (see accounts.scoping.scope_by_unit).
    scope_level = models.CharField(_("范围"), max_length=20, choices=ScopeLevel.choices)
    scope_street = models.ForeignKey(
        Street, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("街道")
    )
    scope_committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("社区")
    )
    scope_department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("部门")
    )
    params = models.JSONField(_("参数"), default=dict, blank=True)
    # Hash of kind, parameters and scope: two active jobs never share one.
    dedupe_key = models.CharField(max_length=64, db_index=True)

    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0, validators=[MaxValueValidator(100)])
    message = models.CharField(_("进度说明"), max_length=200, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    worker = models.CharField(_("工作进程"), max_length=200, blank=True)

    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近心跳"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    # The result file, in the `job_results` storage (outside the web root).
    result_path = models.CharField(_("结果文件"), max_length=300, blank=True)
    result_name = models.CharField(_("文件名"), max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    result_size = models.PositiveBigIntegerField(_("文件大小"), null=True, blank=True)
    result_expires_at = models.DateTimeField(_("结果保留至"), null=True, blank=True)
    result_deleted_at = models.DateTimeField(_("结果清理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [models.Index(fields=["state", "heartbeat_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(state__in=["queued", "running"]),
                name="job_one_active_per_key",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(
                    scope_level="district",
                    scope_street__isnull=True,
                    scope_committee__isnull=True,
                    scope_department__isnull=True,
                )
                | Q(
                    scope_level="street",
                    scope_street__isnull=False,
                    scope_committee__isnull=True,
                    scope_department__isnull=True,
                )
                | Q(
                    scope_level="committee",
                    scope_committee__isnull=False,
                    scope_street__isnull=True,
                    scope_department__isnull=True,
                )
                | Q(
                    scope_level="department",
                    scope_department__isnull=False,
                    scope_street__isnull=True,
                    scope_committee__isnull=True,
                ),
                name="job_scope_matches_unit",
            ),
            models.CheckConstraint(
                condition=Q(state="done") | Q(result_path=""), name="job_result_only_when_done"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} ({self.get_state_display()})"

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def has_result(self) -> bool:
        return self.state == self.State.DONE and bool(self.result_path)

    @property
    def params_display(self) -> dict:
        """The parameters as pages and the API show them: ID numbers masked (jobs.masking)."""
        return masking.mask_value(self.params) if isinstance(self.params, dict) else {}

    @property
    def error_display(self) -> str:
        return masking.mask_text(self.error)

    @property
    def kind_label(self) -> str:
        from community_admin.jobs import registry

        kind = registry.find(self.kind)
        return str(kind.label) if kind else self.kind
