"""No full ID number leaves the registry except through the audited reveal, not even inside another number (the
second-generation disability certificate is the holder's ID number followed by category and level); sensitive
tags only for the roles whose work needs them. Every page and API response of the registry is rendered as each
role and scanned (tests/leaks.py)."""

import pytest
from django.urls import reverse

from community_admin.accounts.models import Role, User
from community_admin.core import idnumbers
from community_admin.core.models import AuditLog
from community_admin.jobs import services as job_services
from community_admin.jobs.models import Job
from community_admin.residents.jobs import PERSON_EXPORT
from tests.factories import PersonFactory
from tests.leaks import assert_no_full_id, xlsx_text


@pytest.fixture
def people(world):
    """A disabled person on the low-income allowance in A1, A2 and B1, each certificate in the real format (the
    ID number, category 1, level 2), and a floating person in A1 whose residence permit is numbered by the ID."""
    people = [
        PersonFactory(household__committee=c, disability_level=2, minimum_allowance=True)
        for c in (world.committee_a1, world.committee_a2, world.committee_b1)
    ]
    for person in people:
        person.disability_certificate = f"{person.id_number}12"
        person.save(update_fields=["disability_certificate"])
    floating = PersonFactory(household__committee=world.committee_a1, status="floating")
    floating.residence_permit_number = floating.id_number
    floating.save(update_fields=["residence_permit_number"])
    return [*people, floating]


def registry_urls(people):
    person, household, floating = people[0], people[0].household, people[-1]
    return [
        reverse("residents:person-list"),
        reverse("residents:person-list") + "?status=registered&status=floating",
        reverse("residents:person-detail", args=[person.pk]),
        reverse("residents:person-detail", args=[floating.pk]),
        reverse("residents:person-edit", args=[person.pk]),
        reverse("residents:person-edit", args=[floating.pk]),
        reverse("residents:household-detail", args=[household.pk]),
        reverse("residents:person-register", args=[household.pk]),
        reverse("person-list"),
        reverse("person-list") + "?tag=disabled",
        reverse("person-detail", args=[person.pk]),
        reverse("person-detail", args=[floating.pk]),
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
        checked += 1
        assert_no_full_id(response.content.decode(), people, where=f"{url} as {role}")
    assert checked >= 5
    # the searches by full number are posted: the answers show it masked, never echoed
    number = people[0].id_number
    for url in (reverse("residents:person-list"), reverse("person-search")):
        response = client.post(url, {"id_number": number})
        if response.status_code == 200:
            assert_no_full_id(response.content.decode(), people, where=f"POST {url} as {role}")
    detail = client.get(reverse("residents:person-detail", args=[people[0].pk])).content.decode()
    assert people[0].id_number_masked in detail
    if role in (Role.BUREAU, Role.STREET, Role.COMMITTEE):  # the certificate is there, masked, suffix kept
        assert f"{people[0].id_number_masked}12" in detail


@pytest.mark.parametrize("role", [Role.BUREAU, Role.STREET, Role.COMMITTEE])
def test_exports_are_masked(world, login, people, role):
    response = login(world.user(role)).get(reverse("residents:person-export"))
    assert response.status_code == 200
    text = xlsx_text(b"".join(response.streaming_content))
    assert "残疾证号" in text, "the export has no disability column"
    assert_no_full_id(text, people, where=f"the export as {role}")
    assert f"{people[0].id_number_masked}12" in text


def test_the_background_export_is_masked(world, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = job_services.job_start(actor=world.bureau, kind=PERSON_EXPORT, params={})
    job = Job.objects.get(pk=started.job.pk)
    assert job.state == Job.State.DONE, job.error
    with job_services.job_result_open(job=job) as handle:
        text = xlsx_text(handle.read())
    assert_no_full_id(text, people, where="the background export")
    assert f"{people[0].id_number_masked}12" in text


def test_the_admin_shows_the_numbers_masked(world, people, client):
    client.force_login(User.objects.create_superuser("t-root", password="x" * 16))
    urls = [
        reverse("admin:residents_person_changelist"),
        *(reverse("admin:residents_person_change", args=[p.pk]) for p in (people[0], people[-1])),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert_no_full_id(response.content.decode(), people, where=url)
    page = client.get(urls[1]).content.decode()
    assert f"{people[0].id_number_masked}12" in page


def test_departments_do_not_see_disability_or_minimum_allowance(world, login, people):
    client = login(world.department_user)
    data = client.get(reverse("person-list")).json()["results"]
    assert data and all("disability_certificate" not in p and "minimum_allowance" not in p for p in data)
    page = client.get(reverse("residents:person-detail", args=[people[0].pk])).content.decode()
    assert people[0].disability_certificate_masked not in page and "低保" not in page
    assert client.get(reverse("person-list"), {"tag": "disabled"}).status_code == 400


def test_committee_staff_see_them_masked(world, login, people):
    data = login(world.committee_user).get(reverse("person-list")).json()["results"]
    first = next(p for p in data if p["id"] == people[0].pk)
    assert first["disability_certificate"] == f"{people[0].id_number_masked}12"
    assert first["minimum_allowance"] is True
    floating = next(p for p in data if p["id"] == people[-1].pk)
    assert floating["residence_permit_number"] == people[-1].id_number_masked


def test_the_reveal_is_the_one_way_to_the_full_number(world, login, people):
    client = login(world.committee_user)
    person = people[0]
    response = client.post(reverse("person-reveal-id", args=[person.pk]), {"reason": "办理居住证明"})
    assert response.json() == {
        "id_number": person.id_number,
        "disability_certificate": person.disability_certificate,
    }
    assert response["Cache-Control"] == "no-store"
    page = client.post(reverse("residents:person-reveal", args=[person.pk]), {"reason": "核对"})
    body = page.content.decode()
    assert person.id_number in body and person.disability_certificate in body
    assert page["Cache-Control"] == "no-store"
    rows = AuditLog.objects.filter(action="person.reveal_id", object_id=str(person.pk))
    assert rows.count() == 2
    assert all(r.details["fields"] == ["id_number", "disability_certificate"] for r in rows)
    assert login(world.department_user).post(reverse("person-reveal-id", args=[person.pk])).status_code == 403


def test_the_reveal_shows_the_residence_permit_too(world, login, people):
    floating = people[-1]
    response = login(world.committee_user).post(
        reverse("person-reveal-id", args=[floating.pk]), {"reason": "核对居住证"}
    )
    assert response.json() == {"id_number": floating.id_number, "residence_permit_number": floating.id_number}


def test_the_edit_page_keeps_a_masked_number_sent_back_unchanged(world, login, people):
    person = people[0]
    client = login(world.committee_user)
    form = client.get(reverse("residents:person-edit", args=[person.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data["phone"] = "13800000000"
    response = client.post(reverse("residents:person-edit", args=[person.pk]), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.disability_certificate == f"{person.id_number}12" and person.phone == "13800000000"
    details = AuditLog.objects.get(action="person.update").details
    assert set(details) == {"phone"}


def test_the_audit_row_of_a_change_masks_the_certificate(world, people):
    from community_admin.residents import services

    person = people[0]
    new = idnumbers.make("370202", person.birth_date, 7) + "21"
    services.person_update(actor=world.committee_user, person=person, changes={"disability_certificate": new})
    details = str(AuditLog.objects.get(action="person.update").details)
    assert_no_full_id(details, [person.id_number, new[:18]], where="the audit row")
