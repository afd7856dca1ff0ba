from decimal import Decimal

from funding import services
from funding.models import Category

REPORT_COSTS = {
    Category.PHONE: Decimal("1500"),
    Category.PRINTING: Decimal("1000"),
    Category.NEWSPAPERS: Decimal("2000"),
    Category.ACTIVITIES: Decimal("3000"),
    Category.OFFICE_SUPPLIES: Decimal("1000"),
    Category.UTILITIES: Decimal("4000"),
    Category.EQUIPMENT: Decimal("4000"),
    Category.DISPLAY_BOARDS: Decimal("5000"),
    Category.GROUP_LEADERS: Decimal("3000"),
}


def report_policy(actor, year: int, *, adopt: bool = True, **changes):
    values = {
        "name": "调研报告标准",
        "source": "调研报告",
        "base_amount": Decimal("10000"),
        "per_household_beyond": Decimal("11"),
        "village_converted_pool": Decimal("200000"),
        "large_centre_extra": Decimal("0"),
        "typical_costs": dict(REPORT_COSTS),
    }
    values.update(changes)
    return services.policy_create(actor=actor, year=year, adopt=adopt, **values)


def pdf(name: str = "r.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4 receipt", content_type="application/pdf")
