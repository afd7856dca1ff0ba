"""The administrative load of hand-kept ledgers, for the services' balance (core/workload.py). Derived books
are views of the registry and cost nothing to keep; each entry written into a manual book does."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from community_admin.core import workload

from .models import LedgerEntry

HOURS_PER_ENTRY = Decimal("0.25")


def entries_written(committee_ids: list[int], start, end) -> dict[int, int]:
    since, until = workload.moments(start, end)
    return workload.per_committee(
        LedgerEntry.objects.filter(
            period__committee_id__in=committee_ids, created_at__gte=since, created_at__lt=until
        ),
        "period__committee_id",
    )


workload.register(
    workload.LoadCounter(
        name="ledgers.entries",
        label=_("台账登记"),
        count=entries_written,
        hours_each=HOURS_PER_ENTRY,
    )
)
