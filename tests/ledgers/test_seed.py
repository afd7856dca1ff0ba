from io import StringIO

import pytest
from django.utils import timezone

from community_admin.core.seeding import SeedContext
from community_admin.ledgers import periods, seed
from community_admin.ledgers.models import LedgerEntry
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seeded_entries_are_written_within_their_periods_and_never_later_than_today(world, books):
    UserFactory(role="committee", committee=world.committee_a2)
    for committee in (world.committee_a1, world.committee_a2):
        PersonFactory.create_batch(3, household__committee=committee)
    seed.run(SeedContext(scale="small", seed=5, stdout=StringIO(), stderr=StringIO(), password="x"))

    entries = list(LedgerEntry.objects.select_related("period__book"))
    assert entries
    now = timezone.now()
    for entry in entries:
        start = periods.start_of(entry.period.book.period, entry.period.key)
        written = timezone.localtime(entry.created_at).date()
        assert entry.created_at <= now
        if start is not None:
            assert written >= start, (entry.period.key, written)
    assert len({e.created_at.date() for e in entries}) > 1  # not all stamped at seeding time
