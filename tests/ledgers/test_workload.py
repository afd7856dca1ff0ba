from datetime import timedelta

import pytest
from django.utils import timezone

from community_admin.core import workload
from community_admin.ledgers import services

pytestmark = pytest.mark.django_db

DISPUTE = {"found_on": "2025-01-02", "parties": "王某与李某", "kind": "邻里纠纷", "result": "调解成功"}


def test_entries_written_into_manual_books_count_as_load(world, books):
    for committee in (world.committee_a1, world.committee_a1, world.committee_b1):
        services.entry_create(
            actor=world.bureau, book=books["zz_disputes"], committee=committee, data=DISPUTE
        )
    today = timezone.localdate()
    ids = [world.committee_a1.pk, world.committee_a2.pk, world.committee_b1.pk]

    assert workload.counts(ids, today, today)["ledgers.entries"] == {
        world.committee_a1.pk: 2,
        world.committee_b1.pk: 1,
    }
    assert workload.counts(ids, today - timedelta(days=2), today - timedelta(days=1))["ledgers.entries"] == {}
    assert workload.counts([world.committee_a2.pk], today, today)["ledgers.entries"] == {}
