"""The committees' work on admitted tasks: start, report done, or refused by the street on their behalf."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community_admin.accounts.models import User
from community_admin.admission.models import TaskAssignment, TaskFundingLine
from community_admin.core import audit

ERR_ASSIGNMENT_TRANSITION = "任务当前状态为“{status}”，不能{action}。"
ERR_REPORT_REQUIRED = "请填写完成情况报告。"
ERR_REFUSAL_REQUIRED = "请填写拒绝理由。"


def _locked(assignment: TaskAssignment) -> TaskAssignment:
    return TaskAssignment.objects.select_for_update().select_related("task").get(pk=assignment.pk)


def _check_open(assignment: TaskAssignment, allowed: tuple, action: str) -> None:
    if assignment.status not in allowed:
        raise ValidationError(
            _(ERR_ASSIGNMENT_TRANSITION).format(status=assignment.get_status_display(), action=action)
        )


@transaction.atomic
def task_assignment_start(*, actor: User, assignment: TaskAssignment) -> TaskAssignment:
    assignment = _locked(assignment)
    _check_open(assignment, (TaskAssignment.Status.ACCEPTED,), "开始办理")
    assignment.status = TaskAssignment.Status.IN_PROGRESS
    assignment.started_at = timezone.now()
    assignment.full_clean()
    assignment.save()
    audit.record(actor=actor, action="task_assignment.start", obj=assignment)
    return assignment


@transaction.atomic
def task_assignment_complete(*, actor: User, assignment: TaskAssignment, report: str) -> TaskAssignment:
    assignment = _locked(assignment)
    _check_open(assignment, TaskAssignment.OPEN, "报告完成")
    report = report.strip()
    if not report:
        raise ValidationError({"report": _(ERR_REPORT_REQUIRED)})
    now = timezone.now()
    late = assignment.task.due_date < timezone.localdate()
    assignment.status = TaskAssignment.Status.DONE
    assignment.started_at = assignment.started_at or now
    assignment.report = report
    assignment.completed_at = now
    assignment.closed_by = actor
    assignment.full_clean()
    assignment.save()
    audit.record(actor=actor, action="task_assignment.complete", obj=assignment, details={"late": late})
    return assignment


@transaction.atomic
def task_assignment_refuse(*, actor: User, assignment: TaskAssignment, reason: str) -> TaskAssignment:
    """The street office refuses an admitted task on its committee's behalf; the task's money for that
    committee is withdrawn (the line stays, marked) so the funding capability no longer counts it."""
    assignment = _locked(assignment)
    _check_open(assignment, TaskAssignment.OPEN, "代为拒绝")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _(ERR_REFUSAL_REQUIRED)})
    now = timezone.now()
    assignment.status = TaskAssignment.Status.REFUSED
    assignment.refusal_reason = reason
    assignment.closed_by = actor
    assignment.full_clean()
    assignment.save()
    withdrawn = TaskFundingLine.objects.filter(
        task_id=assignment.task_id, committee_id=assignment.committee_id, withdrawn_at__isnull=True
    ).update(withdrawn_at=now, updated_at=now)
    audit.record(
        actor=actor,
        action="task_assignment.refuse",
        obj=assignment,
        details={"reason": reason, "funding_lines_withdrawn": withdrawn},
    )
    return assignment
