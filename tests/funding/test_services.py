from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from community_admin.admission.models import TaskFundingLine
from community_admin.core.models import AuditLog
from community_admin.funding import calculation, selectors, services
from community_admin.funding.models import Allocation, AllocationRun, Category
from tests.factories import ServiceCentreFactory
from tests.funding.factories import pdf, report_policy

YEAR = 2026


@pytest.mark.parametrize(
    ("households", "expected"),
    [(0, "10000.00"), (999, "10000.00"), (1000, "10000.00"), (1001, "10011.00"), (1500, "15500.00")],
)
def test_base_and_beyond_boundaries(world, households, expected):
    policy = report_policy(world.bureau, YEAR)
    base, beyond = calculation.base_and_beyond(policy, households)
    assert base + beyond == Decimal(expected)


def test_split_evenly_adds_up_to_the_cent():
    shares = calculation.split_evenly(Decimal("200000"), 8)
    assert shares == [Decimal("25000.00")] * 8
    odd = calculation.split_evenly(Decimal("100.00"), 3)
    assert sum(odd) == Decimal("100.00") and max(odd) - min(odd) == Decimal("0.01")


def test_policy_needs_every_category(world):
    with pytest.raises(ValidationError) as exc:
        report_policy(world.bureau, YEAR, typical_costs={Category.PHONE: Decimal("1500")})
    assert "typical_costs" in exc.value.message_dict


def test_versions_and_one_adopted_per_year(world):
    first = report_policy(world.bureau, YEAR)
    second = report_policy(world.bureau, YEAR, name="提高标准", per_household_beyond=Decimal("15"))
    first.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert not first.adopted and second.adopted
    assert selectors.typical_total(first) == Decimal("24500.00")


def _run(world, **policy_changes):
    world.committee_a1.recorded_households = 1000
    world.committee_a1.village_converted = True
    world.committee_a1.village_converted_on = timezone.localdate().replace(year=2010)
    world.committee_a1.save()
    world.committee_b1.recorded_households = 1001
    world.committee_b1.save()
    report_policy(world.bureau, YEAR, **policy_changes)
    return services.allocation_run(actor=world.bureau, year=YEAR)


def test_run_computes_every_committee_and_reconciles(world):
    ServiceCentreFactory(committee=world.committee_b1, street=world.street_b, level="committee", area_m2=1200)
    run = _run(world, large_centre_extra=Decimal("5000"))
    amounts = {a.committee.code: a for a in run.allocations.select_related("committee")}
    assert amounts["A1"].amount == Decimal("210000.00")  # 10,000 + the whole village pool (one converted)
    assert amounts["A2"].amount == Decimal("25400.00")  # 2,400 households: 10,000 + 1,400 × 11
    assert amounts["B1"].amount == Decimal("15011.00")  # 10,011 + the large centre
    assert run.total == sum(a.amount for a in amounts.values())
    assert run.households == 1000 + 2400 + 1001
    assert run.per_household == (run.total / run.households).quantize(Decimal("0.01"))
    assert AuditLog.objects.filter(action="funding.allocation.run").count() == 1


def test_snapshot_is_kept_when_the_registry_changes(world):
    run = _run(world)
    world.committee_a2.recorded_households = 5000
    world.committee_a2.save()
    assert Allocation.objects.get(run=run, committee=world.committee_a2).households == 2400


def test_closed_year_is_refused(world):
    run = _run(world)
    services.allocation_run_close(actor=world.bureau, run=run)
    with pytest.raises(ValidationError) as exc:
        services.allocation_run(actor=world.bureau, year=YEAR)
    assert exc.value.message_dict["year"] == [services.ERR_YEAR_CLOSED.format(year=YEAR)]
    assert AllocationRun.objects.filter(year=YEAR).count() == 1


def test_open_year_rerun_replaces_lines_and_no_policy_is_refused(world):
    _run(world)
    world.committee_a2.recorded_households = 3400
    world.committee_a2.save()
    run = services.allocation_run(actor=world.bureau, year=YEAR)
    assert run.allocations.count() == 3
    assert run.allocations.get(committee=world.committee_a2).amount == Decimal("36400.00")
    with pytest.raises(ValidationError) as exc:
        services.allocation_run(actor=world.bureau, year=YEAR + 1)
    assert exc.value.message_dict["year"] == [services.ERR_NO_ADOPTED_POLICY.format(year=YEAR + 1)]


def _sent(world):
    run = _run(world)
    services.allocation_run_close(actor=world.bureau, run=run)
    sent_on = timezone.localdate() - timedelta(days=60)
    assert services.disbursement_send(actor=world.bureau, run=run, sent_on=sent_on) == 3
    return run, sent_on


def test_disbursement_flow_and_flags(world):
    run, sent_on = _sent(world)
    d_a1 = selectors.disbursement_list(world.bureau).get(allocation__committee=world.committee_a1)
    d_a2 = selectors.disbursement_list(world.bureau).get(allocation__committee=world.committee_a2)
    services.disbursement_pass_on(
        actor=world.street_user,
        disbursement=d_a1,
        passed_on=sent_on + timedelta(days=5),
        amount=d_a1.amount - 1000,
    )
    services.disbursement_confirm(
        actor=world.committee_user,
        disbursement=d_a1,
        received_on=sent_on + timedelta(days=6),
        amount=d_a1.amount - 1000,
    )
    services.disbursement_pass_on(
        actor=world.street_user, disbursement=d_a2, passed_on=sent_on + timedelta(days=3), amount=d_a2.amount
    )
    with pytest.raises(ValidationError) as exc:
        services.disbursement_pass_on(actor=world.street_user, disbursement=d_a2, passed_on=sent_on, amount=1)
    assert exc.value.message_dict["passed_on"] == [services.ERR_ALREADY_PASSED]
    flags = selectors.flag_list(YEAR, world.street_a.committees.all() | world.street_b.committees.all())
    kinds = {(f.kind, f.committee.code, f.amount) for f in flags}
    assert ("held_back", "A1", Decimal("1000.00")) in kinds
    assert any(k == "delayed" and c == "A2" for k, c, _ in kinds)  # passed on, never confirmed: 57 days
    assert any(k == "delayed" and c == "B1" for k, c, _ in kinds)  # never passed on: 60 days


def test_pass_on_above_sent_and_confirm_before_pass_are_refused(world):
    run, sent_on = _sent(world)
    d = selectors.disbursement_list(world.bureau).get(allocation__committee=world.committee_b1)
    with pytest.raises(ValidationError) as exc:
        services.disbursement_confirm(actor=world.bureau, disbursement=d, received_on=sent_on, amount=1)
    assert exc.value.message_dict["received_on"] == [services.ERR_NOT_PASSED]
    with pytest.raises(ValidationError) as exc:
        services.disbursement_pass_on(
            actor=world.bureau, disbursement=d, passed_on=sent_on, amount=d.amount + 1
        )
    assert "amount" in exc.value.message_dict


def test_receipt_checked_by_magic_bytes(world):
    fake = SimpleUploadedFile("r.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.expenditure_record(
            actor=world.committee_user,
            committee=world.committee_a1,
            spent_on=timezone.localdate(),
            category=Category.PHONE,
            amount=Decimal("10"),
            description="电话费",
            receipt=fake,
        )
    assert exc.value.message_dict["receipt"] == [services.ERR_FILE_TYPE]


def test_spending_flags_overspent_and_task_money_outside_its_task(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from community_admin.admission import services as task_services
    from tests.admission.factories import ServiceItemFactory

    _run(world)
    ServiceItemFactory(code="F01", unit_rate=0, department=world.police)
    task = task_services.task_submit(
        actor=world.department_user,
        service_item_code="F01",
        title="入户调查",
        due_date=timezone.localdate() + timedelta(days=10),
        quantity=1,
        funding=Decimal("3000"),
        committee_codes=["A1"],
    )
    today = (
        timezone.localdate().replace(year=YEAR) if timezone.localdate().year != YEAR else timezone.localdate()
    )
    line = TaskFundingLine.objects.get(task=task)
    line.year = today.year
    line.save()
    with pytest.raises(ValidationError) as exc:
        services.expenditure_record(
            actor=world.committee_user,
            committee=world.committee_a2,
            spent_on=today,
            category=Category.PHONE,
            amount=Decimal("1"),
            description="x",
            receipt=pdf(),
            task=task,
        )
    assert exc.value.message_dict["task"] == [services.ERR_TASK_NOT_FUNDED]
    # A1's allocation is 210,000.00; general spending 212,000 dips 2,000 into the task's 3,000.
    services.expenditure_record(
        actor=world.committee_user,
        committee=world.committee_a1,
        spent_on=today,
        category=Category.ACTIVITIES,
        amount=Decimal("212000"),
        description="活动",
        receipt=pdf(),
    )
    budgets = {b.committee.code: b for b in selectors.budgets(today.year, world.street_a.committees.all())}
    a1 = budgets["A1"]
    assert a1.task_money == Decimal("3000.00")
    assert [(f.kind, f.amount) for f in a1.flags] == [("task_misuse", Decimal("2000.00"))]
    services.expenditure_record(
        actor=world.committee_user,
        committee=world.committee_a1,
        spent_on=today,
        category=Category.ACTIVITIES,
        amount=Decimal("3000"),
        description="任务支出",
        receipt=pdf(),
        task=task,
    )
    a1 = {b.committee.code: b for b in selectors.budgets(today.year, world.street_a.committees.all())}["A1"]
    assert sorted((f.kind, f.amount) for f in a1.flags) == [("overspent", Decimal("2000.00"))]


def test_a_failure_after_the_receipt_is_stored_leaves_no_file(world, settings, tmp_path, monkeypatch):
    from django.db import DatabaseError

    settings.MEDIA_ROOT = tmp_path

    def fail(**kwargs):
        raise DatabaseError("the audit row could not be written")

    monkeypatch.setattr(services.audit, "record", fail)
    with pytest.raises(DatabaseError):
        services.expenditure_record(
            actor=world.committee_user,
            committee=world.committee_a1,
            spent_on=timezone.localdate(),
            category=Category.PHONE,
            amount=Decimal("10"),
            description="电话费",
            receipt=pdf(),
        )
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]
