"""Tasks submitted by departments: the admission rule (费随事转), the target committees, and the work and
money an admitted task creates. A refusal is a recorded outcome, not an error."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community_admin.accounts import scoping
from community_admin.accounts.models import Role, User
from community_admin.admission.models import ServiceItem, Task, TaskAssignment, TaskFundingLine
from community_admin.core import audit
from community_admin.org.models import Committee, Department, Street

ERR_TASK_NOT_DEPARTMENT = "只有部门账户可以向社区派发任务。"
ERR_TASK_TARGET_REQUIRED = "请指定目标社区（committees）或整个街道（street）。"
ERR_TASK_TARGET_BOTH = "目标社区（committees）与街道（street）只能指定其一。"
ERR_TASK_UNKNOWN_COMMITTEES = "未知的社区代码：{codes}"
ERR_TASK_UNKNOWN_STREET = "未知的街道代码：{code}"
ERR_TASK_STREET_EMPTY = "该街道没有社区居委会。"
ERR_TASK_DUE_PAST = "完成期限不能早于今天。"


REFUSE_NOT_LISTED = "事项“{code}”不在本区社区公共服务事项准入清单上，社区不予承接。"
REFUSE_EXCLUDED = "事项“{name}”属于不应由社区承担的事项，应由{department}自行办理。"
REFUSE_DUTY = (
    "事项“{name}”属于社区依法履行职责事项，是社区居委会自己的工作，不作为部门任务派发；"
    "需要社区协助的工作请按“依法协助政府工作事项”申请准入。"
)
REFUSE_NOT_OWNER = "事项“{name}”的主管部门是{owner}，{department}不是其主管或协办部门，不能据此派发任务。"
REFUSE_NOT_ADMITTED = "事项“{name}”当前为“{status}”，未经准入，社区不予承接。"
REFUSE_NOT_EFFECTIVE = "事项“{name}”的准入自 {date} 起生效。"
REFUSE_UNDERFUNDED = (
    "随事转经费不足：{quantity} {unit} × {rate} 元 × {count} 个社区 = {required} 元，实际提供 {funding} 元。"
)

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Admission:
    decision: str
    reason: str
    detail: str
    required: Decimal
    rate: Decimal


def admission_decide(
    *,
    item: ServiceItem | None,
    code: str,
    department: Department,
    quantity: int,
    committee_count: int,
    funding: Decimal,
    on: date,
) -> Admission:
    """The admission rule: the item is on the list, in force, an assist item (a duty item is the committee's
    own work, an excluded one the department's), owned or co-owned by the submitting department, and the task
    brings at least the item's rate for the work it asks of every committee (费随事转)."""
    refused = Task.Decision.REFUSED
    reasons = Task.RefusalReason
    zero = Decimal("0.00")
    if item is None:
        return Admission(refused, reasons.NOT_LISTED, _(REFUSE_NOT_LISTED).format(code=code), zero, zero)
    if item.category == ServiceItem.Category.EXCLUDED:
        detail = _(REFUSE_EXCLUDED).format(name=item.name, department=item.department.name)
        return Admission(refused, reasons.EXCLUDED, detail, zero, zero)
    if item.category == ServiceItem.Category.DUTY:
        return Admission(refused, reasons.DUTY, _(REFUSE_DUTY).format(name=item.name), zero, zero)
    if not owns(item, department):
        detail = _(REFUSE_NOT_OWNER).format(
            name=item.name, owner=item.department.name, department=department.name
        )
        return Admission(refused, reasons.NOT_OWNER, detail, zero, zero)
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


def owns(item: ServiceItem, department: Department) -> bool:
    """The department is the item's 主管部门 or one of its 协办部门 (prefetched as `co_departments`)."""
    return item.department_id == department.pk or any(
        d.pk == department.pk for d in item.co_departments.all()
    )


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
    item = (
        ServiceItem.objects.select_related("department")
        .prefetch_related("co_departments")
        .filter(code=service_item_code)
        .first()
    )
    admission = admission_decide(
        item=item,
        code=service_item_code,
        department=actor.department,
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
