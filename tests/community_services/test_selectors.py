from datetime import date, timedelta
from decimal import Decimal

import pytest

from community_admin.community_services import selectors, services
from community_admin.community_services.balance import Balance, Period, ServiceCounts
from community_admin.core import workload
from community_admin.org.models import Committee
from tests.factories import CommitteeFactory, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered_counter():
    """A stand-in administrative source: one 'certificate' per household of each committee in the period."""
    from community_admin.residents.models import Household

    calls = []

    def count(committee_ids, start, end):
        calls.append((tuple(committee_ids), start, end))
        rows = Household.objects.filter(committee_id__in=committee_ids).values_list("committee_id")
        out: dict[int, int] = {}
        for (cid,) in rows:
            out[cid] = out.get(cid, 0) + 10
        return out

    counter = workload.register(
        workload.LoadCounter(
            name="test.certificates", label="测试证明", count=count, hours_each=Decimal("0.5")
        )
    )
    yield counter, calls
    workload.unregister(counter.name)


def test_the_registry_refuses_a_second_counter_of_the_same_name(registered_counter):
    counter, _ = registered_counter
    with pytest.raises(ValueError):
        workload.register(workload.LoadCounter(name=counter.name, label="x", count=lambda *a: {}))


def test_visits_reach_and_rates_per_committee(world, households, persons, visit, activity, today):
    services.visit_record(
        actor=world.committee_user, household=households["A1"], visited_on=today, purpose="routine"
    )
    period = Period(today - timedelta(days=30), today)
    rows = dict(selectors.committee_balances(Committee.objects.filter(pk=world.committee_a1.pk), period))
    balance = rows[world.committee_a1]
    assert balance.service.visits == 2
    assert balance.service.households_reached == 1
    assert balance.service.activities == 1 and balance.service.participants == 40
    # One household in the registry: two visits is 200 per 100 households, all households reached.
    assert balance.households == 1
    assert balance.visits_per_100_households == Decimal("200.00")
    assert balance.reach_share == Decimal("1.00")
    assert balance.scores["visits"] == Decimal("100.0")
    assert balance.service_share is None and not balance.flagged  # no administrative source yet


def test_the_service_index_formula():
    period = Period.year(2025)
    balance = Balance(
        period=period,
        households=1000,
        residents=2000,
        service=ServiceCounts(
            visits=200, activities=6, volunteer_hours=Decimal("150"), organisations_supported=1
        ),
    )
    # visits 20 per 100 households against 40: 50; activities 3 per 1,000 against 6: 50;
    # hours 75 per 1,000 against 150: 50; organisations 1 against 4: 25.
    assert balance.scores == {
        "visits": Decimal("50.0"),
        "activities": Decimal("50.0"),
        "volunteer_hours": Decimal("50.0"),
        "organisations": Decimal("25.0"),
    }
    assert balance.service_index == Decimal("43.8")
    month = Balance(
        period=Period.month(2025, 2), households=1000, residents=2000, service=ServiceCounts(visits=31)
    )
    # February is 28 days: the target is 40 × 28/365 ≈ 3.07 per 100 households; 3.1 is over it.
    assert month.scores["visits"] == Decimal("100.0")


def test_a_registered_source_gives_the_time_split_and_the_flag(
    world, households, visit, registered_counter, today
):
    counter, calls = registered_counter
    period = Period(today - timedelta(days=30), today)
    rows = dict(selectors.committee_balances(Committee.objects.all(), period))
    a1 = rows[world.committee_a1]
    assert a1.admin == {"test.certificates": 10}
    assert a1.admin_hours == Decimal("5.0")
    assert a1.service_hours == Decimal("0.5")  # one visit
    assert a1.service_share == Decimal("0.091")
    assert a1.flagged
    assert rows[world.committee_b1].admin == {"test.certificates": 10}
    assert len(calls) == 1 and set(calls[0][0]) == set(Committee.objects.values_list("pk", flat=True))


def test_street_totals_add_up_their_committees(world, households, persons, visit, registered_counter, today):
    period = Period(today - timedelta(days=30), today)
    rows = selectors.committee_balances(Committee.objects.select_related("street"), period)
    streets = dict(selectors.street_balances(rows, period))
    a = streets[world.street_a]
    assert a.committees == 2
    assert a.service.visits == 1
    assert a.admin == {"test.certificates": 20}
    assert a.households == 2


def test_monthly_balances_follow_the_year(world, households, today):
    period = Period.year(today.year)
    first = date(today.year, 1, 15)
    services.visit_record(
        actor=world.committee_user,
        household=households["A1"],
        visited_on=min(first, today),
        purpose="routine",
    )
    months = selectors.monthly_balances(Committee.objects.filter(pk=world.committee_a1.pk), period)
    assert [m.period.start.month for m in months] == list(range(1, 13))
    assert months[0].service.visits == 1
    assert sum(m.service.visits for m in months) == 1


def _committees_with_data(n: int, street) -> None:
    for _ in range(n):
        committee = CommitteeFactory(street=street)
        PersonFactory(household=HouseholdFactory(committee=committee))


def test_balance_queries_do_not_grow_with_committees(
    world, households, visit, registered_counter, today, django_assert_max_num_queries
):
    period = Period(today - timedelta(days=30), today)
    # committees, norms, registry counts, four service sources, one counter
    with django_assert_max_num_queries(8):
        selectors.committee_balances(Committee.objects.select_related("street"), period)
    _committees_with_data(12, world.street_b)
    with django_assert_max_num_queries(8):
        rows = selectors.committee_balances(Committee.objects.select_related("street"), period)
        selectors.street_balances(rows, period)
    assert len(rows) == 15
    with django_assert_max_num_queries(7 + 12):
        selectors.monthly_balances(Committee.objects.all(), Period.year(today.year))


def test_lists_are_scoped(world, households, visit, activity):
    assert list(selectors.visit_list(world.committee_user)) == [visit]
    assert list(selectors.visit_list(world.street_user)) == [visit]
    assert not selectors.visit_list(world.department_user).exists()
    other = CommitteeFactory(street=world.street_b)
    assert not selectors.activity_list(
        type(world.committee_user)(role="committee", committee=other, pk=0, username="x")
    ).exists()


def test_follow_up_summary_per_worker(world, visit, today):
    rows = selectors.follow_up_summary(world.street_user, today=today)
    assert rows == [
        {
            "committee__code": "A1",
            "committee__name": world.committee_a1.name,
            "visitor_id": world.committee_user.pk,
            "visitor__username": world.committee_user.username,
            "visitor__first_name": "",
            "open": 1,
            "overdue": 0,
        }
    ]
    assert selectors.follow_up_summary(world.street_user, today=today + timedelta(days=30))[0]["overdue"] == 1
