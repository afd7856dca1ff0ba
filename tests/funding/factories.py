from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from community_admin.funding import services
from community_admin.funding.models import Category

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


@dataclass
class FundingObjects:
    policy: object
    proposal: object
    run: object
    allocations: dict = field(default_factory=dict)  # "a1" / "a2" / "b1"
    disbursements: dict = field(default_factory=dict)
    expenditures: dict = field(default_factory=dict)


def funding_objects(world, *, sent_days_ago: int = 40) -> FundingObjects:
    """This year's adopted report policy and a proposal; a closed run sent to the streets `sent_days_ago`
    days ago; one expenditure (with a PDF receipt) for each of A1, A2 and B1."""
    today = timezone.localdate()
    policy = report_policy(world.bureau, today.year)
    proposal = report_policy(
        world.bureau, today.year, adopt=False, name="提高超出户数标准", per_household_beyond=Decimal("15")
    )
    run = services.allocation_run(actor=world.bureau, year=today.year)
    services.allocation_run_close(actor=world.bureau, run=run)
    services.disbursement_send(actor=world.bureau, run=run, sent_on=today - timedelta(days=sent_days_ago))
    objects = FundingObjects(policy=policy, proposal=proposal, run=run)
    for key, committee in (
        ("a1", world.committee_a1),
        ("a2", world.committee_a2),
        ("b1", world.committee_b1),
    ):
        allocation = run.allocations.get(committee=committee)
        objects.allocations[key] = allocation
        objects.disbursements[key] = allocation.disbursement
        objects.expenditures[key] = services.expenditure_record(
            actor=world.bureau,
            committee=committee,
            spent_on=today,
            category=Category.PHONE,
            amount=Decimal("120.50"),
            description="电话费",
            receipt=pdf(),
        )
    return objects
