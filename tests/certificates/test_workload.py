from datetime import timedelta

import pytest
from django.utils import timezone

from community_admin.certificates import services
from community_admin.certificates.workload import HOURS_PER_CERTIFICATE, HOURS_PER_REFUSAL
from community_admin.community_services import selectors as service_selectors
from community_admin.community_services.balance import Period
from community_admin.core import workload

pytestmark = pytest.mark.django_db


def test_certificates_issued_and_requests_refused_count_as_load(world, people, types):
    for _ in range(2):
        services.certificate_issue(
            actor=world.committee_user, person=people["A1"], certificate_type=types["residence"]
        )
    services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["only-home"]
    )
    today = timezone.localdate()
    ids = [world.committee_a1.pk, world.committee_a2.pk]

    counts = workload.counts(ids, today, today)
    assert counts["certificates.issued"] == {world.committee_a1.pk: 2}
    assert counts["certificates.refused"] == {world.committee_a1.pk: 1}
    tomorrow = today + timedelta(days=1)
    assert workload.counts(ids, tomorrow, tomorrow)["certificates.issued"] == {}

    period = Period.year(today.year)
    balance = dict(service_selectors.committee_balances(world.street_a.committees.all(), period))[
        world.committee_a1
    ]
    assert balance.admin_hours >= 2 * HOURS_PER_CERTIFICATE + HOURS_PER_REFUSAL
