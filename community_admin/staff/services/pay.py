"""Pay: one worker's month under the year's policy, a committee's monthly payroll and its export."""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from community_admin.core import audit
from community_admin.core.exporters import ExportFile
from community_admin.org.models import Committee
from community_admin.staff import yearly
from community_admin.staff.exporters import PayrollExporter
from community_admin.staff.models import (
    DEPUTY_POSTS,
    HEAD_POSTS,
    PayPolicy,
    Payroll,
    PayrollLine,
    Post,
    Qualification,
    Worker,
)

ERR_NO_POLICY = (
    "{year} 年度及以前均无已采用的薪酬政策：请区民政局在“年度规则”页面起草并采用薪酬政策后再计算。"
)
ERR_MONTH = "月份应为 1 至 12。"


@dataclass(frozen=True)
class PayItems:
    base: Decimal
    position_allowance: Decimal
    qualification_allowance: Decimal
    honour: Decimal
    floor_top_up: Decimal

    @property
    def gross(self) -> Decimal:
        return (
            self.base
            + self.position_allowance
            + self.qualification_allowance
            + self.honour
            + self.floor_top_up
        )


def pay_items(
    *, policy: PayPolicy, posts: set[str], qualifications: set[str], hire_date: date, year: int, month: int
) -> PayItems:
    """One worker's month. Allowances do not add up across posts: the highest applies (a secretary who is
    also director gets 300 once). The minimum wage is compared with the regular monthly pay, before the
    one-off honour."""
    if posts & set(HEAD_POSTS):
        position = policy.head_allowance
    elif posts & set(DEPUTY_POSTS):
        position = policy.deputy_allowance
    else:
        position = Decimal("0.00")
    if Qualification.Level.SOCIAL_WORKER in qualifications:
        qualification = policy.social_worker_allowance
    elif Qualification.Level.ASSISTANT in qualifications:
        qualification = policy.assistant_allowance
    else:
        qualification = Decimal("0.00")
    anniversary = hire_date.year + policy.honour_service_years
    honour = policy.honour_amount if (anniversary, hire_date.month) == (year, month) else Decimal("0.00")
    regular = policy.base_monthly + position + qualification
    top_up = max(policy.minimum_wage - regular, Decimal("0.00"))
    return PayItems(policy.base_monthly, position, qualification, honour, top_up)


@transaction.atomic
def payroll_compute(*, actor, committee: Committee, year: int, month: int) -> Payroll:
    """The committee's payroll for a month, under the year's adopted policy or, while the year has none, the
    last adopted before it (the payroll keeps which one); computing it again replaces it."""
    if not 1 <= month <= 12:
        raise ValidationError({"month": ERR_MONTH})
    policy = yearly.pay_policy_in_force(year).version
    if policy is None:
        raise ValidationError({"year": ERR_NO_POLICY.format(year=year)})
    month_end = date(year, month, calendar.monthrange(year, month)[1])
    workers = (
        Worker.objects.filter(committee=committee, status__in=Worker.CURRENT, hire_date__lte=month_end)
        .prefetch_related("posts", "qualifications")
        .order_by("name", "id")
    )
    payroll, _ = Payroll.objects.select_for_update().update_or_create(
        committee=committee, year=year, month=month, defaults={"policy": policy, "computed_by": actor}
    )
    payroll.lines.all().delete()
    lines = []
    for worker in workers:
        posts = {p.post for p in worker.posts.all()}
        qualifications = {q.level for q in worker.qualifications.all() if q.obtained_on <= month_end}
        items = pay_items(
            policy=policy,
            posts=posts,
            qualifications=qualifications,
            hire_date=worker.hire_date,
            year=year,
            month=month,
        )
        lines.append(
            PayrollLine(
                payroll=payroll,
                worker=worker,
                posts="、".join(str(Post(p).label) for p in sorted(posts)),
                base=items.base,
                position_allowance=items.position_allowance,
                qualification_allowance=items.qualification_allowance,
                honour=items.honour,
                floor_top_up=items.floor_top_up,
                gross=items.gross,
                employer_insurance=policy.employer_insurance,
                below_floor=items.floor_top_up > 0,
            )
        )
    PayrollLine.objects.bulk_create(lines)
    audit.record(
        actor=actor,
        action="payroll.compute",
        obj=payroll,
        details={
            "committee": committee.code,
            "period": f"{year}-{month:02d}",
            "policy": {"year": policy.year, "version": policy.version},
            "workers": len(lines),
            "gross": str(sum((line.gross for line in lines), Decimal("0.00"))),
            "below_floor": sum(1 for line in lines if line.below_floor),
        },
    )
    return payroll


@transaction.atomic
def payroll_export(*, actor, payroll: Payroll) -> ExportFile:
    lines = payroll.lines.select_related("worker").order_by("worker__name", "worker_id")
    export = PayrollExporter(payroll=payroll, lines=lines).render()
    audit.record(actor=actor, action="payroll.export", obj=payroll, details={"rows": export.rows})
    return export
