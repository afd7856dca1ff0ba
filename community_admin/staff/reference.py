"""Reference data of the staff app (core/reference_data.py): this year's pay policy and the retirement rules, from the
survey report's figures. A year that has its policy keeps it; a missing year gets the report's figures with its
source marked "取自调研报告，采用前请核对" (core.reference_data.REVIEW_MARK), for the bureau to review on the pay
policy page: the province's minimum wage in particular is the province's to publish, not the report's."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from community_admin.core.reference_data import REVIEW_MARK
from community_admin.staff.models import PayPolicy, RetirementRule

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
    _, made = PayPolicy.objects.get_or_create(
        year=year, defaults={**REPORT_POLICY, "source_document": f"{REVIEW_MARK}：{POLICY_SOURCE}"}
    )
    rules = 0
    for sex, name, age, reform_from, step, maximum in RULES:
        if not RetirementRule.objects.filter(sex=sex).exists():
            RetirementRule.objects.create(
                sex=sex,
                name=name,
                base_age=age,
                reform_from=reform_from,
                birth_months_per_step=step,
                max_delay_months=maximum,
                service_years=20,
                source_document=RETIREMENT_SOURCE,
            )
            rules += 1
    policy = "已新建（取自调研报告，采用前请核对）" if made else "已有，未改动"
    say(f"[staff] {year} 年度薪酬政策{policy}；退休规则 {len(RULES)} 条（新建 {rules} 条）。")
