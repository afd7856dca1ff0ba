"""The committees' work on admitted tasks: start, report done, or refused by the street on their behalf."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community_admin.accounts.models import Role, User
from community_admin.admission.models import RefusalRequestDecision, TaskAssignment, TaskFundingLine
from community_admin.core import audit

ERR_ASSIGNMENT_TRANSITION = "任务当前状态为“{status}”，不能{action}。"
ERR_REPORT_REQUIRED = "请填写完成情况报告。"
ERR_REFUSAL_REQUIRED = "请填写拒绝理由。"
ERR_REQUEST_PENDING = "申请拒绝的理由：已于 {at} 申请街道拒绝，正等待街道决定。"
ERR_REQUEST_NOT_COMMITTEE = "只有承接该任务的社区可以申请街道拒绝。"
ERR_NO_PENDING_REQUEST = "街道决定：该任务没有待决定的拒绝申请。"
ERR_DECISION_UNKNOWN = "街道决定：只能是同意（granted）或不同意（declined）。"
ERR_DECLINE_NOTE = "街道意见：不同意时请写明理由，社区据此继续办理。"


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


@transaction.atomic
def task_assignment_request_refusal(
    *, actor: User, assignment: TaskAssignment, reason: str
) -> TaskAssignment:
    """The committee asks its street office to refuse the task on its behalf (the street decides)."""
    assignment = _locked(assignment)
    if actor.role != Role.COMMITTEE or actor.committee_id != assignment.committee_id:
        raise ValidationError(_(ERR_REQUEST_NOT_COMMITTEE))
    _check_open(assignment, TaskAssignment.OPEN, "申请街道拒绝")
    if assignment.refusal_request_pending:
        at = timezone.localtime(assignment.refusal_requested_at)
        raise ValidationError({"reason": _(ERR_REQUEST_PENDING).format(at=f"{at:%Y-%m-%d %H:%M}")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _(ERR_REFUSAL_REQUIRED)})
    assignment.refusal_requested_at = timezone.now()
    assignment.refusal_requested_by = actor
    assignment.refusal_request_reason = reason
    assignment.refusal_request_decision = ""
    assignment.refusal_request_decided_at = None
    assignment.refusal_request_note = ""
    assignment.full_clean()
    assignment.save()
    audit.record(
        actor=actor, action="task_assignment.refusal_request", obj=assignment, details={"reason": reason}
    )
    return assignment


@transaction.atomic
def task_assignment_decide_refusal(
    *, actor: User, assignment: TaskAssignment, decision: str, note: str = ""
) -> TaskAssignment:
    """The street decides its committee's request: granted refuses the task on the committee's behalf (its
    money withdrawn, as `task_assignment_refuse`); declined keeps it with the street's note."""
    assignment = _locked(assignment)
    if not assignment.refusal_request_pending:
        raise ValidationError({"decision": _(ERR_NO_PENDING_REQUEST)})
    if decision not in RefusalRequestDecision.values:
        raise ValidationError({"decision": _(ERR_DECISION_UNKNOWN)})
    note = note.strip()
    if decision == RefusalRequestDecision.DECLINED and not note:
        raise ValidationError({"note": _(ERR_DECLINE_NOTE)})
    if decision == RefusalRequestDecision.GRANTED:
        reason = assignment.refusal_request_reason + (f"（街道意见：{note}）" if note else "")
        assignment = task_assignment_refuse(actor=actor, assignment=assignment, reason=reason[:300])
    assignment.refusal_request_decision = decision
    assignment.refusal_request_decided_at = timezone.now()
    assignment.refusal_request_note = note
    assignment.full_clean()
    assignment.save()
    audit.record(
        actor=actor,
        action="task_assignment.refusal_decide",
        obj=assignment,
        details={"decision": decision, "note": note},
    )
    return assignment
