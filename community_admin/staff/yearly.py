"""Which version of the yearly rules applies to a year (the same for everyone who asks, so no scoping).

A year uses its own adopted version; a year without one uses the last adopted version before it and says
so (`InForce.notice`), so payroll in January works before the bureau has adopted the new year's policy."""

from dataclasses import dataclass

from django.db.models import Subquery

from community_admin.staff.models import PayPolicy, RetirementRule, RetirementRuleSet, VersionStatus

PAY_FALLBACK = "{year} 年度薪酬政策尚未采用，按 {used} 年度政策计算。"
RETIREMENT_FALLBACK = "{year} 年度退休规则尚未采用，按 {used} 年度规则计算。"
PAYROLL_SUPERSEDED = (
    "本表计算后，{year} 年度薪酬政策已重新采用（现为第 {version} 版）；如需按新版本发放，请重新计算。"
)


@dataclass(frozen=True)
class InForce:
    year: int  # the year asked about
    version: PayPolicy | RetirementRuleSet | None  # the adopted version that applies, if any
    fallback_text: str

    @property
    def fallback(self) -> bool:
        return self.version is not None and self.version.year != self.year

    @property
    def notice(self) -> str:
        if not self.fallback:
            return ""
        return self.fallback_text.format(year=self.year, used=self.version.year)


def _adopted_up_to(model, year: int):
    return model.objects.filter(status=VersionStatus.ADOPTED, year__lte=year).order_by("-year")


def pay_policy_in_force(year: int) -> InForce:
    return InForce(year, _adopted_up_to(PayPolicy, year).first(), PAY_FALLBACK)


def retirement_rules_in_force(year: int) -> InForce:
    return InForce(year, _adopted_up_to(RetirementRuleSet, year).first(), RETIREMENT_FALLBACK)


def retirement_rules_by_sex(year: int) -> dict[str, RetirementRule]:
    """The rules of the set that applies to `year`, by sex: one query."""
    current = _adopted_up_to(RetirementRuleSet, year).values("pk")[:1]
    return {r.sex: r for r in RetirementRule.objects.filter(rule_set_id=Subquery(current))}


def payroll_notices(payroll) -> list[str]:
    """What a payroll page and its export say about the policy the payroll was computed under."""
    policy = payroll.policy
    notices = []
    if policy.year != payroll.year:
        notices.append(PAY_FALLBACK.format(year=payroll.year, used=policy.year))
    if policy.status == VersionStatus.SUPERSEDED:
        current = PayPolicy.objects.filter(year=policy.year, status=VersionStatus.ADOPTED).first()
        if current is not None:
            notices.append(PAYROLL_SUPERSEDED.format(year=policy.year, version=current.version))
    return notices
