"""Reads of the funding app. Whatever depends on who asks is built on accounts/scoping.py."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.admission.models import TaskFundingLine
from community_admin.funding.calculation import Basis, Parts, allocate, money
from community_admin.funding.models import (
    Allocation,
    AllocationRun,
    Category,
    Disbursement,
    Expenditure,
    FundingPolicy,
    PolicyCategory,
)
from community_admin.org.models import Committee, HouseholdSource, ServiceCentre
from community_admin.org.selectors import committees_with_figures, source_text

ZERO = Decimal("0.00")


# Policies and the household basis --------------------------------------------------------------------


def policy_list() -> QuerySet[FundingPolicy]:
    return FundingPolicy.objects.prefetch_related(
        Prefetch("categories", queryset=PolicyCategory.objects.order_by("id"))
    ).order_by("-year", "-version")


def adopted_policy(year: int) -> FundingPolicy | None:
    return FundingPolicy.objects.filter(year=year, adopted=True).first()


def typical_total(policy: FundingPolicy) -> Decimal:
    return money(policy.typical_total)


def district_bases(policy: FundingPolicy) -> list[tuple[Committee, Basis, str]]:
    """Every committee of the district with its household count now (the registry's where the street office
    has marked it complete, else the recorded figure) and its source, and whether it has a service centre at
    or above the policy's large-centre size."""
    large = set(
        ServiceCentre.objects.filter(
            committee__isnull=False, area_m2__gte=policy.large_centre_m2
        ).values_list("committee_id", flat=True)
    )
    rows = committees_with_figures(Committee.objects.order_by("code"))
    return [
        (
            c,
            Basis(
                committee_id=c.pk,
                code=c.code,
                households=f.households,
                village_converted=c.village_converted,
                large_centre=c.pk in large,
            ),
            f.source,
        )
        for c, f in rows
    ]


# Runs and allocations --------------------------------------------------------------------------------


def run_list() -> QuerySet[AllocationRun]:
    return AllocationRun.objects.select_related("policy").order_by("-year")


def runs_with_sources() -> QuerySet[AllocationRun]:
    """The runs, each with how many of its allocations took their households from each source."""
    return run_list().annotate(
        registry_sourced=Count(
            "allocations", filter=Q(allocations__household_source=HouseholdSource.REGISTRY)
        ),
        recorded_sourced=Count(
            "allocations", filter=Q(allocations__household_source=HouseholdSource.RECORDED)
        ),
    )


def current_sources() -> dict:
    """What a run computed now would take its households from (a run takes every committee of the district):
    the committees whose registry is marked complete, and the others. One query."""
    counts = Committee.objects.aggregate(
        registry=Count("pk", filter=Q(registry_complete_at__isnull=False)),
        recorded=Count("pk", filter=Q(registry_complete_at__isnull=True)),
    )
    return {**counts, "text": source_text(**counts)}


def allocation_list(user, *, run: AllocationRun | None = None) -> QuerySet[Allocation]:
    rows = Allocation.objects.select_related("run", "committee__street")
    if run is not None:
        rows = rows.filter(run=run)
    return scoping.scope_by_committee(rows, user).order_by("-run__year", "committee__code")


def funding_figures(year: int, committees: QuerySet[Committee]) -> dict:
    """The year's allocated total for `committees` (already scoped by the caller) and per household of
    the snapshot, with how many allocations took their households from each source (`sources`, and the
    sentence a page shows, or None when the year has no run); zeros when the year has no run. One query."""
    sums = Allocation.objects.filter(run__year=year, committee__in=committees).aggregate(
        total=Sum("amount"),
        households=Sum("households"),
        registry=Count("id", filter=Q(household_source=HouseholdSource.REGISTRY)),
        recorded=Count("id", filter=Q(household_source=HouseholdSource.RECORDED)),
    )
    total = money(sums["total"] or 0)
    households = sums["households"] or 0
    per_household = money(total / households) if households else ZERO
    sources = {"registry": sums["registry"], "recorded": sums["recorded"]}
    return {
        "year": year,
        "total": total,
        "per_household": per_household,
        "sources": sources,
        "source_text": source_text(**sources) if any(sources.values()) else None,
    }


# What-if ---------------------------------------------------------------------------------------------


@dataclass
class ComparisonRow:
    committee: Committee
    households: int
    a: Parts
    b: Parts
    source: str = HouseholdSource.RECORDED

    @property
    def source_label(self) -> str:
        return str(HouseholdSource(self.source).label)

    @property
    def difference(self) -> Decimal:
        return self.b.amount - self.a.amount

    @property
    def a_per_household(self) -> Decimal:
        return money(self.a.amount / self.households) if self.households else ZERO

    @property
    def b_per_household(self) -> Decimal:
        return money(self.b.amount / self.households) if self.households else ZERO


@dataclass
class Comparison:
    policy_a: FundingPolicy
    policy_b: FundingPolicy
    rows: list[ComparisonRow]
    households: int = 0
    total_a: Decimal = ZERO
    total_b: Decimal = ZERO
    gainers: int = 0
    losers: int = 0

    @property
    def source_text(self) -> str:
        registry = sum(1 for r in self.rows if r.source == HouseholdSource.REGISTRY)
        return source_text(registry=registry, recorded=len(self.rows) - registry)

    def per_household(self, total: Decimal) -> Decimal:
        return money(total / self.households) if self.households else ZERO

    @property
    def per_household_a(self) -> Decimal:
        return self.per_household(self.total_a)

    @property
    def per_household_b(self) -> Decimal:
        return self.per_household(self.total_b)

    def chart(self) -> dict:
        return {
            "a": str(self.policy_a),
            "b": str(self.policy_b),
            "committees": [r.committee.name for r in self.rows],
            "amount_a": [str(r.a.amount) for r in self.rows],
            "amount_b": [str(r.b.amount) for r in self.rows],
            "difference": [str(r.difference) for r in self.rows],
        }


def policy_compare(user, *, policy_a: FundingPolicy, policy_b: FundingPolicy) -> Comparison:
    """Both policies over today's household counts for every committee the user sees. The shares that
    depend on the whole district (the village-converted pool) are computed over the whole district."""
    visible = set(scoping.visible_committees(user).values_list("pk", flat=True))
    bases_a = district_bases(policy_a)
    parts_a = allocate(policy_a, [b for _, b, _ in bases_a])
    parts_b = allocate(policy_b, [b for _, b, _ in district_bases(policy_b)])
    result = Comparison(policy_a=policy_a, policy_b=policy_b, rows=[])
    for committee, basis, source in bases_a:
        if committee.pk not in visible:
            continue
        row = ComparisonRow(committee, basis.households, parts_a[committee.pk], parts_b[committee.pk], source)
        result.rows.append(row)
        result.households += basis.households
        result.total_a += row.a.amount
        result.total_b += row.b.amount
        result.gainers += row.difference > 0
        result.losers += row.difference < 0
    return result


# Task-linked money -----------------------------------------------------------------------------------


def task_lines(user, *, year: int) -> QuerySet[TaskFundingLine]:
    """Money that came with admitted tasks, per committee and task (withdrawn lines excluded)."""
    rows = TaskFundingLine.objects.filter(year=year, withdrawn_at__isnull=True).select_related(
        "task", "committee"
    )
    return scoping.scope_by_committee(rows, user).order_by("committee__code", "task_id")


# Disbursement and expenditure ------------------------------------------------------------------------


def disbursement_list(user, *, year: int | None = None) -> QuerySet[Disbursement]:
    rows = Disbursement.objects.select_related("allocation__run__policy", "allocation__committee__street")
    if year is not None:
        rows = rows.filter(allocation__run__year=year)
    return scoping.scope_by_committee(rows, user, field="allocation__committee").order_by(
        "-allocation__run__year", "allocation__committee__code"
    )


def expenditure_list(user, *, year: int | None = None) -> QuerySet[Expenditure]:
    rows = Expenditure.objects.select_related("committee", "task")
    if year is not None:
        rows = rows.filter(year=year)
    return scoping.scope_by_committee(rows, user).order_by("-spent_on", "-id")


# Budget, flags and shortfall -------------------------------------------------------------------------


class FlagKind:
    HELD_BACK = "held_back"
    DELAYED = "delayed"
    OVERSPENT = "overspent"
    TASK_MISUSE = "task_misuse"
    LABELS = {
        HELD_BACK: "街道截留",
        DELAYED: "拨付延迟",
        OVERSPENT: "超支",
        TASK_MISUSE: "随事转经费挪作他用",
    }


@dataclass
class Flag:
    kind: str
    committee: Committee
    amount: Decimal
    detail: str

    @property
    def label(self) -> str:
        return FlagKind.LABELS[self.kind]


@dataclass
class CommitteeBudget:
    committee: Committee
    allocation: Decimal = ZERO
    typical: Decimal = ZERO
    task_money: Decimal = ZERO
    spent_general: Decimal = ZERO
    spent_task: Decimal = ZERO
    by_category: dict = field(default_factory=dict)  # category -> [label, typical, actual]
    flags: list = field(default_factory=list)

    @property
    def shortfall(self) -> Decimal:
        return max(ZERO, self.typical - self.allocation)

    @property
    def remaining(self) -> Decimal:
        return self.allocation - self.spent_general


def _days(start: date, end: date | None, today: date) -> int:
    return ((end or today) - start).days


def budgets(
    year: int, committees: QuerySet[Committee], *, today: date | None = None
) -> list[CommitteeBudget]:
    """Budget against actual and every flag for `committees` (already scoped) in `year`: six queries
    whatever the number of committees."""
    today = today or timezone.localdate()
    run = AllocationRun.objects.filter(year=year).select_related("policy").first()
    policy = run.policy if run else adopted_policy(year)
    typical = {c.category: c.typical_amount for c in policy.categories.all()} if policy else {}
    delay = policy.delay_days if policy else 30
    rows = {c.pk: CommitteeBudget(committee=c) for c in committees.select_related("street").order_by("code")}
    labels = [(value, str(label)) for value, label in Category.choices]  # once, not once per committee
    typical_total = money(sum(typical.values(), ZERO))
    for row in rows.values():
        row.typical = typical_total
        row.by_category = {value: [label, typical.get(value, ZERO), ZERO] for value, label in labels}
    allocations = Allocation.objects.filter(run__year=year, committee__in=rows).select_related("disbursement")
    for a in allocations if run else []:
        row = rows[a.committee_id]
        row.allocation = a.amount
        d = getattr(a, "disbursement", None)
        if d is not None:
            _disbursement_flags(row, d, delay, today)
    task_money: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for line in TaskFundingLine.objects.filter(
        year=year, withdrawn_at__isnull=True, committee__in=rows
    ).values("committee_id", "task_id", "amount"):
        task_money[(line["committee_id"], line["task_id"])] += line["amount"]
        rows[line["committee_id"]].task_money += line["amount"]
    spent_on_task: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    spending = (
        Expenditure.objects.filter(year=year, committee__in=rows)
        .values("committee_id", "task_id", "category")
        .annotate(total=Sum("amount"))
    )
    for s in spending:
        row = rows[s["committee_id"]]
        if s["task_id"] is None:
            row.spent_general += s["total"]
            row.by_category[s["category"]][2] += s["total"]
        else:
            row.spent_task += s["total"]
            spent_on_task[(s["committee_id"], s["task_id"])] += s["total"]
    for (committee_id, task_id), spent in spent_on_task.items():
        line = task_money.get((committee_id, task_id), ZERO)
        if spent > line:
            rows[committee_id].flags.append(
                Flag(
                    FlagKind.OVERSPENT,
                    rows[committee_id].committee,
                    spent - line,
                    f"任务 #{task_id} 支出超过随事转经费 {line} 元",
                )
            )
    for row in rows.values():
        _spending_flags(row)
    return list(rows.values())


def _disbursement_flags(row: CommitteeBudget, d: Disbursement, delay: int, today: date) -> None:
    c = row.committee
    if d.passed_amount is not None and d.passed_amount < d.amount:
        row.flags.append(
            Flag(
                FlagKind.HELD_BACK,
                c,
                d.amount - d.passed_amount,
                f"区局下拨 {d.amount} 元，街道转拨 {d.passed_amount} 元",
            )
        )
    if d.received_amount is not None and d.received_amount < d.passed_amount:
        row.flags.append(
            Flag(
                FlagKind.HELD_BACK,
                c,
                d.passed_amount - d.received_amount,
                f"街道转拨 {d.passed_amount} 元，社区到账 {d.received_amount} 元",
            )
        )
    street_days = _days(d.sent_on, d.passed_on, today)
    if street_days > delay:
        state = "转拨" if d.passed_on else "仍未转拨"
        row.flags.append(
            Flag(FlagKind.DELAYED, c, d.amount, f"下拨后 {street_days} 天{state}（时限 {delay} 天）")
        )
    elif d.passed_on is not None:
        committee_days = _days(d.passed_on, d.received_on, today)
        if committee_days > delay:
            state = "到账" if d.received_on else "仍未确认到账"
            row.flags.append(
                Flag(
                    FlagKind.DELAYED,
                    c,
                    d.passed_amount,
                    f"转拨后 {committee_days} 天{state}（时限 {delay} 天）",
                )
            )


def _spending_flags(row: CommitteeBudget) -> None:
    """General spending beyond the allocation is paid from somewhere: from unspent task money first
    (spent outside its task), the rest is plain overspending."""
    excess = row.spent_general - row.allocation
    if excess <= 0:
        return
    unspent_task = max(ZERO, row.task_money - row.spent_task)
    misused = min(excess, unspent_task)
    if misused > 0:
        row.flags.append(
            Flag(
                FlagKind.TASK_MISUSE,
                row.committee,
                misused,
                f"日常支出超出年度经费，动用随事转经费 {misused} 元",
            )
        )
    if excess - misused > 0:
        row.flags.append(
            Flag(
                FlagKind.OVERSPENT,
                row.committee,
                excess - misused,
                f"日常支出 {row.spent_general} 元，超出年度经费 {row.allocation} 元",
            )
        )


def flag_list(year: int, committees: QuerySet[Committee]) -> list[Flag]:
    return [f for row in budgets(year, committees) for f in row.flags]


def flag_counts(year: int, committees: QuerySet[Committee]) -> dict[str, int]:
    """Per flag kind, how many flags; and how many committees fall short of the typical yearly cost."""
    rows = budgets(year, committees)
    counts = dict.fromkeys(FlagKind.LABELS, 0)
    for row in rows:
        for f in row.flags:
            counts[f.kind] += 1
    counts["shortfall"] = sum(1 for r in rows if r.shortfall > 0)
    return counts
