"""Serial numbers under real concurrency: 20 threads issue at once on PostgreSQL (row locks; SQLite serialises
whole-database writes, so the test is PostgreSQL's)."""

import threading

import pytest
from django.db import close_old_connections, connection

from community_admin.certificates import services
from community_admin.certificates.models import Certificate, SealUse

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 20


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_twenty_threads_get_exactly_one_to_twenty(world, people, types):
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    person, ct, actor = people["A1"], types["residence"], world.committee_user

    def issue():
        try:
            barrier.wait(timeout=30)
            services.certificate_issue(actor=actor, person=person, certificate_type=ct)
        except BaseException as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    numbers = sorted(
        Certificate.objects.filter(committee=world.committee_a1).values_list("number", flat=True)
    )
    assert numbers == list(range(1, THREADS + 1))
    assert SealUse.objects.count() == THREADS
