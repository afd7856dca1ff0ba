"""Writes of the funding app: one function per use case, each audited in its own transaction."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from community_admin.admission.models import Task, TaskFundingLine
from community_admin.core import audit, uploads
from community_admin.core.exporters import ExportFile
from community_admin.funding import selectors
from community_admin.funding.calculation import allocate, money
from community_admin.funding.exporters import ComparisonExporter
from community_admin.funding.models import (
    Allocation,
    AllocationRun,
    Category,
    Disbursement,
    Expenditure,
    FundingPolicy,
    PolicyCategory,
)
from community_admin.org.models import Committee

ERR_CATEGORIES = "请为全部支出类别填写典型年支出：缺少 {missing}。"
ERR_UNKNOWN_CATEGORY = "未知支出类别：{category}"
ERR_NEGATIVE = "金额不能为负数。"
ERR_YEAR_CLOSED = "{year} 年度经费已关账，不能再更改。"
ERR_NO_ADOPTED_POLICY = "{year} 年度尚未采用经费政策。"
ERR_RUN_DUPLICATE = "{year} 年度经费测算正在进行或已存在，请刷新后再试。"
ERR_RUN_DISBURSED = "{year} 年度经费已开始拨付，不能重新测算；如需调整请先关账后在下一年度处理。"
ERR_ALREADY_CLOSED = "该年度经费已关账。"
ERR_RUN_NOT_CLOSED = "请先关账再拨付，拨付金额以关账时的测算为准。"
ERR_ALREADY_SENT = "该年度经费已全部下拨。"
ERR_ALREADY_PASSED = "街道已登记转拨。"
ERR_NOT_PASSED = "街道尚未转拨，不能确认到账。"
ERR_ALREADY_RECEIVED = "社区已确认到账。"
ERR_BEFORE_SENT = "转拨日期不能早于区局下拨日期。"
ERR_BEFORE_PASSED = "到账日期不能早于街道转拨日期。"
ERR_ABOVE_SENT = "转拨金额不能超过区局下拨金额 {amount} 元。"
ERR_ABOVE_PASSED = "到账金额不能超过街道转拨金额 {amount} 元。"
ERR_FUTURE = "日期不能晚于今天。"
ERR_AMOUNT_POSITIVE = "金额应大于零。"
ERR_TASK_NOT_FUNDED = "该任务没有拨给本社区的随事转经费，不能在其下列支。"
ERR_FILE_TYPE = "票据只接受 PDF、JPEG 或 PNG 文件。"
ERR_FILE_SIZE = "票据文件不能超过 {limit} MB。"
ERR_SAME_POLICY = "请选择两个不同的政策进行比较。"


# Policies --------------------------------------------------------------------------------------------


def _check_costs(typical_costs: dict[str, Decimal]) -> dict[str, Decimal]:
    for category in typical_costs:
        if category not in Category.values:
            raise ValidationError({"typical_costs": ERR_UNKNOWN_CATEGORY.format(category=category)})
    missing = [str(Category(c).label) for c in Category.values if c not in typical_costs]
    if missing:
        raise ValidationError({"typical_costs": ERR_CATEGORIES.format(missing="、".join(missing))})
    if any(Decimal(v) < 0 for v in typical_costs.values()):
        raise ValidationError({"typical_costs": ERR_NEGATIVE})
    return {c: money(typical_costs[c]) for c in Category.values}


def policy_build(
    *,
    actor,
    year: int,
    name: str,
    source: str,
    base_amount: Decimal,
    per_household_beyond: Decimal,
    village_converted_pool: Decimal,
    large_centre_extra: Decimal,
    typical_costs: dict[str, Decimal],
    base_households: int = 1000,
    large_centre_m2: Decimal = Decimal("1000"),
    delay_days: int = 30,
    adopted: bool = False,
) -> FundingPolicy:
    """The write of `policy_create` without its audit row: for `policy_create` and for the demo district,
    which is written as history (like the rest of the demo)."""
    costs = _check_costs(typical_costs)
    latest = FundingPolicy.objects.select_for_update().filter(year=year).aggregate(v=Max("version"))["v"]
    policy = FundingPolicy(
        year=year,
        version=(latest or 0) + 1,
        name=name.strip(),
        source=source.strip(),
        base_households=base_households,
        base_amount=money(base_amount),
        per_household_beyond=money(per_household_beyond),
        village_converted_pool=money(village_converted_pool),
        large_centre_m2=large_centre_m2,
        large_centre_extra=money(large_centre_extra),
        delay_days=delay_days,
        adopted=adopted,
        created_by=actor,
    )
    policy.full_clean()
    policy.save()
    PolicyCategory.objects.bulk_create(
        PolicyCategory(policy=policy, category=c, typical_amount=v) for c, v in costs.items()
    )
    return policy


@transaction.atomic
def policy_create(
    *,
    actor,
    year: int,
    name: str,
    source: str,
    base_amount: Decimal,
    per_household_beyond: Decimal,
    village_converted_pool: Decimal,
    large_centre_extra: Decimal,
    typical_costs: dict[str, Decimal],
    base_households: int = 1000,
    large_centre_m2: Decimal = Decimal("1000"),
    delay_days: int = 30,
    adopt: bool = False,
) -> FundingPolicy:
    """A new version of the year's policy (versions are never edited: a run keeps pointing at what it used)."""
    policy = policy_build(
        actor=actor,
        year=year,
        name=name,
        source=source,
        base_amount=base_amount,
        per_household_beyond=per_household_beyond,
        village_converted_pool=village_converted_pool,
        large_centre_extra=large_centre_extra,
        typical_costs=typical_costs,
        base_households=base_households,
        large_centre_m2=large_centre_m2,
        delay_days=delay_days,
    )
    audit.record(
        actor=actor,
        action="funding.policy.create",
        obj=policy,
        details={
            "year": year,
            "version": policy.version,
            "base_amount": str(policy.base_amount),
            "per_household_beyond": str(policy.per_household_beyond),
        },
    )
    if adopt:
        policy_adopt(actor=actor, policy=policy)
    return policy


@transaction.atomic
def policy_adopt(*, actor, policy: FundingPolicy) -> FundingPolicy:
    if AllocationRun.objects.filter(year=policy.year, status=AllocationRun.Status.CLOSED).exists():
        raise ValidationError({"year": ERR_YEAR_CLOSED.format(year=policy.year)})
    FundingPolicy.objects.filter(year=policy.year, adopted=True).exclude(pk=policy.pk).update(adopted=False)
    policy.adopted = True
    policy.save(update_fields=["adopted", "updated_at"])
    audit.record(actor=actor, action="funding.policy.adopt", obj=policy, details={"year": policy.year})
    return policy


# Allocation runs -------------------------------------------------------------------------------------


def allocation_run(*, actor, year: int) -> AllocationRun:
    """Compute every committee's amount for `year` under the adopted policy from a snapshot of today's
    household counts. An open year may be recomputed until money is sent; a closed year is refused; two
    runs of the same year at once: the second is refused."""
    try:
        return _allocation_run(actor=actor, year=year)
    except IntegrityError:
        raise ValidationError({"year": ERR_RUN_DUPLICATE.format(year=year)}) from None


@transaction.atomic
def _allocation_run(*, actor, year: int) -> AllocationRun:
    policy = selectors.adopted_policy(year)
    if policy is None:
        raise ValidationError({"year": ERR_NO_ADOPTED_POLICY.format(year=year)})
    run = AllocationRun.objects.select_for_update().filter(year=year).first()
    if run is not None and run.status == AllocationRun.Status.CLOSED:
        raise ValidationError({"year": ERR_YEAR_CLOSED.format(year=year)})
    if run is not None and Disbursement.objects.filter(allocation__run=run).exists():
        raise ValidationError({"year": ERR_RUN_DISBURSED.format(year=year)})
    run = allocation_compute(actor=actor, year=year, policy=policy, run=run)
    audit.record(
        actor=actor,
        action="funding.allocation.run",
        obj=run,
        details={
            "year": year,
            "policy": policy.pk,
            "committees": run.committees,
            "households": run.households,
            "total": str(run.total),
        },
    )
    return run


def allocation_compute(
    *, actor, year: int, policy: FundingPolicy, run: AllocationRun | None
) -> AllocationRun:
    """The write of `allocation_run` once its checks passed, without its audit row (the demo district
    uses it too: it is written as history)."""
    snapshot = selectors.district_bases(policy)
    parts = allocate(policy, [b for _, b, _ in snapshot])
    if run is None:
        run = AllocationRun(year=year, policy=policy, computed_at=timezone.now(), computed_by=actor)
        run.full_clean(validate_unique=False)  # a concurrent run is caught by the constraint
        run.save(force_insert=True)
    else:
        run.allocations.all().delete()
    lines = [
        Allocation(
            run=run,
            committee=committee,
            households=basis.households,
            household_source=source,
            village_converted=basis.village_converted,
            large_centre=basis.large_centre,
            base=parts[committee.pk].base,
            beyond=parts[committee.pk].beyond,
            village_extra=parts[committee.pk].village_extra,
            centre_extra=parts[committee.pk].centre_extra,
            amount=parts[committee.pk].amount,
        )
        for committee, basis, source in snapshot
    ]
    Allocation.objects.bulk_create(lines, batch_size=500)
    run.policy = policy
    run.committees = len(lines)
    run.households = sum(line.households for line in lines)
    run.total = money(sum((line.amount for line in lines), Decimal("0")))
    run.computed_at = timezone.now()
    run.computed_by = actor
    run.full_clean(validate_unique=False)
    run.save()
    return run


@transaction.atomic
def allocation_run_close(*, actor, run: AllocationRun) -> AllocationRun:
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if run.status == AllocationRun.Status.CLOSED:
        raise ValidationError({"status": ERR_ALREADY_CLOSED})
    run.status = AllocationRun.Status.CLOSED
    run.closed_at = timezone.now()
    run.full_clean(validate_unique=False)
    run.save()
    audit.record(actor=actor, action="funding.allocation.close", obj=run, details={"total": str(run.total)})
    return run


# Disbursement ----------------------------------------------------------------------------------------


def _not_future(value: date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: ERR_FUTURE})


@transaction.atomic
def disbursement_send(*, actor, run: AllocationRun, sent_on: date) -> int:
    """The bureau sends every committee's allocation of a closed run to the streets."""
    run = AllocationRun.objects.select_for_update().get(pk=run.pk)
    if run.status != AllocationRun.Status.CLOSED:
        raise ValidationError({"run": ERR_RUN_NOT_CLOSED})
    _not_future(sent_on, "sent_on")
    pending = list(run.allocations.filter(disbursement__isnull=True))
    if not pending:
        raise ValidationError({"run": ERR_ALREADY_SENT})
    disbursements_build(allocations=pending, sent_on=sent_on)
    audit.record(
        actor=actor,
        action="funding.disbursement.send",
        obj=run,
        details={
            "sent_on": sent_on.isoformat(),
            "committees": len(pending),
            "amount": str(sum((a.amount for a in pending), Decimal("0"))),
        },
    )
    return len(pending)


def disbursements_build(*, allocations: list[Allocation], sent_on: date) -> list[Disbursement]:
    """The write of `disbursement_send` without its checks and audit row (also the demo district's)."""
    return Disbursement.objects.bulk_create(
        Disbursement(allocation=a, amount=a.amount, sent_on=sent_on) for a in allocations
    )


def _locked(disbursement: Disbursement) -> Disbursement:
    return (
        Disbursement.objects.select_for_update()
        .select_related("allocation__committee")
        .get(pk=disbursement.pk)
    )


@transaction.atomic
def disbursement_pass_on(
    *, actor, disbursement: Disbursement, passed_on: date, amount: Decimal
) -> Disbursement:
    """The street records what it passed on to the committee; less than it received is allowed and flagged."""
    d = _locked(disbursement)
    if d.passed_on is not None:
        raise ValidationError({"passed_on": ERR_ALREADY_PASSED})
    _not_future(passed_on, "passed_on")
    if passed_on < d.sent_on:
        raise ValidationError({"passed_on": ERR_BEFORE_SENT})
    amount = money(amount)
    if amount < 0:
        raise ValidationError({"amount": ERR_NEGATIVE})
    if amount > d.amount:
        raise ValidationError({"amount": ERR_ABOVE_SENT.format(amount=d.amount)})
    d.passed_on, d.passed_amount, d.passed_by = passed_on, amount, actor
    d.full_clean()
    d.save()
    audit.record(
        actor=actor,
        action="funding.disbursement.pass_on",
        obj=d,
        details={
            "committee": d.allocation.committee.code,
            "amount": str(amount),
            "held_back": str(d.amount - amount),
        },
    )
    return d


@transaction.atomic
def disbursement_confirm(
    *, actor, disbursement: Disbursement, received_on: date, amount: Decimal
) -> Disbursement:
    d = _locked(disbursement)
    if d.passed_on is None:
        raise ValidationError({"received_on": ERR_NOT_PASSED})
    if d.received_on is not None:
        raise ValidationError({"received_on": ERR_ALREADY_RECEIVED})
    _not_future(received_on, "received_on")
    if received_on < d.passed_on:
        raise ValidationError({"received_on": ERR_BEFORE_PASSED})
    amount = money(amount)
    if amount < 0:
        raise ValidationError({"amount": ERR_NEGATIVE})
    if amount > d.passed_amount:
        raise ValidationError({"amount": ERR_ABOVE_PASSED.format(amount=d.passed_amount)})
    d.received_on, d.received_amount, d.received_by = received_on, amount, actor
    d.full_clean()
    d.save()
    audit.record(
        actor=actor,
        action="funding.disbursement.confirm",
        obj=d,
        details={"committee": d.allocation.committee.code, "amount": str(amount)},
    )
    return d


# Expenditure -----------------------------------------------------------------------------------------


def check_receipt(upload: UploadedFile) -> uploads.Kind:
    """PDF, JPEG or PNG judged by the file's first bytes, never by its name or declared type."""
    limit = settings.FUNDING_RECEIPT_MAX_BYTES
    return uploads.check(
        upload,
        field="receipt",
        max_bytes=limit,
        too_large=ERR_FILE_SIZE.format(limit=uploads.megabytes(limit)),
        wrong_kind=ERR_FILE_TYPE,
    )


@transaction.atomic
def expenditure_record(
    *,
    actor,
    committee: Committee,
    spent_on: date,
    category: str,
    amount: Decimal,
    description: str,
    receipt: UploadedFile,
    task: Task | None = None,
) -> Expenditure:
    """A committee's spending with its receipt. Charged to a task, it must be money that task brought to
    this committee; spending beyond what was granted is recorded and flagged, not refused."""
    _not_future(spent_on, "spent_on")
    amount = money(amount)
    if amount <= 0:
        raise ValidationError({"amount": ERR_AMOUNT_POSITIVE})
    if (
        task is not None
        and not TaskFundingLine.objects.filter(
            task=task, committee=committee, withdrawn_at__isnull=True
        ).exists()
    ):
        raise ValidationError({"task": ERR_TASK_NOT_FUNDED})
    kind = check_receipt(receipt)
    expenditure = Expenditure(
        committee=committee,
        year=spent_on.year,
        spent_on=spent_on,
        category=category,
        amount=amount,
        description=description.strip(),
        task=task,
        receipt_name=uploads.display_name(receipt.name, default="receipt"),
        receipt_content_type=kind.content_type,
        receipt_extension=kind.extension,
        recorded_by=actor,
    )
    expenditure.receipt = receipt
    expenditure.full_clean()
    try:
        expenditure.save()  # writes the receipt under a random name (receipt_upload_path)
        audit.record(
            actor=actor,
            action="funding.expenditure.record",
            obj=expenditure,
            details={
                "committee": committee.code,
                "category": category,
                "amount": str(amount),
                "task": task.pk if task else None,
            },
        )
    except BaseException:
        if expenditure.receipt._committed:  # the file was stored: no row, no file
            expenditure.receipt.delete(save=False)
        raise
    return expenditure


# What-if export --------------------------------------------------------------------------------------


def policy_comparison_export(*, actor, policy_a: FundingPolicy, policy_b: FundingPolicy) -> ExportFile:
    if policy_a.pk == policy_b.pk:
        raise ValidationError({"b": ERR_SAME_POLICY})
    comparison = selectors.policy_compare(actor, policy_a=policy_a, policy_b=policy_b)
    export = ComparisonExporter(comparison=comparison).render()
    audit.record(
        actor=actor,
        action="funding.policy.compare_export",
        obj=policy_b,
        details={"a": policy_a.pk, "b": policy_b.pk, "committees": len(comparison.rows)},
    )
    return export
