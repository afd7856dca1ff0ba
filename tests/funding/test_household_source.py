"""Funding takes the registry's households only once the street office has marked a committee's registry
complete (issue 16, item 5); until then the recorded figures, however far data entry has got. Stored
allocations keep the source they were computed from; every funding page says which source it used."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from community_admin.funding import selectors, services
from community_admin.funding.models import Allocation, AllocationRun
from community_admin.org import services as org_services
from tests.factories import HouseholdFactory, PersonFactory
from tests.funding.factories import report_policy

RECORDED_TEXT = "户数来源：在册数（人口登记尚未确认完整）"


def _halfway(committee, households: int = 3) -> None:
    """Data entry has started: a few households of the committee's 1,500 are in the registry."""
    for _ in range(households):
        PersonFactory(household=HouseholdFactory(committee=committee))


def _run(world) -> AllocationRun:
    year = timezone.localdate().year
    if not selectors.adopted_policy(year):
        report_policy(world.bureau, year)
    return services.allocation_run(actor=world.bureau, year=year)


def _allocation(run, committee) -> Allocation:
    return Allocation.objects.get(run=run, committee=committee)


def test_a_committee_halfway_through_entry_keeps_its_recorded_households_and_money(world):
    _halfway(world.committee_a1)
    a1 = _allocation(_run(world), world.committee_a1)
    assert (a1.households, a1.household_source) == (1500, "recorded")
    assert a1.amount == Decimal("15500.00")  # 10,000 + 500 × 11, not 10,000 for 3 households
    assert a1.get_household_source_display() == "在册数"


def test_once_marked_the_run_takes_the_registry(world):
    _halfway(world.committee_a1)
    org_services.committee_registry_complete(actor=world.street_user, committee=world.committee_a1)
    run = _run(world)
    a1 = _allocation(run, world.committee_a1)
    assert (a1.households, a1.household_source, a1.amount) == (3, "registry", Decimal("10000.00"))
    assert _allocation(run, world.committee_a2).household_source == "recorded"
    figures = selectors.funding_figures(run.year, world.street_a.committees.all())
    assert figures["sources"] == {"registry": 1, "recorded": 1}


def test_a_stored_allocation_keeps_its_source_when_the_mark_changes(world):
    _halfway(world.committee_a1)
    org_services.committee_registry_complete(actor=world.street_user, committee=world.committee_a1)
    run = _run(world)
    org_services.committee_registry_incomplete(actor=world.street_user, committee=world.committee_a1)
    a1 = _allocation(run, world.committee_a1)
    assert (a1.households, a1.household_source) == (3, "registry")
    assert selectors.current_sources() == {
        "registry": 0,
        "recorded": 3,
        "text": RECORDED_TEXT,
    }


def test_the_comparison_takes_the_mark_too(world):
    _halfway(world.committee_a1)
    year = timezone.localdate().year
    a = report_policy(world.bureau, year)
    b = report_policy(world.bureau, year, adopt=False, per_household_beyond=Decimal("15"))
    rows = {r.committee.code: r for r in selectors.policy_compare(world.bureau, policy_a=a, policy_b=b).rows}
    assert (rows["A1"].households, rows["A1"].source_label) == (1500, "在册数")
    org_services.committee_registry_complete(actor=world.bureau, committee=world.committee_a1)
    comparison = selectors.policy_compare(world.bureau, policy_a=a, policy_b=b)
    rows = {r.committee.code: r for r in comparison.rows}
    assert (rows["A1"].households, rows["A1"].source_label) == (3, "人口登记")
    assert comparison.source_text.startswith("户数来源：1 个社区按人口登记")


def test_the_funding_pages_say_which_source_they_used(world, login):
    _halfway(world.committee_a1)
    org_services.committee_registry_complete(actor=world.street_user, committee=world.committee_a1)
    run = _run(world)
    client = login(world.bureau)
    mixed = "户数来源：1 个社区按人口登记（已确认完整），2 个社区按在册数（人口登记尚未确认完整）"
    runs = client.get(reverse("funding:run-list")).content.decode()
    assert mixed in runs and "人口登记 1 · 在册数 2" in runs
    detail = client.get(reverse("funding:run-detail", args=[run.pk])).content.decode()
    assert mixed in detail and "<td>人口登记</td>" in detail and "<td>在册数</td>" in detail
    assert ">registry<" not in detail and ">recorded<" not in detail  # labels, never the stored codes
    audit = client.get(reverse("funding:audit")).content.decode()
    assert mixed in audit
    a, b = run.policy, report_policy(world.bureau, run.year, adopt=False, per_household_beyond=Decimal("15"))
    compare = client.get(reverse("funding:compare"), {"a": a.pk, "b": b.pk}).content.decode()
    assert mixed in compare
    dashboard = client.get(reverse("dashboards:district")).content.decode()
    assert "户数来源：人口登记 1 个社区，在册数 2 个" in dashboard


def test_a_street_sees_its_own_committees_sources(world, login):
    _halfway(world.committee_a1)
    org_services.committee_registry_complete(actor=world.street_user, committee=world.committee_a1)
    run = _run(world)
    page = login(world.street_user).get(reverse("funding:run-detail", args=[run.pk])).content.decode()
    assert "户数来源：1 个社区按人口登记（已确认完整），1 个社区按在册数" in page


def test_the_api_gives_the_source_and_its_label(world, login):
    run = _run(world)
    rows = login(world.bureau).get("/api/v1/funding/allocations/", {"page_size": 10}).json()["results"]
    assert {(r["household_source"], r["household_source_display"]) for r in rows} == {("recorded", "在册数")}
    assert len(rows) == run.committees
