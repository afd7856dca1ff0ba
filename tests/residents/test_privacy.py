"""No full ID number leaves the registry except through the audited reveal; sensitive tags only for the roles
whose work needs them. Every page and API response of the registry is rendered as each role."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from community_admin.accounts.models import Role
from tests.factories import PersonFactory

DISABILITY = "DISAB1234567"


@pytest.fixture
def people(world):
    people = [
        PersonFactory(
            household__committee=c,
            disability_certificate=DISABILITY,
            disability_level=2,
            minimum_allowance=True,
        )
        for c in (world.committee_a1, world.committee_a2, world.committee_b1)
    ]
    return people


def registry_urls(people):
    person, household = people[0], people[0].household
    return [
        reverse("residents:person-list"),
        reverse("residents:person-list") + f"?id_number={person.id_number}",
        reverse("residents:person-list") + "?status=registered&status=floating",
        reverse("residents:person-detail", args=[person.pk]),
        reverse("residents:person-edit", args=[person.pk]),
        reverse("residents:household-detail", args=[household.pk]),
        reverse("residents:person-register", args=[household.pk]),
        reverse("person-list"),
        reverse("person-list") + f"?id_number={person.id_number}",
        reverse("person-detail", args=[person.pk]),
        reverse("household-list"),
        reverse("household-detail", args=[household.pk]),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_no_page_or_api_response_shows_a_full_id_number(world, login, people, role):
    client = login(world.user(role))
    checked = 0
    for url in registry_urls(people):
        response = client.get(url)
        if response.status_code != 200:
            continue
        body = response.content.decode()
        checked += 1
        for person in people:
            assert person.id_number not in body, f"{url} as {role} shows a full ID number"
    assert checked >= 5
    detail = client.get(reverse("residents:person-detail", args=[people[0].pk])).content.decode()
    assert people[0].id_number_masked in detail


@pytest.mark.parametrize("role", [Role.BUREAU, Role.STREET, Role.COMMITTEE])
def test_exports_are_masked(world, login, people, role):
    response = login(world.user(role)).get(reverse("residents:person-export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert cells, "the export is empty"
    for person in people:
        assert person.id_number not in cells
    assert any("********" in c for c in cells)


def test_departments_do_not_see_disability_or_minimum_allowance(world, login, people):
    client = login(world.department_user)
    data = client.get(reverse("person-list")).json()["results"]
    assert data and all("disability_certificate" not in p and "minimum_allowance" not in p for p in data)
    page = client.get(reverse("residents:person-detail", args=[people[0].pk])).content.decode()
    assert DISABILITY not in page and "低保" not in page
    assert client.get(reverse("person-list"), {"tag": "disabled"}).status_code == 400


def test_committee_staff_see_them(world, login, people):
    data = login(world.committee_user).get(reverse("person-list")).json()["results"]
    assert data[0]["disability_certificate"] == DISABILITY and data[0]["minimum_allowance"] is True


def test_the_reveal_is_the_one_way_to_the_full_number(world, login, people):
    from community_admin.core.models import AuditLog

    client = login(world.committee_user)
    person = people[0]
    response = client.post(reverse("person-reveal-id", args=[person.pk]), {"reason": "办理居住证明"})
    assert response.json() == {"id_number": person.id_number}
    assert response["Cache-Control"] == "no-store"
    page = client.post(reverse("residents:person-reveal", args=[person.pk]), {"reason": "核对"})
    assert person.id_number in page.content.decode()
    assert AuditLog.objects.filter(action="person.reveal_id", object_id=str(person.pk)).count() == 2
    assert login(world.department_user).post(reverse("person-reveal-id", args=[person.pk])).status_code == 403
