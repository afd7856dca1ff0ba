"""The registry's list totals are cached until the registry changes (community_admin/core/counting.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community_admin.residents.models import Person
from tests.factories import PersonFactory
from tests.residents.test_import import good_rows, run_import

LIST = reverse("residents:person-list")


@pytest.fixture
def counts_cached(settings):
    settings.COUNT_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def counted(client, url) -> tuple[int, bool]:
    """(the total the page or API gives, whether a COUNT query ran)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    ran = any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    if url.startswith("/api/"):
        return response.json()["count"], ran
    page = response.context["page"]
    return page.paginator.count, ran


@pytest.mark.parametrize("url", [LIST, LIST + "?page=1", "/api/v1/persons/"])
def test_a_total_is_counted_once_and_counted_again_after_a_write(
    world, login, counts_cached, django_capture_on_commit_callbacks, url
):
    PersonFactory.create_batch(3, household__committee=world.committee_a1)
    client = login(world.committee_user)
    assert counted(client, url) == (3, True)
    assert counted(client, url) == (3, False)  # the next page turn does not count again

    with django_capture_on_commit_callbacks(execute=True):
        PersonFactory(household__committee=world.committee_a1)
    assert counted(client, url) == (4, True)

    person = Person.objects.filter(committee=world.committee_a1).first()
    with django_capture_on_commit_callbacks(execute=True):
        person.status = Person.Status.MOVED_OUT
        person.save()
    assert counted(client, url) == (3, True)  # the active list lost one


def test_an_import_moves_the_generation_on(world, login, counts_cached, django_capture_on_commit_callbacks):
    client = login(world.committee_user)
    assert counted(client, LIST) == (0, True)
    with django_capture_on_commit_callbacks(execute=True):
        run_import(world, good_rows())  # bulk_create: no post_save
    assert counted(client, LIST) == (3, True)


def test_a_write_rolled_back_keeps_the_cached_total(world, login, counts_cached):
    PersonFactory(household__committee=world.committee_a1)
    client = login(world.committee_user)
    assert counted(client, LIST) == (1, True)
    PersonFactory(household__committee=world.committee_a1)  # its transaction never commits in this test
    assert counted(client, LIST) == (1, False)


def test_each_scope_and_filter_has_its_own_total(world, login, counts_cached):
    PersonFactory.create_batch(2, household__committee=world.committee_a1)
    PersonFactory(household__committee=world.committee_a2)
    PersonFactory(household__committee=world.committee_b1, name="王小明")
    assert counted(login(world.committee_user), LIST)[0] == 2
    assert counted(login(world.street_user), LIST)[0] == 3
    assert counted(login(world.bureau), LIST)[0] == 4
    assert counted(login(world.bureau), LIST + "?name=王")[0] == 1


def test_with_the_cache_off_every_page_counts(world, login, settings):
    settings.COUNT_CACHE_SECONDS = 0
    PersonFactory(household__committee=world.committee_a1)
    client = login(world.committee_user)
    assert counted(client, LIST) == (1, True)
    assert counted(client, LIST) == (1, True)
