from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community_admin.accounts.models import User
from community_admin.org.models import Committee
from tests.factories import CommitteeFactory, PersonFactory, ServiceCentreFactory


@pytest.fixture
def demo(db):
    call_command("seed_district", scale="small", stdout=StringIO(), stderr=StringIO())
    return User.objects.get(username="bureau")


def test_the_district_figures_reproduce_the_report(demo, login):
    data = login(demo).get(reverse("dashboard-district")).json()
    assert data["streets"] == 11 and data["committees"] == 151
    assert data["committees_by_kind"] == {"residential": 127, "unit": 23, "mixed": 1}
    assert data["village_converted"] == 8
    assert data["service_centres"] == {
        "street": 8,
        "committee": 60,
        "over_1000m2": 24,
        "over_500m2": 35,
        "boutique": 26,
        "demonstration": 19,
    }
    # Small scale keeps a few households per committee: the registry's counts where the street has marked the
    # registry complete (most committees), the recorded figures where it has not (a few, still entering).
    unmarked = Committee.objects.filter(registry_complete_at__isnull=True)
    assert data["household_sources"] == {"registry": 151 - unmarked.count(), "recorded": unmarked.count()}
    assert 0 < unmarked.count() < 151 // 5
    recorded = unmarked.aggregate(h=Sum("recorded_households"))["h"]
    assert data["households"] == (151 - unmarked.count()) * 5 + recorded
    assert sum(s["residential"] + s["unit"] + s["mixed"] for s in data["by_street"]) == 151
    assert data["workers"] == {
        "total": 799,
        "members": 455,
        "social_workers": 349,
        "both": 5,
        "college_or_above": 541,
        "seconded": 51,
    }
    assert data["resignations_last_year"] >= 30
    assert data["secondments"]["active"] == 51
    assert data["service_items"]["total"] > 80
    assert data["certificate_types"] == {"A": 2, "B": 6, "C": 15}
    assert data["ledger"]["categories"] == 15 and data["ledger"]["books"] >= 40
    assert data["ledger"]["derived_books"] + data["ledger"]["manual_books"] == data["ledger"]["books"]
    assert data["ledger"]["entries"] > 0
    certificates = data["certificates"]
    assert certificates["issued"]["A"] > 0 and certificates["refused"]["C"] > 0
    assert certificates["issued"]["C"] == 0  # tier C is never issued
    assert sum(s["certificates_issued"] for s in data["by_street"]) == sum(certificates["issued"].values())
    assert data["evaluations"]["evaluated"] > 0
    services = data["services"]
    assert services["visits"] > 0 and services["activities"] > 0
    assert set(services["admin"]) >= {"tasks.assignments", "certificates.issued", "ledgers.entries"}
    assert services["service_share"] is not None
    assert float(data["funding"]["total"]) > 0 and data["funding"]["flags"]["shortfall"] > 0


def test_changing_the_data_changes_the_figures(world, login):
    client = login(world.bureau)
    before = client.get(reverse("dashboard-district")).json()
    CommitteeFactory(
        street=world.street_b, kind="unit", village_converted=True, village_converted_on="2011-11-18"
    )
    PersonFactory(household__committee=world.committee_a1, status="floating")
    after = client.get(reverse("dashboard-district")).json()
    assert after["committees"] == before["committees"] + 1
    assert after["committees_by_kind"]["unit"] == before["committees_by_kind"]["unit"] + 1
    assert after["village_converted"] == before["village_converted"] + 1
    assert after["floating_population"] != before["floating_population"]


def test_the_query_count_does_not_grow_with_the_committees(world, login):
    client = login(world.bureau)
    client.get(reverse("dashboard-district"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("dashboard-district")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(30):
        committee = CommitteeFactory(street=world.street_b)
        PersonFactory(household__committee=committee)
        ServiceCentreFactory(committee=committee)
    # about 44: each section's few grouped queries (the services' balance and its load counters included)
    assert count() == few <= 50


def test_a_street_dashboard_is_that_street_only(world, login):
    data = login(world.street_user).get(reverse("dashboard-street", args=[world.street_a.pk])).json()
    assert data["committees"] == 2 and data["streets"] == 1
    assert (
        login(world.street_user).get(reverse("dashboard-street", args=[world.street_b.pk])).status_code == 404
    )


def test_the_dashboard_page_embeds_its_figures_and_the_vendored_charts(world, login):
    body = login(world.bureau).get(reverse("dashboards:district")).content.decode()
    assert 'id="dashboard-figures"' in body and "vendor/echarts/echarts.min.js" in body


def test_the_activity_sections_follow_the_data(world, login):
    from community_admin.certificates import services as certificate_services
    from community_admin.certificates.models import CertificateType
    from community_admin.community_services import services as service_services
    from tests.factories import ensure_certificate_whitelist

    ensure_certificate_whitelist()
    client = login(world.bureau)
    before = client.get(reverse("dashboard-district")).json()
    person = PersonFactory(household__committee=world.committee_a1)
    certificate_services.certificate_issue(
        actor=world.committee_user,
        person=person,
        certificate_type=CertificateType.objects.get(code="residence"),
    )
    certificate_services.certificate_issue(
        actor=world.committee_user,
        person=person,
        certificate_type=CertificateType.objects.get(code="only-home"),
    )
    service_services.visit_record(
        actor=world.committee_user,
        household=person.household,
        visited_on=timezone.localdate(),
        purpose="elderly",
        needs="独居老人",
    )
    after = client.get(reverse("dashboard-district")).json()
    assert after["certificates"]["issued"]["A"] == before["certificates"]["issued"]["A"] + 1
    assert after["certificates"]["refused"]["C"] == before["certificates"]["refused"]["C"] + 1
    assert after["services"]["visits"] == before["services"]["visits"] + 1
    assert after["services"]["admin"]["certificates.issued"] == 1
    street_a = next(s for s in after["by_street"] if s["id"] == world.street_a.pk)
    assert street_a["certificates_issued"] == 1 and street_a["certificates_refused"] == 1
