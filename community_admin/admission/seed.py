"""Demo district, tasks part: the admission list from the report (with a few applications in the
procedure), then a year of tasks from several departments, decided by the same admission rule as the API.
Dates are relative to the day the seed runs, so the inbox always has open, overdue and finished work;
everything else comes from the seed's generator."""

from collections import defaultdict
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.accounts.models import Role, User
from community_admin.admission import catalogue, services
from community_admin.admission.models import Area, ServiceItem, Task, TaskAssignment, TaskFundingLine
from community_admin.core.seeding import SeedContext
from community_admin.org.models import Department

TASKS = {"full": 600, "small": 40}
# Tasks that are not on the list at all: the "temporary" work the report says keeps arriving.
UNLISTED = [
    ("LS-TJ-01", "各类临时统计报表填报"),
    ("LS-ZJ-01", "房屋租赁情况临时摸底"),
    ("LS-SJ-01", "辖区商户证照信息代为核对"),
    ("LS-PS-01", "出租屋住户信息代为采集"),
]
SUBMITTERS = ["MZ", "RS", "YB", "WJ", "JY", "CG", "ZF", "WL", "KX", "CL", "ZJ", "TJ", "SJ", "PS01", "PS03"]
APPLICATIONS = [
    # (department, name, area, category, unit, rate, working days ago applied, action to reach)
    ("CG", "垃圾分类入户督导", Area.URBAN_MANAGEMENT, ServiceItem.Category.ASSIST, "户", "2", 5, None),
    ("WJ", "家庭医生签约入户宣传", Area.HEALTH, ServiceItem.Category.ASSIST, "户", "3", 20, None),
    ("ZF", "反诈宣传进社区", Area.PUBLIC_SECURITY, ServiceItem.Category.ASSIST, "次", "200", 12, "approve"),
    ("TJ", "季度住户收支调查", Area.OTHER, ServiceItem.Category.ASSIST, "户", "10", 25, "reject"),
]


def run(ctx: SeedContext) -> None:
    items = _catalogue(ctx)
    if Task.objects.exists():
        ctx.say("[tasks] 演示任务已存在，跳过。")
        return
    _tasks(ctx, items)


def _catalogue(ctx: SeedContext) -> dict[str, ServiceItem]:
    """The list itself is reference data (admission/reference.py, installed before the seed); the demo adds
    applications in the procedure, once."""
    if ServiceItem.objects.exclude(code__in=[row[0] for row in catalogue.ITEMS]).exists():
        ctx.say("[tasks] 准入申请已存在，跳过。")
        return {
            i.code: i
            for i in ServiceItem.objects.select_related("department").prefetch_related("co_departments")
        }
    departments = {d.code: d for d in Department.objects.all()}
    # Applications in the procedure, written as history (like the rest of the demo, without audit rows).
    today = timezone.localdate()
    now = timezone.now()
    states = {
        None: ServiceItem.Status.APPLIED,
        "approve": ServiceItem.Status.APPROVED,
        "reject": ServiceItem.Status.REJECTED,
    }
    notes = {None: "", "approve": "同意，待生效日准入。", "reject": "属部门职责，应由统计调查队伍入户完成。"}
    for n, (dept, name, area, category, unit, rate, days_ago, action) in enumerate(APPLICATIONS, start=1):
        applied_on = _working_days_before(today, days_ago)
        department = departments[dept]
        item = ServiceItem(
            code=f"SQ{applied_on.year}{900 + n:03d}",
            name=name,
            area=area,
            category=category,
            department=department,
            legal_basis=catalogue.ASSIST_BASIS[area],
            source_document=f"{department.name}准入申请",
            effective_from=services.add_working_days(applied_on, services.APPLY_LEAD_WORKING_DAYS),
            unit=unit,
            unit_rate=catalogue.rate(rate),
            applied_on=applied_on,
            decision_due=services.add_working_days(applied_on, services.DECISION_WORKING_DAYS),
            status=states[action],
            review_note=notes[action],
            decided_at=now if action else None,
        )
        item.full_clean()
        item.save()
    ctx.say(f"[tasks] 准入清单 {len(catalogue.ITEMS)} 项，另有 {len(APPLICATIONS)} 项申请在审批流程中。")
    return {
        i.code: i for i in ServiceItem.objects.select_related("department").prefetch_related("co_departments")
    }


def _working_days_before(day, n):
    while n > 0:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def _tasks(ctx: SeedContext, items: dict[str, ServiceItem]) -> None:
    rng = ctx.rng("tasks")
    accounts = {
        u.department.code: u
        for u in User.objects.filter(role=Role.DEPARTMENT, department__code__in=SUBMITTERS).select_related(
            "department"
        )
    }
    if not items or not accounts:
        ctx.say("[tasks] 没有准入清单或部门账户，跳过演示任务。")
        return
    reach = {}
    for code, user in accounts.items():
        by_street = defaultdict(list)
        for committee in scoping.visible_committees(user).select_related("street").order_by("code"):
            by_street[committee.street].append(committee)
        reach[code] = by_street
    admissible = [i for i in items.values() if i.status == ServiceItem.Status.ADMITTED]
    own = defaultdict(list)
    for item in admissible:
        own[item.department.code].append(item)
    excluded = [i for i in admissible if i.category == ServiceItem.Category.EXCLUDED]
    takeable = [i for i in admissible if i.category != ServiceItem.Category.EXCLUDED]

    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    now = timezone.now()
    codes = sorted(accounts)
    planned = []
    for n in range(TASKS[ctx.scale]):
        dept = codes[n % len(codes)]
        user = accounts[dept]
        submitted_on = today - timedelta(days=rng.randint(1, 365))
        roll = rng.random()
        if roll < 0.06:
            code, title = rng.choice(UNLISTED)
            item = None
        else:
            if roll < 0.16:
                pool = excluded
            else:
                # a department pushes its own assist items; one without any tries others' (and is refused)
                pool = [i for i in own.get(dept, []) if i.category == ServiceItem.Category.ASSIST] or takeable
            item = rng.choice(pool)
            code, title = item.code, f"{submitted_on:%Y年%m月}{item.name}"
        streets = list(reach[dept])
        street = rng.choice(streets)
        if rng.random() < 0.35:
            committees, whole_street = reach[dept][street], street
        else:
            pool = reach[dept][street]
            committees, whole_street = (
                sorted(rng.sample(pool, rng.randint(1, min(5, len(pool)))), key=lambda c: c.code),
                None,
            )
        quantity = (
            rng.choice([1, 2, 5, 10, 20, 40, 80])
            if item is None or item.unit_rate < 100
            else rng.randint(1, 3)
        )
        rate = item.unit_rate if item else Decimal("0")
        required = (rate * quantity * len(committees)).quantize(services.CENT)
        # Most departments send the money; some send too little, as the report says ("费不随事转").
        if rng.random() < 0.12 and required > 0:
            funding = (required * Decimal(str(rng.choice([0, 0.3, 0.5, 0.8])))).quantize(services.CENT)
        else:
            funding = required + Decimal(rng.choice([0, 0, 0, 50, 100]))
        admission = services.admission_decide(
            item=item,
            code=code,
            department=user.department,
            quantity=quantity,
            committee_count=len(committees),
            funding=funding,
            on=submitted_on,
        )
        planned.append(
            (
                Task(
                    department=user.department,
                    submitted_by=user,
                    service_item=item,
                    service_item_code=code,
                    title=title,
                    description=f"{user.department.name}布置：{title}，请按期完成并报告。",
                    street=whole_street,
                    submitted_at=datetime.combine(
                        submitted_on, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=tz
                    ),
                    due_date=submitted_on + timedelta(days=rng.randint(10, 60)),
                    quantity=quantity,
                    funding=funding,
                    unit_rate=admission.rate,
                    required_funding=admission.required,
                    decision=admission.decision,
                    refusal_reason=admission.reason,
                    refusal_detail=admission.detail,
                ),
                committees,
            )
        )
    tasks = Task.objects.bulk_create([t for t, _ in planned])
    targets, assignments, lines = [], [], []
    through = Task.committees.through
    for task, (_, committees) in zip(tasks, planned, strict=True):
        targets += [through(task_id=task.pk, committee_id=c.pk) for c in committees]
        if task.decision != Task.Decision.ADMITTED:
            continue
        for committee, amount in zip(
            committees, services.split_funding(task.funding, len(committees)), strict=True
        ):
            assignment = _worked(rng, task, committee, today, tz, now)
            assignments.append(assignment)
            withdrawn = now if assignment.status == TaskAssignment.Status.REFUSED else None
            lines.append(
                TaskFundingLine(
                    task=task,
                    committee=committee,
                    year=task.due_date.year,
                    amount=amount,
                    withdrawn_at=withdrawn,
                )
            )
    through.objects.bulk_create(targets)
    TaskAssignment.objects.bulk_create(assignments)
    TaskFundingLine.objects.bulk_create(lines)
    refused = sum(1 for t in tasks if t.decision == Task.Decision.REFUSED)
    ctx.say(
        f"[tasks] {len(tasks)} 项部门任务（拒绝 {refused} 项），{len(assignments)} 条社区待办，{len(lines)} 条随事转经费。"
    )


def _worked(rng, task: Task, committee, today, tz, now) -> TaskAssignment:
    """How the committee has worked the task by today: most finish, some run late, a few are refused."""
    status = TaskAssignment.Status
    assignment = TaskAssignment(task=task, committee=committee)
    started = task.submitted_at + timedelta(days=rng.randint(0, 5))
    roll = rng.random()
    if task.due_date < today:
        if roll < 0.80:
            finished_on = task.due_date + timedelta(days=rng.randint(-8, 3))
            finished = min(datetime.combine(finished_on, time(16), tzinfo=tz), now)
            assignment.status, assignment.started_at, assignment.completed_at = (
                status.DONE,
                started,
                max(finished, started),
            )
            assignment.report = "已按要求完成，相关材料已报送。"
        elif roll < 0.88:
            assignment.status, assignment.refusal_reason = (
                status.REFUSED,
                "任务超出社区职责且人手不足，街道代为拒绝。",
            )
        else:
            assignment.status, assignment.started_at = status.IN_PROGRESS, started
    elif roll < 0.4:
        assignment.status, assignment.started_at = status.IN_PROGRESS, min(started, now)
    elif roll < 0.55 and task.submitted_at < now - timedelta(days=3):
        assignment.status, assignment.started_at, assignment.completed_at = (
            status.DONE,
            min(started, now),
            now,
        )
        assignment.report = "已完成。"
    return assignment
