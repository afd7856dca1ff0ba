"""The admission list and its procedure: a department applies (申请), the bureau approves or rejects (审批),
admits (准入) and revokes (撤销); the bureau corrects an entry."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community_admin.accounts.models import Role, User
from community_admin.admission.models import (
    ServiceItem,
)
from community_admin.admission.services.calendar import (
    APPLY_LEAD_WORKING_DAYS,
    DECISION_WORKING_DAYS,
    add_working_days,
)
from community_admin.core import audit
from community_admin.org.models import Department

ERR_ITEM_TOO_LATE = "生效日期须在申请之日起至少 {days} 个工作日之后（最早 {earliest}）。"
ERR_ITEM_OTHER_DEPARTMENT = "部门账户只能为本部门申请准入事项。"
ERR_ITEM_TRANSITION = "事项当前状态为“{status}”，不能{action}。"
ERR_ITEM_UNKNOWN_ACTION = "未知的审批操作：{action}"
ERR_ITEM_NOTE_REQUIRED = "请填写审批意见（不予准入或撤销时必填）。"
ERR_ITEM_UNKNOWN_FIELD = "不能修改字段：{field}"


ERR_ITEM_CO_OWNER_IS_OWNER = "协办部门：主管部门不必再列为协办部门。"

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
    "co_departments",
)
ITEM_MANY_FIELDS = {"co_departments"}

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
    before, many = {}, {}
    for field, value in changes.items():
        if field not in ITEM_EDITABLE_FIELDS:
            raise ValidationError({field: _(ERR_ITEM_UNKNOWN_FIELD).format(field=field)})
        if field in ITEM_MANY_FIELDS:
            before[field], many[field] = _codes(getattr(item, field).all()), list(value)
            continue
        before[field] = getattr(item, field)
        setattr(item, field, value)
    if item.department in many.get("co_departments", ()):
        raise ValidationError({"co_departments": _(ERR_ITEM_CO_OWNER_IS_OWNER)})
    item.full_clean()
    item.save()
    for field, value in many.items():
        getattr(item, field).set(value)
    item.refresh_from_db()
    after = {f: _codes(v) for f, v in many.items()}
    audit.record(
        actor=actor,
        action="service_item.update",
        obj=item,
        details={
            f: [_jsonable(before[f]), after[f] if f in after else _jsonable(getattr(item, f))]
            for f in changes
        },
    )
    return item


def _codes(departments) -> list[str]:
    return sorted(d.code for d in departments)


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value
