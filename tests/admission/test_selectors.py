from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.admission import selectors, services
from community_admin.admission.models import Task


def _rows(workloads):
    return {w.unit.code: w for w in workloads}


def test_workload_counts_received_admitted_refused_overdue_and_money(world, items, submit):
    admitted = submit()  # A1 + A2, 600 yuan, 10 households each at 30 yuan
    submit(service_item_code="QT01", committee_codes=["A1"])  # refused
    late = submit(committee_codes=["A1"], quantity=1, funding=Decimal("30"))
    Task.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    services.task_assignment_refuse(
        actor=world.street_user,
        assignment=admitted.assignments.get(committee=world.committee_a2),
        reason="不合理",
    )
    rows = _rows(selectors.workload_by_committee(scoping.visible_committees(world.bureau)))
    a1, a2, b1 = rows["A1"], rows["A2"], rows["B1"]
    assert (a1.received, a1.admitted, a1.refused, a1.overdue, a1.open, a1.affairs) == (3, 2, 1, 1, 2, 2)
    assert (str(a1.funding), str(a1.work_value)) == ("330.00", "330.00")
    assert (a2.received, a2.refused_by_street, a2.open, a2.funding, a2.work_value) == (
        1,
        1,
        0,
        Decimal("0"),
        Decimal("0"),
    )
    assert (b1.received, b1.funding) == (0, Decimal("0.00"))
    streets = _rows(
        selectors.workload_by_street(
            scoping.visible_streets(world.bureau), scoping.visible_committees(world.bureau)
        )
    )
    assert (streets["A"].received, streets["A"].refused, streets["A"].funding) == (4, 1, Decimal("330.00"))
    assert selectors.workload_total(list(streets.values())).received == 4


def test_workload_follows_the_callers_scope_and_the_year(world, items, submit):
    submit()
    street_rows = selectors.workload_by_committee(scoping.visible_committees(world.street_user))
    assert sorted(w.unit.code for w in street_rows) == ["A1", "A2"]
    next_year = timezone.localdate().year + 1
    assert all(
        w.received == 0
        for w in selectors.workload_by_committee(scoping.visible_committees(world.bureau), year=next_year)
    )


def test_workload_query_count_does_not_grow_with_committees(
    world, items, submit, django_assert_max_num_queries
):
    submit()
    with django_assert_max_num_queries(4):
        selectors.workload_by_committee(scoping.visible_committees(world.bureau))


def test_task_funding_total_leaves_out_withdrawn_lines(world, items, submit):
    task = submit()
    year = task.due_date.year
    assert selectors.task_funding_total(committee=world.committee_a1, year=year) == Decimal("300.00")
    services.task_assignment_refuse(
        actor=world.street_user, assignment=task.assignments.get(committee=world.committee_a1), reason="x"
    )
    assert selectors.task_funding_total(committee=world.committee_a1, year=year) == Decimal("0.00")


def test_task_list_is_scoped(world, items, submit):
    both = submit()
    a2 = submit(committee_codes=["A2"])
    assert list(selectors.task_list(world.committee_user)) == [both]
    assert set(selectors.task_list(world.street_user)) == {both, a2}
    assert set(selectors.task_list(world.department_user)) == {both, a2}
    assert selectors.assignment_list(world.department_user).count() == 0


def test_refusals_by_reason_and_department(world, items, submit):
    submit(service_item_code="QT01")
    submit(service_item_code="NOPE")
    submit(funding=Decimal("1"))
    stats = selectors.refusals(selectors.task_list(world.bureau))
    assert sorted(n for _, n in stats["by_reason"]) == [1, 1, 1]
    assert stats["by_department"] == [(world.police.name, 3)]


def _codes(rows):
    return sorted(row.committee.code for row in rows)


def test_shared_task_peers_read_only_their_own_line(world, shared_task):
    task, department_user = shared_task
    for user, seen in [
        (world.committee_user, ["A1"]),
        (world.street_user, ["A1", "A2"]),
        (world.bureau, ["A1", "A2", "B1"]),
        (department_user, ["A1", "A2", "B1"]),
    ]:
        detailed = selectors.task_list_detailed(user).get(pk=task.pk)
        assert _codes(detailed.assignments.all()) == seen, user
        assert _codes(detailed.funding_lines.all()) == seen, user
        assert sorted(c.code for c in detailed.committees.all()) == seen, user
        assert _codes(selectors.task_funding_lines(user).filter(task=task)) == seen, user
        assert _codes(selectors.task_assignment_lines(user).filter(task=task)) == seen, user
    # the police did not submit it: not one of its lines
    assert not selectors.task_funding_lines(world.department_user).filter(task=task).exists()
