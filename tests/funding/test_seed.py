from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from community_admin.funding import selectors
from community_admin.funding.models import Allocation, AllocationRun, Disbursement, Expenditure, FundingPolicy
from community_admin.org.models import Committee

pytestmark = pytest.mark.django_db


def seed() -> None:
    call_command("seed_district", scale="small", seed=7, stdout=StringIO(), stderr=StringIO())


def test_demo_district_funding_reconciles_and_shows_held_back_money():
    seed()
    run = AllocationRun.objects.get()
    assert run.committees == Committee.objects.count() == 151
    assert run.total == Allocation.objects.filter(run=run).aggregate(t=Sum("amount"))["t"]
    village = Allocation.objects.filter(run=run, village_converted=True)
    assert village.count() == 8
    assert set(village.values_list("village_extra", flat=True)) == {Decimal("25000.00")}
    assert FundingPolicy.objects.filter(adopted=True).get().large_centre_extra == 0
    assert Disbursement.objects.count() == 151
    counts = selectors.flag_counts(run.year, Committee.objects.all())
    assert counts["held_back"] >= 3 and counts["delayed"] >= 2 and counts["overspent"] >= 1
    assert Expenditure.objects.exists()
    seed()  # safe to run twice
    assert AllocationRun.objects.count() == 1


def test_demo_district_is_written_as_history_without_audit_rows():
    from community_admin.core.models import AuditLog

    seed()
    assert not AuditLog.objects.filter(action__startswith="funding.").exists()
