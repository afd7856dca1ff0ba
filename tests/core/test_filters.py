"""Every list's filter set is strict: a value it cannot read is a 400 naming the parameter, on the API and on
the page that uses it, never "no filter" (django-filter reads `?village_converted=42` as no filter).

The API's filter sets are found from the router (explicit `filterset_class`es and those the backend builds
from `filterset_fields`); the pages' from PAGE_LISTS; every FilterSet class in the project must be strict."""

import importlib
import json
import pkgutil
import re

import django_filters
import pytest
from django.urls import reverse
from rest_framework.settings import api_settings

import community_admin
from community_admin.accounts.filters import AccountFilter
from community_admin.certificates.filters import CertificateFilter
from community_admin.config.api_router import router
from community_admin.core.filters import StrictFilterSet
from community_admin.residents.filters import PersonFilter
from community_admin.staff.filters import WorkerFilter

# The page lists filtered by a FilterSet: the set, the page's URL name.
PAGE_LISTS = {
    PersonFilter: "residents:person-list",
    CertificateFilter: "certificates:list",
    WorkerFilter: "staff:worker-list",
    AccountFilter: "accounts:user-list",
}


def bad_value(declared) -> str | None:
    """A value the filter cannot read, or None when it reads anything (a text search)."""
    if isinstance(declared, django_filters.BooleanFilter):
        return "42"
    if isinstance(declared, django_filters.NumberFilter):
        return "abc"
    if isinstance(declared, django_filters.OrderingFilter):
        return "no_such_field"
    if isinstance(declared, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter):
        return "no-such-object"
    if isinstance(declared, django_filters.ChoiceFilter | django_filters.MultipleChoiceFilter):
        return "no-such-choice"
    if isinstance(declared, django_filters.DateFilter | django_filters.DateTimeFilter):
        return "not-a-date"
    return None


def _api_filtersets():
    """(route prefix, filter set class) for every list of the router that filters."""
    found = []
    for prefix, viewset, _basename in router.registry:
        view = viewset()
        view.action = "list"
        backends = getattr(viewset, "filter_backends", api_settings.DEFAULT_FILTER_BACKENDS)
        for backend in backends:
            if hasattr(backend, "get_filterset_class") and hasattr(viewset, "list"):
                filterset_class = backend().get_filterset_class(view, viewset.queryset)
                if filterset_class is not None:
                    found.append((prefix, filterset_class))
    return found


API_FILTERSETS = _api_filtersets()
API_CASES = [
    pytest.param(prefix, name, value, id=f"{prefix}?{name}")
    for prefix, filterset_class in API_FILTERSETS
    for name, declared in filterset_class.base_filters.items()
    if (value := bad_value(declared)) is not None
]
PAGE_CASES = [
    pytest.param(url_name, name, value, id=f"{url_name}?{name}")
    for filterset_class, url_name in PAGE_LISTS.items()
    for name, declared in filterset_class.base_filters.items()
    if (value := bad_value(declared)) is not None
]


def _project_filtersets() -> set[type]:
    for module in pkgutil.walk_packages(community_admin.__path__, "community_admin."):
        if ".migrations" not in module.name and not module.name.endswith(("celery", "wsgi")):
            importlib.import_module(module.name)
    found, todo = set(), [django_filters.FilterSet]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("community_admin."):
                found.add(sub)
    return found


def test_every_filter_set_of_the_project_is_strict():
    filtersets = _project_filtersets()
    assert PersonFilter in filtersets and len(filtersets) >= 4  # the walk found them
    assert {f.__qualname__ for f in filtersets if not issubclass(f, StrictFilterSet)} == set()
    assert all(issubclass(f, StrictFilterSet) for _, f in API_FILTERSETS)


def test_the_walk_covers_the_lists_that_were_lenient():
    ids = {p.id for p in API_CASES}
    assert {
        "committees?village_converted",
        "ledger-periods?closed",
        "jobs?mine",
        "visits?open_follow_up",
    } <= ids


@pytest.mark.parametrize(("prefix", "name", "value"), API_CASES)
def test_a_bad_filter_value_on_the_api_is_a_400_naming_it(world, login, prefix, name, value):
    response = login(world.bureau).get(f"/api/v1/{prefix}/", {name: value})
    assert response.status_code == 400, (response.status_code, response.content[:300])
    assert name in json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.parametrize(("url_name", "name", "value"), PAGE_CASES)
def test_a_bad_filter_value_on_a_page_shows_the_forms_error(world, login, url_name, name, value):
    response = login(world.bureau).get(reverse(url_name), {name: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert f'name="{name}"' in body and 'aria-invalid="true"' in body


def test_a_good_boolean_still_filters(world, login):
    from tests.factories import CommitteeFactory

    CommitteeFactory(
        street=world.street_a, code="A9", village_converted=True, village_converted_on="2020-01-01"
    )
    client = login(world.bureau)
    codes = [
        c["code"] for c in client.get("/api/v1/committees/", {"village_converted": "true"}).json()["results"]
    ]
    assert codes == ["A9"]


# The page lists filtered by a form of their own: a value it cannot read is the form's error (400), no rows.
PAGE_FORM_CASES = [
    ("accounts:audit-list", "date_from", "not-a-date"),
    ("tasks:item-list", "status", "no-such-choice"),
    ("tasks:inbox", "status", "no-such-choice"),
    ("staff:worker-list", "post", "no-such-choice"),
    ("certificates:seal-log", "date_from", "not-a-date"),
]


@pytest.mark.parametrize(("url_name", "name", "value"), PAGE_FORM_CASES)
def test_a_bad_filter_value_on_a_form_filtered_page_shows_the_forms_error(
    world, login, url_name, name, value
):
    response = login(world.bureau).get(reverse(url_name), {name: value})
    assert response.status_code == 400
    body = response.content.decode()
    assert re.search(rf'<(?:input|select)\b[^>]*name="{name}"[^>]*aria-invalid="true"', body) or re.search(
        rf'<(?:input|select)\b[^>]*aria-invalid="true"[^>]*name="{name}"', body
    )
    assert response.context["page"].paginator.count == 0


def test_the_schema_documents_every_filter_of_every_list():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    missing = []
    for prefix, filterset_class in API_FILTERSETS:
        documented = {p["name"] for p in paths[f"/api/v1/{prefix}/"]["get"].get("parameters", [])}
        missing += [f"{prefix}?{name}" for name in filterset_class.base_filters if name not in documented]
    assert missing == []
