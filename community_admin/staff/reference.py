"""Reference data of the staff app (core/reference_data.py): this year's pay policy and the retirement rules.
A district without an adopted pay policy gets this year's as a draft from the survey report's figures, its source
marked "取自调研报告，采用前请核对" (core.reference_data.REVIEW_MARK), for the bureau to review and adopt on the
年度规则 page: the province's minimum wage in particular is the province's to publish, not the report's. The
retirement rules are national law and are installed adopted. What the bureau has drafted or adopted stays."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from community_admin.core.reference_data import REVIEW_MARK
from community_admin.staff.models import PayPolicy, RetirementRule, RetirementRuleSet, VersionStatus

POLICY_SOURCE = "《*区社区工作调研报告》建议标准；全省最低工资标准以省政府当年公布为准"
# The report's pay structure (section 四): base pay with five insurances, post and qualification allowances,
# the long-service honour; the minimum wage is a placeholder until the province's figure is entered.
REPORT_POLICY = {
    "base_monthly": Decimal("1500.00"),
    "insured_monthly": Decimal("2300.00"),
    "head_allowance": Decimal("300.00"),
    "deputy_allowance": Decimal("100.00"),
    "social_worker_allowance": Decimal("200.00"),
    "assistant_allowance": Decimal("100.00"),
    "honour_service_years": 20,
    "honour_amount": Decimal("2000.00"),
    "minimum_wage": Decimal("1900.00"),
    "source_document": POLICY_SOURCE,
}
LAST_YEAR_MINIMUM_WAGE = Decimal("1850.00")  # the demo's previous year
RETIREMENT_SOURCE = (
    "《国务院关于工人退休、退职的暂行办法》（国发〔1978〕104号）；"
    "全国人大常委会《关于实施渐进式延迟法定退休年龄的决定》（2024年9月13日，2025年1月1日起施行）"
)
# (sex, name, base age, reform applies to those born from, birth months per month of delay, maximum delay)
RULES = [
    ("M", "男职工（60 周岁，2025 年起渐进延迟至 63 周岁）", 60, date(1965, 1, 1), 4, 36),
    ("F", "女职工（原 50 周岁，2025 年起渐进延迟至 55 周岁）", 50, date(1975, 1, 1), 2, 60),
]


def install(say) -> None:
    year = timezone.localdate().year
    say(f"[staff] {_pay_policy(year)}；{_retirement_rules(year)}")


def _pay_policy(year: int) -> str:
    """A district with no adopted policy gets this year's draft from the report, for the bureau to check and
    adopt on the 年度规则 page (payroll waits for it); a district that has adopted one keeps its own."""
    if PayPolicy.objects.filter(status=VersionStatus.ADOPTED, year__lte=year).exists():
        return "已有已采用的薪酬政策，未改动"
    if PayPolicy.objects.filter(year=year).exists():
        return f"{year} 年度薪酬政策草稿已有，未改动（待区民政局采用）"
    PayPolicy.objects.create(
        year=year, **{**REPORT_POLICY, "source_document": f"{REVIEW_MARK}：{POLICY_SOURCE}"}
    )
    return f"{year} 年度薪酬政策草稿已新建（{REVIEW_MARK}，由区民政局在“年度规则”页面采用后方可计算工资）"


def _retirement_rules(year: int) -> str:
    """The retirement ages are national law, not the report's: a district with no adopted rules gets them
    adopted for this year (the bureau drafts a new version if the law changes)."""
    if RetirementRuleSet.objects.filter(status=VersionStatus.ADOPTED).exists():
        return "已有已采用的退休规则，未改动"
    version = RetirementRuleSet.objects.filter(year=year).order_by("-version").first()
    rule_set = RetirementRuleSet.objects.create(
        year=year,
        version=version.version + 1 if version else 1,
        status=VersionStatus.ADOPTED,
        source_document=RETIREMENT_SOURCE,
        adopted_at=timezone.now(),
    )
    for sex, name, age, reform_from, step, maximum in RULES:
        RetirementRule.objects.create(
            rule_set=rule_set,
            sex=sex,
            name=name,
            base_age=age,
            reform_from=reform_from,
            birth_months_per_step=step,
            max_delay_months=maximum,
            service_years=20,
        )
    return f"{year} 年度退休规则已新建并采用（{len(RULES)} 条，依据国家规定）"
