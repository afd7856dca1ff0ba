"""Reads of the tasks capability. Whatever depends on who asks is built on `accounts.scoping`;
the workload figures take querysets the caller has already scoped, so dashboards can reuse them."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.admission.models import ServiceItem, Task, TaskAssignment, TaskFundingLine
from community_admin.core.models import AuditLog
from community_admin.org.models import Committee, Street

CENT = Decimal("0.01")

# The admission list ------------------------------------------------------------------------------------


def service_item_list(*, filters: dict | None = None) -> QuerySet[ServiceItem]:
    """The whole list: it is the district's published list, the same for everyone who may read it."""
    filters = filters or {}
    items = (
        ServiceItem.objects.select_related("department")
        .prefetch_related("co_departments")
        .order_by("area", "code")
    )
    for name in ("area", "category", "status"):
        if filters.get(name):
            items = items.filter(**{name: filters[name]})
    if filters.get("department"):
        items = items.filter(department=filters["department"])
    if filters.get("q"):
        items = items.filter(Q(name__icontains=filters["q"]) | Q(code__icontains=filters["q"]))
    return items


def service_item_summary() -> dict[str, int]:
    """Entries in force per list, and applications awaiting a decision (overdue ones apart)."""
    today = timezone.localdate()
    in_force = Q(status=ServiceItem.Status.ADMITTED, effective_from__lte=today)
    return ServiceItem.objects.aggregate(
        total=Count("id"),
        duty=Count("id", filter=in_force & Q(category=ServiceItem.Category.DUTY)),
        assist=Count("id", filter=in_force & Q(category=ServiceItem.Category.ASSIST)),
        excluded=Count("id", filter=in_force & Q(category=ServiceItem.Category.EXCLUDED)),
        pending=Count("id", filter=Q(status__in=[ServiceItem.Status.APPLIED, ServiceItem.Status.APPROVED])),
        overdue_decisions=Count("id", filter=Q(status=ServiceItem.Status.APPLIED, decision_due__lt=today)),
    )


def service_item_history(item: ServiceItem) -> QuerySet[AuditLog]:
    return (
        AuditLog.objects.filter(object_type=ServiceItem._meta.label_lower, object_id=str(item.pk))
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


# Tasks and the inbox -----------------------------------------------------------------------------------


def task_list(user) -> QuerySet[Task]:
    """A department sees the tasks it submitted; the others the tasks aimed at committees they see."""
    tasks = Task.objects.select_related("department", "service_item", "street")
    if not getattr(user, "is_authenticated", False):
        return tasks.none()
    if user.role == Role.BUREAU:
        return tasks
    if user.role == Role.DEPARTMENT:
        return tasks.filter(department_id=user.department_id)
    targeted = Task.committees.through.objects.filter(committee__in=scoping.visible_committees(user))
    return tasks.filter(pk__in=targeted.values("task_id"))


def _lines_of(queryset: QuerySet, user) -> QuerySet:
    """A task's per-committee rows (assignments, funding lines, targets) as `user` may read them: the bureau
    and the submitting department every row; a street its committees'; a committee its own only, so the
    committees a task was pushed onto together never read each other's reports or money."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    if user.role == Role.BUREAU:
        return queryset
    if user.role == Role.DEPARTMENT:
        return queryset.filter(task__department_id=user.department_id)
    return scoping.scope_by_committee(queryset, user)


def task_assignment_lines(user) -> QuerySet[TaskAssignment]:
    return _lines_of(TaskAssignment.objects.select_related("task", "committee"), user)


def task_funding_lines(user) -> QuerySet[TaskFundingLine]:
    return _lines_of(TaskFundingLine.objects.select_related("committee"), user)


def task_list_detailed(user) -> QuerySet[Task]:
    """`task_list` with each task's targets, assignments and funding lines limited as `_lines_of` says."""
    targets = Committee.objects.order_by("code")
    if getattr(user, "role", None) in (Role.STREET, Role.COMMITTEE):
        targets = targets.filter(pk__in=list(scoping.visible_committees(user).values_list("pk", flat=True)))
    return task_list(user).prefetch_related(
        Prefetch("committees", targets),
        Prefetch("assignments", task_assignment_lines(user)),
        Prefetch("funding_lines", task_funding_lines(user)),
    )


def assignment_list(user) -> QuerySet[TaskAssignment]:
    """Admitted tasks as the committees the user sees work them (a department sees none here)."""
    if not getattr(user, "is_authenticated", False) or user.role == Role.DEPARTMENT:
        return TaskAssignment.objects.none()
    return scoping.scope_by_committee(
        TaskAssignment.objects.select_related(
            "task", "task__department", "task__service_item", "committee", "committee__street"
        ),
        user,
    )


INBOX_STATUSES = [
    ("open", "未办结"),
    ("accepted", "已接收"),
    ("in_progress", "办理中"),
    ("overdue", "已逾期"),
    ("done", "已完成"),
    ("refused", "街道代为拒绝"),
    ("refusal_requested", "申请街道拒绝（待街道决定）"),
]


def inbox(user, *, status: str = "", committee: Committee | None = None) -> QuerySet[TaskAssignment]:
    rows = assignment_list(user)
    today = timezone.localdate()
    if committee is not None:
        rows = rows.filter(committee=committee)
    if status == "open":
        rows = rows.filter(status__in=TaskAssignment.OPEN)
    elif status == "overdue":
        rows = rows.filter(status__in=TaskAssignment.OPEN, task__due_date__lt=today)
    elif status == "refusal_requested":
        rows = rows.filter(refusal_requested_at__isnull=False, refusal_request_decision="")
    elif status in (TaskAssignment.Status.ACCEPTED, TaskAssignment.Status.IN_PROGRESS):
        rows = rows.filter(status=status, task__due_date__gte=today)
    elif status in TaskAssignment.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by("task__due_date", "committee__code", "id")


def task_funding_total(*, committee: Committee, year: int) -> Decimal:
    """The money that followed admitted tasks to a committee in a budget year (withdrawn lines excluded)."""
    total = TaskFundingLine.objects.filter(
        committee=committee, year=year, withdrawn_at__isnull=True
    ).aggregate(total=Sum("amount"))["total"]
    return _exact(total) if total is not None else Decimal("0.00")


# Workload ---------------------------------------------------------------------------------------------


@dataclass
class Workload:
    """What departments pushed onto a committee (or a street's committees) in a period."""

    unit: object
    received: int = 0  # task × committee pairs
    admitted: int = 0
    refused: int = 0  # refused on admission
    refused_by_street: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0
    affairs: int = 0  # distinct affairs (service item codes) pushed: the report's "80 多项"
    work_value: Decimal = field(default_factory=lambda: Decimal("0.00"))  # admitted work at the list's rates
    funding: Decimal = field(default_factory=lambda: Decimal("0.00"))  # money that followed it


def _period(year: int | None, *, prefix: str = "task__") -> Q:
    """Tasks submitted in a calendar year, local time (all years when None)."""
    if year is None:
        return Q()
    tz = timezone.get_current_timezone()
    start = datetime.combine(date(year, 1, 1), time.min, tzinfo=tz)
    end = datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=tz)
    return Q(**{f"{prefix}submitted_at__gte": start, f"{prefix}submitted_at__lt": end})


def _figures(committees: QuerySet[Committee], *, year: int | None, group: str) -> dict[int, dict]:
    """Three grouped queries (targets, assignments, money) merged by `group` (committee or street id)."""
    period = _period(year)
    today = timezone.localdate()
    rows: dict[int, dict] = {}
    targets = (
        Task.committees.through.objects.filter(period, committee__in=committees)
        .values(key=F(group))
        .annotate(
            received=Count("id"),
            admitted=Count("id", filter=Q(task__decision=Task.Decision.ADMITTED)),
            refused=Count("id", filter=Q(task__decision=Task.Decision.REFUSED)),
            affairs=Count("task__service_item_code", distinct=True),
        )
    )
    open_ = Q(status__in=TaskAssignment.OPEN)
    value = ExpressionWrapper(
        F("task__quantity") * F("task__unit_rate"), output_field=DecimalField(max_digits=14, decimal_places=2)
    )
    work = (
        TaskAssignment.objects.filter(period, committee__in=committees)
        .values(key=F(group))
        .annotate(
            refused_by_street=Count("id", filter=Q(status=TaskAssignment.Status.REFUSED)),
            done=Count("id", filter=Q(status=TaskAssignment.Status.DONE)),
            open=Count("id", filter=open_),
            overdue=Count("id", filter=open_ & Q(task__due_date__lt=today)),
            work_value=Sum(value, filter=~Q(status=TaskAssignment.Status.REFUSED)),
        )
    )
    money = (
        TaskFundingLine.objects.filter(period, committee__in=committees, withdrawn_at__isnull=True)
        .values(key=F(group))
        .annotate(funding=Sum("amount"))
    )
    for query in (targets, work, money):
        for row in query:
            rows.setdefault(row.pop("key"), {}).update(
                {k: _exact(v) for k, v in row.items() if v is not None}
            )
    return rows


def _exact(value):
    # SQLite sums decimals as floating point; money is shown and compared to the cent.
    return value.quantize(CENT) if isinstance(value, Decimal) else value


def workload_by_committee(committees: QuerySet[Committee], *, year: int | None = None) -> list[Workload]:
    figures = _figures(committees, year=year, group="committee_id")
    return [
        Workload(unit=c, **figures.get(c.pk, {}))
        for c in committees.select_related("street").order_by("street__code", "code")
    ]


def workload_by_street(
    streets: QuerySet[Street], committees: QuerySet[Committee], *, year: int | None = None
) -> list[Workload]:
    """Per street, over the committees the caller sees (pass the scoped querysets of both)."""
    figures = _figures(committees, year=year, group="committee__street_id")
    return [Workload(unit=s, **figures.get(s.pk, {})) for s in streets.order_by("code")]


def workload_total(rows: list[Workload]) -> Workload:
    total = Workload(unit=None)
    for row in rows:
        for name in ("received", "admitted", "refused", "refused_by_street", "done", "open", "overdue"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        total.work_value += row.work_value
        total.funding += row.funding
    return total


def district_affairs(committees: QuerySet[Committee], *, year: int | None = None) -> int:
    """Distinct affairs pushed onto the given committees in the period."""
    return (
        Task.committees.through.objects.filter(_period(year), committee__in=committees)
        .values("task__service_item_code")
        .distinct()
        .count()
    )


def refusals(tasks: QuerySet[Task], *, year: int | None = None) -> dict[str, list[tuple[str, int]]]:
    """Refused tasks by reason and by department: the bureau's evidence of what is pushed down unfunded."""
    refused = tasks.filter(_period(year, prefix=""), decision=Task.Decision.REFUSED)
    labels = dict(Task.RefusalReason.choices)
    by_reason = [
        (str(labels[row["refusal_reason"]]), row["n"])
        for row in refused.values("refusal_reason").annotate(n=Count("id")).order_by("-n", "refusal_reason")
    ]
    by_department = [
        (row["department__name"], row["n"])
        for row in refused.values("department__name")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name")
    ]
    return {"by_reason": by_reason, "by_department": by_department}
