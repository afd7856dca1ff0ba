"""Writes of the tasks capability: the admission list and its procedure (申请 → 审批 → 准入 → 撤销),
tasks submitted by departments (admitted or refused, retried safely), the committees' work on them
and the money that follows an admitted task."""

import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community_admin.accounts import scoping
from community_admin.accounts.models import Role, User
from community_admin.admission.models import (
    IdempotencyKey,
    ServiceItem,
    Task,
    TaskAssignment,
    TaskFundingLine,
)
from community_admin.core import audit
from community_admin.org.models import Committee, Department, Street

# The district's published procedure: apply about 30 working days before the item should take effect;
# the district decides within 15 working days. Weekends are skipped; public holidays are not modelled.
APPLY_LEAD_WORKING_DAYS = 30
DECISION_WORKING_DAYS = 15

ERR_ITEM_TOO_LATE = "生效日期须在申请之日起至少 {days} 个工作日之后（最早 {earliest}）。"
ERR_ITEM_OTHER_DEPARTMENT = "部门账户只能为本部门申请准入事项。"
ERR_ITEM_TRANSITION = "事项当前状态为“{status}”，不能{action}。"
ERR_ITEM_UNKNOWN_ACTION = "未知的审批操作：{action}"
ERR_ITEM_NOTE_REQUIRED = "请填写审批意见（不予准入或撤销时必填）。"
ERR_ITEM_UNKNOWN_FIELD = "不能修改字段：{field}"
ERR_TASK_NOT_DEPARTMENT = "只有部门账户可以向社区派发任务。"
ERR_TASK_TARGET_REQUIRED = "请指定目标社区（committees）或整个街道（street）。"
ERR_TASK_TARGET_BOTH = "目标社区（committees）与街道（street）只能指定其一。"
ERR_TASK_UNKNOWN_COMMITTEES = "未知的社区代码：{codes}"
ERR_TASK_UNKNOWN_STREET = "未知的街道代码：{code}"
ERR_TASK_STREET_EMPTY = "该街道没有社区居委会。"
ERR_TASK_DUE_PAST = "完成期限不能早于今天。"
ERR_IDEMPOTENCY_CONFLICT = "该 Idempotency-Key 已用于另一份内容不同的请求；请为新请求使用新的键。"
ERR_ASSIGNMENT_TRANSITION = "任务当前状态为“{status}”，不能{action}。"
ERR_REPORT_REQUIRED = "请填写完成情况报告。"
ERR_REFUSAL_REQUIRED = "请填写拒绝理由。"

REFUSE_NOT_LISTED = "事项“{code}”不在本区社区公共服务事项准入清单上，社区不予承接。"
REFUSE_EXCLUDED = "事项“{name}”属于不应由社区承担的事项，应由{department}自行办理。"
REFUSE_NOT_ADMITTED = "事项“{name}”当前为“{status}”，未经准入，社区不予承接。"
REFUSE_NOT_EFFECTIVE = "事项“{name}”的准入自 {date} 起生效。"
REFUSE_UNDERFUNDED = (
    "随事转经费不足：{quantity} {unit} × {rate} 元 × {count} 个社区 = {required} 元，实际提供 {funding} 元。"
)

CENT = Decimal("0.01")


class IdempotencyConflict(ValidationError):
    """The key was used before with another request body."""


def add_working_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


# The admission list -----------------------------------------------------------------------------------

ITEM_EDITABLE_FIELDS = (
    "name",
    "area",
    "category",
    "department",
    "legal_basis",
    "source_document",
    "effective_from",
    "unit",
    "unit_rate",
)

# action -> (from status, to status, Chinese verb, note required)
ITEM_TRANSITIONS = {
    "approve": (ServiceItem.Status.APPLIED, ServiceItem.Status.APPROVED, "审批通过", False),
    "reject": (ServiceItem.Status.APPLIED, ServiceItem.Status.REJECTED, "不予准入", True),
    "admit": (ServiceItem.Status.APPROVED, ServiceItem.Status.ADMITTED, "准入", False),
    "revoke": (ServiceItem.Status.ADMITTED, ServiceItem.Status.REVOKED, "撤销", True),
}


@transaction.atomic
def service_item_apply(
    *,
    actor: User,
    department: Department,
    name: str,
    area: str,
    category: str,
    legal_basis: str,
    source_document: str,
    effective_from: date,
    unit: str,
    unit_rate: Decimal,
    applied_on: date | None = None,
) -> ServiceItem:
    """A department (or the bureau on its behalf) applies to put an item on the list."""
    if actor.role == Role.DEPARTMENT and actor.department_id != department.pk:
        raise ValidationError({"department": _(ERR_ITEM_OTHER_DEPARTMENT)})
    applied_on = applied_on or timezone.localdate()
    earliest = add_working_days(applied_on, APPLY_LEAD_WORKING_DAYS)
    if effective_from < earliest:
        raise ValidationError(
            {
                "effective_from": _(ERR_ITEM_TOO_LATE).format(
                    days=APPLY_LEAD_WORKING_DAYS, earliest=earliest.isoformat()
                )
            }
        )
    item = ServiceItem(
        code=_next_application_code(applied_on.year),
        name=name,
        area=area,
        category=category,
        department=department,
        legal_basis=legal_basis,
        source_document=source_document,
        effective_from=effective_from,
        unit=unit,
        unit_rate=unit_rate,
        status=ServiceItem.Status.APPLIED,
        applied_on=applied_on,
        decision_due=add_working_days(applied_on, DECISION_WORKING_DAYS),
    )
    item.full_clean()
    item.save()
    audit.record(
        actor=actor,
        action="service_item.apply",
        obj=item,
        details={
            "code": item.code,
            "department": department.code,
            "category": item.category,
            "unit_rate": str(item.unit_rate),
            "effective_from": item.effective_from.isoformat(),
            "decision_due": item.decision_due.isoformat(),
        },
    )
    return item


def _next_application_code(year: int) -> str:
    prefix = f"SQ{year}"
    taken = ServiceItem.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


@transaction.atomic
def service_item_transition(*, actor: User, item: ServiceItem, action: str, note: str = "") -> ServiceItem:
    """Move an item along the procedure: approve / reject an application, admit an approved item, revoke."""
    if action not in ITEM_TRANSITIONS:
        raise ValidationError({"action": _(ERR_ITEM_UNKNOWN_ACTION).format(action=action)})
    source, target, verb, note_required = ITEM_TRANSITIONS[action]
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if item.status != source:
        raise ValidationError(
            {"action": _(ERR_ITEM_TRANSITION).format(status=item.get_status_display(), action=verb)}
        )
    note = note.strip()
    if note_required and not note:
        raise ValidationError({"note": _(ERR_ITEM_NOTE_REQUIRED)})
    previous = item.status
    item.status = target
    if note:
        item.review_note = note
    if action in ("approve", "reject"):
        item.decided_at = timezone.now()
    item.full_clean()
    item.save()
    audit.record(
        actor=actor,
        action=f"service_item.{action}",
        obj=item,
        details={"code": item.code, "from": previous, "to": target, "note": note},
    )
    return item


@transaction.atomic
def service_item_update(*, actor: User, item: ServiceItem, changes: dict) -> ServiceItem:
    """The bureau corrects an entry. Tasks already decided keep the rate they were decided at."""
    item = ServiceItem.objects.select_for_update().get(pk=item.pk)
    before = {}
    for field, value in changes.items():
        if field not in ITEM_EDITABLE_FIELDS:
            raise ValidationError({field: _(ERR_ITEM_UNKNOWN_FIELD).format(field=field)})
        before[field] = getattr(item, field)
        setattr(item, field, value)
    item.full_clean()
    item.save()
    item.refresh_from_db()
    audit.record(
        actor=actor,
        action="service_item.update",
        obj=item,
        details={f: [_jsonable(before[f]), _jsonable(getattr(item, f))] for f in changes},
    )
    return item


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


# Admission ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Admission:
    decision: str
    reason: str
    detail: str
    required: Decimal
    rate: Decimal


def admission_decide(
    *, item: ServiceItem | None, code: str, quantity: int, committee_count: int, funding: Decimal, on: date
) -> Admission:
    """The admission rule: the item is on the list, in force, in a list committees take on, and the task
    brings at least the item's rate for the work it asks of every committee (费随事转)."""
    refused = Task.Decision.REFUSED
    reasons = Task.RefusalReason
    zero = Decimal("0.00")
    if item is None:
        return Admission(refused, reasons.NOT_LISTED, _(REFUSE_NOT_LISTED).format(code=code), zero, zero)
    if item.category == ServiceItem.Category.EXCLUDED:
        detail = _(REFUSE_EXCLUDED).format(name=item.name, department=item.department.name)
        return Admission(refused, reasons.EXCLUDED, detail, zero, zero)
    if item.status != ServiceItem.Status.ADMITTED:
        detail = _(REFUSE_NOT_ADMITTED).format(name=item.name, status=item.get_status_display())
        return Admission(refused, reasons.NOT_ADMITTED, detail, zero, zero)
    if item.effective_from > on:
        detail = _(REFUSE_NOT_EFFECTIVE).format(name=item.name, date=item.effective_from.isoformat())
        return Admission(refused, reasons.NOT_EFFECTIVE, detail, zero, item.unit_rate)
    required = (item.unit_rate * quantity * committee_count).quantize(CENT)
    if funding < required:
        detail = _(REFUSE_UNDERFUNDED).format(
            quantity=quantity,
            unit=item.unit,
            rate=item.unit_rate,
            count=committee_count,
            required=required,
            funding=funding.quantize(CENT),
        )
        return Admission(refused, reasons.UNDERFUNDED, detail, required, item.unit_rate)
    return Admission(Task.Decision.ADMITTED, "", "", required, item.unit_rate)


def split_funding(total: Decimal, count: int) -> list[Decimal]:
    """Split `total` yuan into `count` shares that differ by at most a cent and sum exactly to it."""
    cents = int((total.quantize(CENT) * 100).to_integral_value(rounding=ROUND_DOWN))
    base, remainder = divmod(cents, count)
    return [Decimal(base + (1 if i < remainder else 0)) / 100 for i in range(count)]


def _resolve_targets(
    *, actor: User, committee_codes: list[str] | None, street_code: str | None
) -> tuple[list[Committee], Street | None]:
    """Committees the department may reach; a code outside its streets reads as an unknown code."""
    if committee_codes and street_code:
        raise ValidationError({"committees": _(ERR_TASK_TARGET_BOTH)})
    visible = scoping.visible_committees(actor)
    if street_code:
        street = scoping.visible_streets(actor).filter(code=street_code).first()
        if street is None:
            raise ValidationError({"street": _(ERR_TASK_UNKNOWN_STREET).format(code=street_code)})
        committees = list(visible.filter(street=street).order_by("code"))
        if not committees:
            raise ValidationError({"street": _(ERR_TASK_STREET_EMPTY)})
        return committees, street
    if not committee_codes:
        raise ValidationError({"committees": _(ERR_TASK_TARGET_REQUIRED)})
    codes = sorted(set(committee_codes))
    committees = list(visible.filter(code__in=codes).order_by("code"))
    missing = sorted(set(codes) - {c.code for c in committees})
    if missing:
        raise ValidationError({"committees": _(ERR_TASK_UNKNOWN_COMMITTEES).format(codes="、".join(missing))})
    return committees, None


@transaction.atomic
def task_submit(
    *,
    actor: User,
    service_item_code: str,
    title: str,
    description: str = "",
    due_date: date,
    quantity: int,
    funding: Decimal,
    committee_codes: list[str] | None = None,
    street_code: str | None = None,
) -> Task:
    """Record a department's task and decide it: admitted (assignments and funding lines for every target
    committee) or refused with its reason. A refusal is a recorded outcome, not an error."""
    if actor.role != Role.DEPARTMENT or actor.department_id is None:
        raise ValidationError(_(ERR_TASK_NOT_DEPARTMENT))
    committees, street = _resolve_targets(
        actor=actor, committee_codes=committee_codes, street_code=street_code
    )
    today = timezone.localdate()
    if due_date < today:
        raise ValidationError({"due_date": _(ERR_TASK_DUE_PAST)})
    item = ServiceItem.objects.select_related("department").filter(code=service_item_code).first()
    admission = admission_decide(
        item=item,
        code=service_item_code,
        quantity=quantity,
        committee_count=len(committees),
        funding=funding,
        on=today,
    )
    task = Task(
        department_id=actor.department_id,
        submitted_by=actor,
        service_item=item,
        service_item_code=service_item_code,
        title=title,
        description=description,
        street=street,
        due_date=due_date,
        quantity=quantity,
        funding=funding,
        unit_rate=admission.rate,
        required_funding=admission.required,
        decision=admission.decision,
        refusal_reason=admission.reason,
        refusal_detail=admission.detail,
    )
    task.full_clean()
    task.save()
    task.committees.set(committees)
    if task.decision == Task.Decision.ADMITTED:
        _create_work_and_money(task, committees)
    audit.record(
        actor=actor,
        action=f"task.{task.decision}",
        obj=task,
        details={
            "service_item": service_item_code,
            "committees": [c.code for c in committees],
            "quantity": quantity,
            "funding": str(task.funding),
            "required_funding": str(task.required_funding),
            "reason": task.refusal_reason,
        },
    )
    return task


def _create_work_and_money(task: Task, committees: list[Committee]) -> None:
    assignments = [TaskAssignment(task=task, committee=c) for c in committees]
    lines = [
        TaskFundingLine(task=task, committee=c, year=task.due_date.year, amount=amount)
        for c, amount in zip(committees, split_funding(task.funding, len(committees)), strict=True)
    ]
    for row in (*assignments, *lines):
        row.full_clean(validate_unique=False)  # new rows of a new task: nothing to collide with
    TaskAssignment.objects.bulk_create(assignments)
    TaskFundingLine.objects.bulk_create(lines)


@dataclass(frozen=True)
class SubmitOutcome:
    task: Task | None
    errors: dict
    status_code: int
    replayed: bool


# Concurrent retries of one key: the first claims it, the others wait for its answer. PostgreSQL makes them
# wait on the key's unique index (then IntegrityError); SQLite refuses a second writer ("database is locked")
# or hands a stale snapshot, so the whole attempt is run again, briefly backing off, until the answer is there.
IDEMPOTENCY_ATTEMPTS = 40
IDEMPOTENCY_BACKOFF_SECONDS = 0.05


def _is_lock_error(exc: OperationalError) -> bool:
    return connection.vendor == "sqlite" and "locked" in str(exc)


def _key_claimed(actor: User, key: str) -> bool:
    try:
        return IdempotencyKey.objects.filter(user=actor, key=key).exists()
    except OperationalError as exc:
        if _is_lock_error(exc):
            return True  # the claimer is still writing: try again
        raise


def task_submit_idempotent(
    *, actor: User, idempotency_key: str, fingerprint: str, **submission
) -> SubmitOutcome:
    """`task_submit` behind an idempotency key: the first request's answer is stored with the key and
    given again for the same body, also to retries racing the first request; another body under the same
    key is refused (IdempotencyConflict)."""
    retry = not connection.in_atomic_block  # inside an outer transaction an attempt cannot be run again
    for attempt in range(IDEMPOTENCY_ATTEMPTS):
        last = not retry or attempt == IDEMPOTENCY_ATTEMPTS - 1
        try:
            return _submit_once(
                actor=actor, idempotency_key=idempotency_key, fingerprint=fingerprint, **submission
            )
        except IntegrityError:
            if last or not _key_claimed(actor, idempotency_key):
                raise  # not the key's constraint: a real fault
        except OperationalError as exc:
            if last or not _is_lock_error(exc):
                raise
        time.sleep(min(IDEMPOTENCY_BACKOFF_SECONDS * (attempt + 1), 0.5))
    raise AssertionError("unreachable")


@transaction.atomic
def _submit_once(*, actor: User, idempotency_key: str, fingerprint: str, **submission) -> SubmitOutcome:
    record, created = IdempotencyKey.objects.select_for_update().get_or_create(
        user=actor, key=idempotency_key, defaults={"fingerprint": fingerprint}
    )
    if not created:
        if record.fingerprint != fingerprint:
            raise IdempotencyConflict({"idempotency_key": _(ERR_IDEMPOTENCY_CONFLICT)})
        task = Task.objects.filter(pk=record.task_id).first()
        return SubmitOutcome(task, record.errors, record.status_code, replayed=True)
    try:
        with transaction.atomic():
            task = task_submit(actor=actor, **submission)
    except ValidationError as exc:
        task, errors, status = None, _error_dict(exc), 422
    else:
        errors, status = {}, 201 if task.decision == Task.Decision.ADMITTED else 422
    record.task, record.errors, record.status_code = task, errors, status
    record.save(update_fields=["task", "errors", "status_code"])
    return SubmitOutcome(task, errors, status, replayed=False)


def _error_dict(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
    return {"non_field_errors": [str(m) for m in exc.messages]}


# The committees' work ----------------------------------------------------------------------------------


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
