from decimal import Decimal

from django.utils import timezone

from community_admin.funding import selectors
from community_admin.org.models import Committee
from tests.factories import CommitteeFactory
from tests.funding.factories import funding_objects, report_policy


def test_funding_figures_reconcile_to_the_run(world):
    objects = funding_objects(world)
    figures = selectors.funding_figures(objects.run.year, Committee.objects.all())
    assert figures["total"] == objects.run.total
    assert figures["per_household"] == objects.run.per_household
    street_a = selectors.funding_figures(objects.run.year, Committee.objects.filter(street=world.street_a))
    assert street_a["total"] == objects.allocations["a1"].amount + objects.allocations["a2"].amount
    assert selectors.funding_figures(1999, Committee.objects.all()) == {
        "year": 1999,
        "total": Decimal("0.00"),
        "per_household": Decimal("0.00"),
        "sources": {"registry": 0, "recorded": 0},
        "source_text": None,  # no run: nothing to say where its households came from
    }


def test_figures_and_flag_counts_have_bounded_queries(world, django_assert_max_num_queries):
    objects = funding_objects(world)
    for i in range(20):
        CommitteeFactory(street=world.street_b, code=f"X{i}", name=f"新增{i}社区居委会")
    year = objects.run.year
    with django_assert_max_num_queries(1):
        selectors.funding_figures(year, Committee.objects.all())
    with django_assert_max_num_queries(7):
        counts = selectors.flag_counts(year, Committee.objects.all())
    short = [a for a in objects.run.allocations.all() if a.amount < Decimal("24500")]
    assert counts["shortfall"] == 20 + len(short)  # the 20 new committees have no allocation at all
    assert counts["delayed"] == 3  # sent 40 days ago, never passed on (limit 30)


def test_compare_counts_gainers_and_losers_and_scopes(world):
    objects = funding_objects(world)
    comparison = selectors.policy_compare(world.bureau, policy_a=objects.policy, policy_b=objects.proposal)
    # 15 instead of 11 a household beyond the first 1,000: 4 more for each of those.
    beyond = [max(0, r.households - 1000) for r in comparison.rows]
    assert (comparison.gainers, comparison.losers) == (sum(1 for b in beyond if b), 0)
    assert comparison.total_b - comparison.total_a == Decimal(4 * sum(beyond))
    assert comparison.total_a == objects.run.total
    street = selectors.policy_compare(world.street_user, policy_a=objects.policy, policy_b=objects.proposal)
    assert {r.committee.code for r in street.rows} == {"A1", "A2"}


def test_shortfall_against_the_reports_typical_cost(world):
    objects = funding_objects(world)
    rows = {b.committee.code: b for b in selectors.budgets(objects.run.year, Committee.objects.all())}
    assert rows["A2"].typical == Decimal("24500.00")
    a2 = objects.allocations["a2"].amount  # 2,400 households: 25,400.00, no shortfall
    assert (a2, rows["A2"].shortfall) == (Decimal("25400.00"), Decimal("0.00"))
    b1 = objects.allocations["b1"].amount
    assert b1 < Decimal("24500.00")
    assert rows["B1"].shortfall == Decimal("24500.00") - b1  # the report's point: the allocation falls short
    assert rows["A2"].by_category["phone"][2] == Decimal("120.50")


def test_village_pool_split_over_the_district(world):
    for code in ("A1", "A2", "B1"):
        Committee.objects.filter(code=code).update(
            village_converted=True, village_converted_on=timezone.localdate().replace(year=2012)
        )
    policy = report_policy(world.bureau, 2030, village_converted_pool=Decimal("100000"))
    comparison = selectors.policy_compare(world.committee_user, policy_a=policy, policy_b=policy)
    assert [r.a.village_extra for r in comparison.rows] == [Decimal("33333.34")]  # A1 gets the leftover cent
