from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community_admin.accounts import services as account_services
from community_admin.accounts import tokens
from community_admin.accounts.models import Role
from community_admin.admission import services
from community_admin.admission.models import ServiceItem, Task, TaskAssignment, TaskFundingLine
from community_admin.core.models import AuditLog
from tests.factories import CommitteeFactory, DepartmentFactory


def test_admitted_task_creates_work_and_money_for_every_committee(world, items, submit):
    task = submit(funding=Decimal("700.00"))
    assert task.decision == Task.Decision.ADMITTED and task.refusal_reason == ""
    assert task.required_funding == Decimal("600.00") and task.unit_rate == Decimal("30.00")
    assert sorted(a.committee.code for a in task.assignments.all()) == ["A1", "A2"]
    assert {a.status for a in task.assignments.all()} == {TaskAssignment.Status.ACCEPTED}
    lines = {line.committee.code: line.amount for line in task.funding_lines.all()}
    assert lines == {"A1": Decimal("350.00"), "A2": Decimal("350.00")}
    assert AuditLog.objects.filter(action="task.admitted", object_id=str(task.pk)).exists()


def test_funding_split_is_exact_to_the_cent(world, items, submit):
    CommitteeFactory(street=world.street_a, code="A3", name="甲三社区居委会")
    task = submit(committee_codes=["A1", "A2", "A3"], quantity=1, funding=Decimal("100.00"))
    amounts = [line.amount for line in task.funding_lines.order_by("committee__code")]
    assert amounts == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
    assert sum(amounts) == Decimal("100.00")


@pytest.mark.parametrize("funding", ["0", "600.00"])
def test_a_duty_item_is_the_committees_own_work_not_a_task(world, items, submit, funding):
    """The catch-all duty items carry no rate: pushed as tasks they would admit any unfunded work."""
    task = submit(service_item_code="ZZ01", funding=Decimal(funding))
    assert task.decision == Task.Decision.REFUSED and task.refusal_reason == Task.RefusalReason.DUTY
    assert "社区依法履行职责事项" in task.refusal_detail
    assert not task.assignments.exists() and not task.funding_lines.exists()


def test_a_department_pushes_only_items_it_owns_or_co_owns(world, items, submit):
    from tests.factories import UserFactory

    stats = DepartmentFactory(code="TJ", name="区统计局")
    stats.streets.set([world.street_a])
    stats_user = UserFactory(username="t-stats", role=Role.DEPARTMENT, department=stats)
    task = submit(actor=stats_user)  # 低保 belongs to the police station in this world
    assert task.decision == Task.Decision.REFUSED and task.refusal_reason == Task.RefusalReason.NOT_OWNER
    assert "区统计局不是其主管或协办部门" in task.refusal_detail
    assert not task.assignments.exists() and not task.funding_lines.exists()
    assert AuditLog.objects.filter(action="task.refused", object_id=str(task.pk)).exists()
    items.assist.co_departments.add(stats)
    assert submit(actor=stats_user).decision == Task.Decision.ADMITTED


@pytest.mark.parametrize(
    ("code", "funding", "reason", "words"),
    [
        ("NOPE-1", "600.00", Task.RefusalReason.NOT_LISTED, "不在本区社区公共服务事项准入清单上"),
        ("QT01", "600.00", Task.RefusalReason.EXCLUDED, "不应由社区承担"),
        ("SQ001", "600.00", Task.RefusalReason.NOT_ADMITTED, "申请中"),
        ("RV01", "600.00", Task.RefusalReason.NOT_ADMITTED, "已撤销"),
        ("FU01", "600.00", Task.RefusalReason.NOT_EFFECTIVE, "起生效"),
        ("MZ01", "599.99", Task.RefusalReason.UNDERFUNDED, "= 600.00 元，实际提供 599.99 元"),
    ],
)
def test_refusals_are_recorded_with_their_reason(world, items, submit, code, funding, reason, words):
    task = submit(service_item_code=code, funding=Decimal(funding))
    assert task.decision == Task.Decision.REFUSED
    assert task.refusal_reason == reason and words in task.refusal_detail
    assert sorted(c.code for c in task.committees.all()) == ["A1", "A2"]
    assert not task.assignments.exists() and not task.funding_lines.exists()
    assert AuditLog.objects.filter(action="task.refused", object_id=str(task.pk)).exists()


def test_excluded_refusal_names_the_responsible_department(world, items, submit):
    task = submit(service_item_code="QT01")
    assert items.excluded.department.name in task.refusal_detail


def test_committees_outside_the_departments_streets_read_as_unknown(world, items, submit):
    with pytest.raises(ValidationError) as outside:
        submit(committee_codes=["A1", "B1"])
    with pytest.raises(ValidationError) as missing:
        submit(committee_codes=["A1", "ZZ99"])
    assert outside.value.message_dict["committees"] == [
        services.ERR_TASK_UNKNOWN_COMMITTEES.format(codes="B1")
    ]
    assert missing.value.message_dict["committees"] == [
        services.ERR_TASK_UNKNOWN_COMMITTEES.format(codes="ZZ99")
    ]
    assert not Task.objects.exists()


def test_a_whole_street_reaches_all_its_committees(world, items, submit):
    task = submit(committee_codes=None, street_code="A", funding=Decimal("600"))
    assert task.street == world.street_a
    assert sorted(c.code for c in task.committees.all()) == ["A1", "A2"]
    with pytest.raises(ValidationError) as exc:
        submit(committee_codes=None, street_code="B")
    assert exc.value.message_dict["street"] == [services.ERR_TASK_UNKNOWN_STREET.format(code="B")]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"committee_codes": None}, "committees", services.ERR_TASK_TARGET_REQUIRED),
        ({"street_code": "A"}, "committees", services.ERR_TASK_TARGET_BOTH),
        ({"due_date": date(2020, 1, 1)}, "due_date", services.ERR_TASK_DUE_PAST),
    ],
)
def test_bad_targets_and_dates_change_nothing(world, items, submit, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        submit(**overrides)
    assert exc.value.message_dict[field] == [message]
    assert not Task.objects.exists()


def test_only_departments_submit(world, items, submit):
    with pytest.raises(ValidationError) as exc:
        submit(actor=world.street_user)
    assert exc.value.messages == [services.ERR_TASK_NOT_DEPARTMENT]


def test_idempotent_submission_replays_and_refuses_another_body(world, items, due):
    kwargs = {
        "service_item_code": "MZ01",
        "title": "复核",
        "due_date": due,
        "quantity": 10,
        "funding": Decimal("600"),
        "committee_codes": ["A1", "A2"],
    }
    first = services.task_submit_idempotent(
        actor=world.department_user, idempotency_key="k1", fingerprint="f1", **kwargs
    )
    again = services.task_submit_idempotent(
        actor=world.department_user, idempotency_key="k1", fingerprint="f1", **kwargs
    )
    assert (first.status_code, first.replayed) == (201, False)
    assert (again.status_code, again.replayed, again.task.pk) == (201, True, first.task.pk)
    assert Task.objects.count() == 1
    with pytest.raises(services.IdempotencyConflict):
        services.task_submit_idempotent(
            actor=world.department_user, idempotency_key="k1", fingerprint="f2", **kwargs
        )
    assert Task.objects.count() == 1


def test_idempotent_submission_stores_a_reference_error(world, items, due):
    kwargs = {
        "service_item_code": "MZ01",
        "title": "复核",
        "due_date": due,
        "quantity": 1,
        "funding": Decimal("60"),
        "committee_codes": ["B1"],
    }
    first = services.task_submit_idempotent(
        actor=world.department_user, idempotency_key="k", fingerprint="f", **kwargs
    )
    again = services.task_submit_idempotent(
        actor=world.department_user, idempotency_key="k", fingerprint="f", **kwargs
    )
    assert first.status_code == again.status_code == 422
    assert first.task is None and again.errors == first.errors and "committees" in first.errors


# The admission list's procedure ------------------------------------------------------------------------


def _apply(world, **overrides):
    kwargs = {
        "actor": world.department_user,
        "department": world.police,
        "name": "反诈宣传进社区",
        "area": "public_security",
        "category": ServiceItem.Category.ASSIST,
        "legal_basis": "《中华人民共和国反电信网络诈骗法》",
        "source_document": "甲街派出所准入申请",
        "effective_from": date(2026, 3, 16),
        "unit": "次",
        "unit_rate": Decimal("200"),
        "applied_on": date(2026, 2, 2),
    }
    kwargs.update(overrides)
    return services.service_item_apply(**kwargs)


def test_working_days_skip_weekends():
    assert services.add_working_days(date(2026, 2, 6), 1) == date(2026, 2, 9)  # Friday -> Monday
    assert services.add_working_days(date(2026, 2, 2), 15) == date(2026, 2, 23)
    assert services.add_working_days(date(2026, 2, 2), 30) == date(2026, 3, 16)


def test_application_goes_through_the_procedure_and_is_audited(world):
    item = _apply(world)
    assert item.status == ServiceItem.Status.APPLIED and item.code == "SQ2026001"
    assert item.decision_due == date(2026, 2, 23)
    for action, status in (("approve", "approved"), ("admit", "admitted"), ("revoke", "revoked")):
        item = services.service_item_transition(actor=world.bureau, item=item, action=action, note="意见")
        assert item.status == status
    actions = list(
        AuditLog.objects.filter(object_id=str(item.pk), object_type="tasks.serviceitem")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "service_item.apply",
        "service_item.approve",
        "service_item.admit",
        "service_item.revoke",
    ]


def test_application_must_come_thirty_working_days_ahead(world):
    with pytest.raises(ValidationError) as exc:
        _apply(world, effective_from=date(2026, 3, 13))
    assert exc.value.message_dict["effective_from"] == [
        services.ERR_ITEM_TOO_LATE.format(days=30, earliest="2026-03-16")
    ]
    assert not ServiceItem.objects.exists()


def test_a_department_applies_only_for_itself(world):
    with pytest.raises(ValidationError) as exc:
        _apply(world, department=DepartmentFactory())
    assert exc.value.message_dict["department"] == [services.ERR_ITEM_OTHER_DEPARTMENT]


@pytest.mark.parametrize(("action", "note"), [("admit", ""), ("revoke", "x")])
def test_steps_cannot_be_skipped(world, action, note):
    item = _apply(world)
    with pytest.raises(ValidationError) as exc:
        services.service_item_transition(actor=world.bureau, item=item, action=action, note=note)
    assert "申请中" in exc.value.message_dict["action"][0]


def test_rejecting_needs_a_note(world):
    item = _apply(world)
    with pytest.raises(ValidationError) as exc:
        services.service_item_transition(actor=world.bureau, item=item, action="reject", note=" ")
    assert exc.value.message_dict["note"] == [services.ERR_ITEM_NOTE_REQUIRED]
    item = services.service_item_transition(actor=world.bureau, item=item, action="reject", note="属部门职责")
    assert item.status == ServiceItem.Status.REJECTED and item.decided_at is not None


def test_bureau_edit_is_audited_and_leaves_decided_tasks_alone(world, items, submit):
    task = submit()
    services.service_item_update(actor=world.bureau, item=items.assist, changes={"unit_rate": Decimal("45")})
    row = AuditLog.objects.get(action="service_item.update")
    assert row.details == {"unit_rate": ["30.00", "45.00"]}
    task.refresh_from_db()
    assert task.unit_rate == Decimal("30.00")
    with pytest.raises(ValidationError):
        services.service_item_update(actor=world.bureau, item=items.assist, changes={"status": "revoked"})


def test_an_excluded_item_carries_no_rate(world, items):
    with pytest.raises(ValidationError):
        services.service_item_update(
            actor=world.bureau, item=items.excluded, changes={"unit_rate": Decimal("5")}
        )


# The committees' work ----------------------------------------------------------------------------------


def test_committee_works_a_task_to_done(world, items, submit):
    assignment = submit().assignments.get(committee=world.committee_a1)
    assignment = services.task_assignment_start(actor=world.committee_user, assignment=assignment)
    assert assignment.status == TaskAssignment.Status.IN_PROGRESS
    with pytest.raises(ValidationError) as exc:
        services.task_assignment_complete(actor=world.committee_user, assignment=assignment, report="  ")
    assert exc.value.message_dict["report"] == [services.ERR_REPORT_REQUIRED]
    done = services.task_assignment_complete(
        actor=world.committee_user, assignment=assignment, report="已入户 10 户"
    )
    assert (
        done.status == TaskAssignment.Status.DONE
        and done.completed_at
        and done.closed_by == world.committee_user
    )
    with pytest.raises(ValidationError):
        services.task_assignment_start(actor=world.committee_user, assignment=done)


def test_street_refusal_withdraws_the_committees_money(world, items, submit):
    task = submit()
    assignment = task.assignments.get(committee=world.committee_a1)
    with pytest.raises(ValidationError):
        services.task_assignment_refuse(actor=world.street_user, assignment=assignment, reason="")
    services.task_assignment_refuse(actor=world.street_user, assignment=assignment, reason="超出社区职责")
    lines = {
        line.committee.code: line.withdrawn_at is not None
        for line in TaskFundingLine.objects.filter(task=task)
    }
    assert lines == {"A1": True, "A2": False}
    row = AuditLog.objects.get(action="task_assignment.refuse")
    assert row.details == {"reason": "超出社区职责", "funding_lines_withdrawn": 1}


def test_a_done_task_cannot_be_refused(world, items, submit):
    assignment = submit().assignments.get(committee=world.committee_a1)
    services.task_assignment_complete(actor=world.committee_user, assignment=assignment, report="完成")
    with pytest.raises(ValidationError):
        services.task_assignment_refuse(actor=world.street_user, assignment=assignment, reason="晚了")


def test_overdue_is_open_past_the_due_date(world, items, submit):
    assignment = submit().assignments.get(committee=world.committee_a1)
    Task.objects.filter(pk=assignment.task_id).update(due_date=timezone.localdate() - timedelta(days=1))
    assignment.refresh_from_db()
    assert assignment.is_overdue and assignment.display_status == "已逾期"


# Token rotation (accounts) -----------------------------------------------------------------------------


def test_rotation_replaces_the_key_and_keeps_department_and_scopes(world, task_token):
    old, old_key = task_token
    new, new_key = account_services.api_token_rotate(actor=world.bureau, token=old)
    old.refresh_from_db()
    assert old.revoked_at is not None and tokens.find_active(old_key) is None
    assert tokens.find_active(new_key).pk == new.pk
    assert (new.user_id, new.scopes, new.name) == (old.user_id, old.scopes, old.name)
    assert round((new.expires_at - new.created_at).total_seconds() / 86400) == 30
    assert AuditLog.objects.filter(action="token.rotate", object_id=str(new.pk)).exists()
    with pytest.raises(ValidationError):
        account_services.api_token_rotate(actor=world.bureau, token=old)
