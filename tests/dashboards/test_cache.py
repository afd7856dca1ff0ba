"""The dashboards' figures are cached for DASHBOARD_CACHE_SECONDS, per exact scope (committees and streets)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.factories import PersonFactory, mark_registry_complete


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def registered(world):
    """A household in each committee, each registry marked complete: the figures then come from the registry,
    not the recorded ones."""
    committees = (world.committee_a1, world.committee_a2, world.committee_b1)
    for committee in committees:
        PersonFactory(household__committee=committee)
    mark_registry_complete(*committees, by=world.street_user)


def households(response) -> int:
    assert response.status_code == 200
    return response.json()["households"]


def test_a_cached_dashboard_is_served_without_recomputing_until_the_cache_expires(
    world, registered, login, cached, django_assert_max_num_queries
):
    client = login(world.bureau)
    url = reverse("dashboard-district")
    assert households(client.get(url)) == 3
    PersonFactory(household__committee=world.committee_a1)
    with django_assert_max_num_queries(8):  # session and permission look-ups, the scope's ids; no figures
        assert households(client.get(url)) == 3
    cache.clear()  # as when the entry expires
    assert households(client.get(url)) == 4


def test_each_scope_has_its_own_entry(world, registered, login, cached):
    PersonFactory(household__committee=world.committee_b1)
    bureau = login(world.bureau)
    assert households(bureau.get(reverse("dashboard-district"))) == 4
    assert households(bureau.get(reverse("dashboard-street", args=[world.street_a.pk]))) == 2
    assert households(bureau.get(reverse("dashboard-street", args=[world.street_b.pk]))) == 2
    street_clerk = login(world.street_user)  # street A's clerk, through the page: street A's figures
    page = street_clerk.get(reverse("dashboards:street-dashboard", args=[world.street_a.pk]))
    assert page.status_code == 200 and page.context["figures"]["households"] == 2


def test_zero_seconds_computes_every_time(world, registered, login, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    client = login(world.bureau)
    url = reverse("dashboard-district")
    assert households(client.get(url)) == 3
    PersonFactory(household__committee=world.committee_a1)
    assert households(client.get(url)) == 4


def test_a_stale_copy_is_recomputed_by_one_request_while_the_others_get_the_stale_copy(
    world, registered, login, cached, monkeypatch
):
    import time

    from community_admin.dashboards import selectors

    client = login(world.bureau)
    url = reverse("dashboard-district")
    assert households(client.get(url)) == 3
    PersonFactory(household__committee=world.committee_a1)
    later = time.time() + 61
    monkeypatch.setattr(selectors.time, "time", lambda: later)  # the copy is now stale

    # Another request holds the recomputation: this one is answered at once with the stale copy.
    from community_admin.org.models import Committee, Street

    lock = selectors.cache_key(Committee.objects.all(), Street.objects.all()) + ":refreshing"
    assert cache.add(lock, True, 60)
    assert households(client.get(url)) == 3
    cache.delete(lock)

    # With nobody recomputing, this request recomputes, and frees the lock behind it.
    assert households(client.get(url)) == 4
    assert cache.add(lock, True, 60)


def test_the_scheduler_refreshes_every_scope_before_a_request_needs_it(
    world, registered, login, cached, django_assert_max_num_queries
):
    from community_admin.dashboards import tasks

    tasks.refresh.delay()  # eager in tests, as the beat scheduler's worker would run it
    PersonFactory(household__committee=world.committee_a1)  # after the refresh: not in the cached copies
    bureau = login(world.bureau)
    with django_assert_max_num_queries(8):  # session, permissions and the scope's ids: the figures are cached
        assert households(bureau.get(reverse("dashboard-district"))) == 3
    with django_assert_max_num_queries(10):
        assert households(bureau.get(reverse("dashboard-street", args=[world.street_a.pk]))) == 2
        assert households(bureau.get(reverse("dashboard-street", args=[world.street_b.pk]))) == 1
    street_clerk = login(world.street_user)  # the clerk's scope is the same street's: the same cached copy
    with django_assert_max_num_queries(10):
        assert households(street_clerk.get(reverse("dashboard-street", args=[world.street_a.pk]))) == 2

    from community_admin.dashboards import selectors

    assert selectors.refresh_cached_figures() == 3  # the district and its two streets
    assert households(bureau.get(reverse("dashboard-district"))) == 4


def test_the_refresh_is_scheduled_only_while_the_figures_are_cached(world, settings):
    from community_admin.dashboards import selectors

    assert "dashboards.refresh" in {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    settings.DASHBOARD_CACHE_SECONDS = 0
    assert selectors.refresh_cached_figures() == 0
