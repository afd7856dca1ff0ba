"""Demo district, funding part: the report's policy adopted for this year (10,000 yuan for the first 1,000
households + 11 per household beyond + 200,000 for the 8 village-converted committees, 25,000 each) and a
proposal that adds 5,000 for committees with a centre of 1,000 m² or more; this year's run (about 2.3 million
at full scale), closed and sent to the streets in January; the streets pass it on, a few hold some back or
are late; a year of spending so far, in proportion to the report's typical costs, a few committees over
budget and one dipping into task-linked money. Small scale spends for a dozen committees only."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from community_admin.accounts.models import Role, User
from community_admin.admission.models import TaskFundingLine
from community_admin.core.seeding import SeedContext
from community_admin.funding import services
from community_admin.funding.calculation import money
from community_admin.funding.models import AllocationRun, Category, Disbursement, Expenditure, FundingPolicy

SOURCE = "《*区社区工作调研报告》：每1000户拨付1万元，增加1户增加11元；区财政负担20万元作为村改居后新增社区工作经费"
TYPICAL = {
    Category.PHONE: 1500,
    Category.PRINTING: 1000,
    Category.NEWSPAPERS: 2000,
    Category.ACTIVITIES: 3000,
    Category.OFFICE_SUPPLIES: 1000,
    Category.UTILITIES: 4000,
    Category.EQUIPMENT: 4000,
    Category.DISPLAY_BOARDS: 5000,
    Category.GROUP_LEADERS: 3000,
}
HELD_BACK, LATE, NEVER_PASSED, OVERSPENDERS = 3, 2, 2, 3
SMALL_SPENDERS = 12
RECEIPT = b"%PDF-1.4\n% demo receipt\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def run(ctx: SeedContext) -> None:
    if FundingPolicy.objects.exists():
        ctx.say("[funding] 经费政策已存在，跳过。")
        return
    bureau = User.objects.filter(role=Role.BUREAU).order_by("id").first()
    if bureau is None:
        ctx.say("[funding] 没有区民政局账户，跳过。")
        return
    today = timezone.localdate()
    year = today.year
    costs = {c: Decimal(v) for c, v in TYPICAL.items()}
    common = {
        "actor": bureau,
        "year": year,
        "source": SOURCE,
        "base_amount": Decimal("10000"),
        "per_household_beyond": Decimal("11"),
        "village_converted_pool": Decimal("200000"),
        "typical_costs": costs,
    }
    # Written as history, like the rest of the demo: the services' writes without their audit rows.
    policy = services.policy_build(
        name="调研报告标准", large_centre_extra=Decimal("0"), adopted=True, **common
    )
    services.policy_build(
        name="建议：千平米服务中心增加 5,000 元", large_centre_extra=Decimal("5000"), **common
    )
    allocation_run = services.allocation_compute(actor=bureau, year=year, policy=policy, run=None)
    allocation_run.status, allocation_run.closed_at = AllocationRun.Status.CLOSED, timezone.now()
    allocation_run.save(update_fields=["status", "closed_at", "updated_at"])
    sent_on = min(today, date(year, 1, 15))
    services.disbursements_build(allocations=list(allocation_run.allocations.all()), sent_on=sent_on)
    _pass_on(ctx, allocation_run, sent_on, today)
    spent = _spend(ctx, allocation_run, bureau, today)
    ctx.say(
        f"[funding] {year} 年度：{allocation_run.committees} 个社区、{allocation_run.households} 户，"
        f"合计 {allocation_run.total} 元（每户 {allocation_run.per_household} 元）；支出 {spent} 笔。"
    )


def _pass_on(ctx: SeedContext, allocation_run, sent_on: date, today: date) -> None:
    rng = ctx.rng("funding-disbursement")
    rows = list(
        Disbursement.objects.filter(allocation__run=allocation_run).order_by("allocation__committee__code")
    )
    rng.shuffle(rows)
    held, late, never = (
        rows[:HELD_BACK],
        rows[HELD_BACK : HELD_BACK + LATE],
        rows[HELD_BACK + LATE : HELD_BACK + LATE + NEVER_PASSED],
    )
    for d in rows:
        if d in never:
            continue
        days = rng.randint(45, 70) if d in late else rng.randint(3, 20)
        d.passed_on = min(today, sent_on + timedelta(days=days))
        share = Decimal(rng.choice(("0.70", "0.80", "0.85"))) if d in held else Decimal("1")
        d.passed_amount = money(d.amount * share)
        if d.passed_on < today or d not in late:
            d.received_on = min(today, d.passed_on + timedelta(days=rng.randint(1, 7)))
            d.received_amount = d.passed_amount
    Disbursement.objects.bulk_update(rows, ["passed_on", "passed_amount", "received_on", "received_amount"])


def _spend(ctx: SeedContext, allocation_run, bureau, today: date) -> int:
    """Spending so far this year, in proportion to the typical costs and to the money received."""
    rng = ctx.rng("funding-expenditure")
    allocations = list(
        allocation_run.allocations.select_related("committee", "disbursement").order_by("committee__code")
    )
    if ctx.scale == "small":
        allocations = allocations[:SMALL_SPENDERS]
    typical_total = sum(TYPICAL.values())
    elapsed = Decimal(today.timetuple().tm_yday) / Decimal(365)
    task_money = {}
    for line in TaskFundingLine.objects.filter(year=today.year, withdrawn_at__isnull=True).order_by("id"):
        task_money.setdefault(line.committee_id, []).append(line)
    overspenders = {a.pk for a in rng.sample(allocations, min(OVERSPENDERS, len(allocations)))}
    misuser = next(
        (a.pk for a in allocations if a.committee_id in task_money and a.pk not in overspenders), None
    )
    rows = []
    for a in allocations:
        received = a.disbursement.received_amount or Decimal("0")
        budget = (a.amount if a.pk in overspenders or a.pk == misuser else received) * elapsed
        factor = (
            Decimal("1.12") if a.pk in overspenders or a.pk == misuser else Decimal(rng.randint(80, 97)) / 100
        )
        receipt = default_storage.save(
            f"funding/receipts/{a.committee_id}/demo-{today.year}.pdf", ContentFile(RECEIPT)
        )
        for category, typical in TYPICAL.items():
            amount = money(budget * factor * typical / typical_total)
            if amount <= 0:
                continue
            parts = rng.randint(1, 3)
            for i, share in enumerate(_split(amount, parts)):
                rows.append(
                    _expenditure(
                        a.committee,
                        today,
                        rng,
                        category,
                        share,
                        f"{Category(category).label}（{i + 1}）",
                        receipt,
                        bureau,
                    )
                )
        # An overspender has used up its task money on the tasks, so its excess is plain overspending.
        lines = task_money.get(a.committee_id, [])
        for line in lines if a.pk in overspenders else lines[:2]:
            amount = (
                line.amount
                if a.pk in overspenders
                else money(line.amount * Decimal(rng.randint(40, 90)) / 100)
            )
            if amount > 0:
                rows.append(
                    _expenditure(
                        a.committee,
                        today,
                        rng,
                        Category.ACTIVITIES,
                        amount,
                        f"任务：{line.task.title}"[:200],
                        receipt,
                        bureau,
                        task=line.task,
                    )
                )
    Expenditure.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _split(amount: Decimal, parts: int) -> list[Decimal]:
    share = money(amount / parts)
    return [share] * (parts - 1) + [amount - share * (parts - 1)]


def _expenditure(
    committee, today, rng, category, amount, description, receipt, bureau, task=None
) -> Expenditure:
    start = date(today.year, 1, 1)
    spent_on = start + timedelta(days=rng.randint(0, max(0, (today - start).days)))
    return Expenditure(
        committee=committee,
        year=today.year,
        spent_on=spent_on,
        category=category,
        amount=amount,
        description=str(description),
        task=task,
        receipt=receipt,
        receipt_name="demo-receipt.pdf",
        receipt_content_type="application/pdf",
        receipt_extension=".pdf",
        recorded_by=bureau,
    )
