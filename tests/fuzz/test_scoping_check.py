"""The scoping check used under fuzzing can fail: given a response that leaks another committee's people (a
selector planted to answer every row), it names what leaked; given the real, scoped response, nothing."""

import pytest
from django.test import Client

from community_admin.accounts.models import Role
from community_admin.core.xlsx import XLSX
from community_admin.residents import selectors as resident_selectors
from community_admin.residents.models import Household, Person
from tests.fuzz.scoping import scope_problems
from tests.fuzz.world import PLANTED

pytestmark = pytest.mark.fuzz


def _get(fuzz, role, path):
    client = Client()
    if role == Role.DEPARTMENT:
        response = client.get(path, HTTP_AUTHORIZATION=f"Token {fuzz.token_key}")
    else:
        client.force_login(fuzz.world.user(role))
        response = client.get(path)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.STREET, Role.DEPARTMENT])
@pytest.mark.parametrize("path", ["/api/v1/persons/", "/api/v1/households/"])
def test_scoped_responses_pass(fuzz_db, role, path):
    response = _get(fuzz_db, role, path)
    template = path
    assert scope_problems(fuzz_db, role, "GET", template, response.content, response["Content-Type"]) == []


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.STREET, Role.DEPARTMENT])
def test_unscoped_person_list_is_caught(fuzz_db, role, monkeypatch):
    monkeypatch.setattr(
        resident_selectors,
        "person_list",
        lambda user: Person.objects.select_related("household", "committee").order_by("id"),
    )
    response = _get(fuzz_db, role, "/api/v1/persons/")
    problems = scope_problems(
        fuzz_db, role, "GET", "/api/v1/persons/", response.content, response["Content-Type"]
    )
    leaked = "\n".join(problems)
    assert "out-of-scope committee 'B1'" in leaked  # the committee field
    assert f"{PLANTED}居民B1" in leaked  # the planted name
    b1 = Person.objects.get(name=f"{PLANTED}居民B1")
    assert b1.id_number not in response.content.decode()  # masked in the list: found by name and id instead
    assert f"person {b1.pk}" in leaked
    assert f"household = {b1.household_id}" in leaked
    if role == Role.COMMITTEE:
        assert f"{PLANTED}居民A2" in leaked
    else:
        assert f"{PLANTED}居民A2" not in leaked  # A2 is in street A: seen by the street and the police


def test_unscoped_household_detail_is_caught(fuzz_db, monkeypatch):
    monkeypatch.setattr(
        resident_selectors, "household_list", lambda user: Household.objects.select_related("committee")
    )
    a2 = Household.objects.get(committee=fuzz_db.world.committee_a2)
    response = _get(fuzz_db, Role.COMMITTEE, f"/api/v1/households/{a2.pk}/")
    problems = scope_problems(
        fuzz_db, Role.COMMITTEE, "GET", "/api/v1/households/{id}/", response.content, response["Content-Type"]
    )
    assert any("household" in p and str(a2.pk) in p for p in problems)
    assert any(a2.number in p for p in problems)


def test_spreadsheet_bodies_are_searched(fuzz_db):
    """An export leaking a planted name is caught inside the xlsx (its XML parts)."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["姓名", f"{PLANTED}居民B1"])
    out = io.BytesIO()
    workbook.save(out)
    problems = scope_problems(
        fuzz_db,
        Role.STREET,
        "GET",
        "/api/v1/jobs/{id}/download/",
        out.getvalue(),
        XLSX,
    )
    assert problems and f"{PLANTED}居民B1" in problems[0]
