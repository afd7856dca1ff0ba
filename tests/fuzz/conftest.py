"""The fuzz world, built once per module inside a transaction that is rolled back when the module ends; each
test's own transaction (pytest-django's `db`) nests inside it as a savepoint, so what one fuzzed operation
writes is gone before the next."""

import pytest
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, transaction

from tests.fuzz.world import FuzzWorld, build_fuzz_world


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory) -> FuzzWorld:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        settings = None
        try:
            fuzz, settings = build_fuzz_world(tmp_path_factory.mktemp("fuzz-files"))
            yield fuzz
        finally:
            if settings is not None:
                settings.finalize()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def fuzz_db(fuzz_world, db) -> FuzzWorld:
    """The fuzz world inside this test's transaction; throttle counts start from nothing. Requests go to the
    WSGI application itself, so, as Django's test client does, the connection is not closed at the end of each
    request (on PostgreSQL that would end the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    cache.clear()
    try:
        yield fuzz_world
    finally:
        cache.clear()
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
