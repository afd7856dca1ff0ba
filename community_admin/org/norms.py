"""Staffing and office-space norms of the survey report (DESIGN.md section 4)."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

REPORT_SOURCE = "《*区社区工作调研报告》"
MEMBERS_THRESHOLD_HOUSEHOLDS = 2000
MEMBERS_SMALL = 3
MEMBERS_LARGE = 5
HOUSEHOLDS_PER_SOCIAL_WORKER = 500


def required_members(households: int) -> int:
    """3 committee members below 2,000 households, 5 from 2,000 on."""
    return MEMBERS_SMALL if households < MEMBERS_THRESHOLD_HOUSEHOLDS else MEMBERS_LARGE


def required_social_workers(households: int) -> int:
    """One social worker per 500 households, rounded up."""
    return -(-households // HOUSEHOLDS_PER_SOCIAL_WORKER)


def required_office_area(households: int, *, per_100: Decimal, minimum: Decimal) -> Decimal:
    """`per_100` m² per 100 households, never less than `minimum`."""
    area = (Decimal(households) * per_100 / Decimal(100)).quantize(Decimal("0.1"), rounding=ROUND_CEILING)
    return max(area, minimum)


@dataclass(frozen=True)
class OfficeAreaCheck:
    norm_code: str
    norm_name: str
    required_m2: Decimal
    actual_m2: Decimal

    @property
    def compliant(self) -> bool:
        return self.actual_m2 >= self.required_m2

    @property
    def shortfall_m2(self) -> Decimal:
        return max(self.required_m2 - self.actual_m2, Decimal(0))
