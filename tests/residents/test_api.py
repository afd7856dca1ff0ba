from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from community_admin.accounts import services as account_services
from community_admin.core import idnumbers
from community_admin.core.models import AuditLog
from community_admin.residents import services
from community_admin.residents.models import Person, RegistrationConflict
from tests.factories import DepartmentFactory, HouseholdFactory, PersonFactory


def names(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {p["name"] for p in response.json()["results"]}


@pytest.fixture
def village(world):
    h1 = HouseholdFactory(committee=world.committee_a1, building="3号楼", unit="2", room="501")
    h2 = HouseholdFactory(committee=world.committee_a1, building="5号楼", unit="", room="101")
    today = timezone.localdate()
    return {
        "old": PersonFactory(
            household=h1,
            name="张老汉",
            id_number=idnumbers.make("370202", date(today.year - 85, 1, 1), 11),
            party_member=True,
        ),
        "kid": PersonFactory(
            household=h1,
            name="张小",
            id_number=idnumbers.make("370202", date(today.year - 8, 1, 1), 12),
            relationship="child",
        ),
        "vet": PersonFactory(
            household=h2,
            name="李兵",
            id_number=idnumbers.make("370202", date(today.year - 45, 6, 1), 13),
            veteran=True,
        ),
        "gone": PersonFactory(household=h2, name="王走", status="moved_out"),
        "float": PersonFactory(household=h2, name="刘流", status="floating"),
        "other": PersonFactory(household__committee=world.committee_b1, name="张外"),
    }


def test_search_by_name_address_tag_status_age_and_household(world, login, village):
    client = login(world.street_user)
    url = reverse("person-list")
    assert names(client.get(url, {"name": "张"})) == {"张老汉", "张小"}
    assert names(client.get(url, {"address": "3号楼 501"})) == {"张老汉", "张小"}
    assert names(client.get(url, {"tag": "veteran"})) == {"李兵"}
    assert names(client.get(url, {"status": "moved_out"})) == {"王走"}
    assert "王走" not in names(client.get(url))  # the list is current residents by default
    assert names(client.get(url, {"age_min": 80})) == {"张老汉"}
    assert names(client.get(url, {"age_max": 10})) == {"张小"}
    assert names(client.get(url, {"household": village["vet"].household_id})) == {"李兵", "刘流"}
    exact = idnumbers.normalise(village["vet"].id_number.lower())
    found = client.post(reverse("person-search"), {"id_number": f" {exact} "})
    assert found.status_code == 200 and [p["name"] for p in found.json()] == ["李兵"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"id_number": "12345"}, "id_number"),  # refused before any view: no ID number in a URL
        ({"age_min": 50, "age_max": 10}, "age_max"),
        ({"tag": "x"}, "tag"),
    ],
)
def test_bad_filters_are_400_naming_the_field(world, login, village, params, field):
    response = login(world.bureau).get(reverse("person-list"), params)
    assert response.status_code == 400 and field in response.json()


def test_sorting(world, login, village):
    results = (
        login(world.committee_user).get(reverse("person-list"), {"ordering": "birth_date"}).json()["results"]
    )
    assert results[0]["name"] == "张老汉"


def test_query_count_does_not_depend_on_the_page_size(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    PersonFactory.create_batch(60, household__committee=world.committee_a1)
    client = login(world.committee_user)
    client.get(reverse("person-list"))
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("person-list"), {"page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8, counts


def test_create_a_household_and_a_person(world, login):
    client = login(world.committee_user)
    household = client.post(
        reverse("household-list"),
        {"number": "X1", "building": "8号楼", "room": "302", "housing_type": "owned"},
    )
    assert household.status_code == 201 and household.json()["committee"] == "A1"
    number = idnumbers.make("370202", date(1990, 2, 3), 77)
    person = client.post(
        reverse("person-list"),
        {"household": household.json()["id"], "name": "周", "id_number": number, "relationship": "head"},
        content_type="application/json",
    )
    assert person.status_code == 201
    assert person.json()["id_number"] == idnumbers.mask(number)
    duplicate = client.post(
        reverse("person-list"),
        {"household": household.json()["id"], "name": "周", "id_number": number, "relationship": "head"},
        content_type="application/json",
    )
    assert duplicate.status_code == 400 and "id_number" in duplicate.json()


def test_a_household_outside_the_scope_is_refused_without_detail(world, login):
    foreign = HouseholdFactory(committee=world.committee_b1)
    response = login(world.committee_user).post(
        reverse("person-list"),
        {
            "household": foreign.pk,
            "name": "周",
            "id_number": idnumbers.make("370202", date(1990, 1, 1), 1),
            "relationship": "head",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and "household" in response.json()
    assert not Person.objects.exists()


def test_a_police_token_registers_floating_people_in_its_streets(world, client):
    _, key = account_services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="流动人口",
        scopes=["residents:read", "residents:floating"],
        days_valid=30,
    )
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    household = client.post(
        reverse("household-list"),
        {
            "committee": "A2",
            "number": "F1",
            "building": "9号楼",
            "room": "101",
            "housing_type": "rented",
            "kind": "floating",
        },
        **auth,
    )
    assert household.status_code == 201
    number = idnumbers.make("410102", date(1995, 5, 5), 31)
    ok = client.post(
        reverse("person-list"),
        {
            "household": household.json()["id"],
            "name": "外来",
            "id_number": number,
            "relationship": "head",
            "status": "floating",
        },
        content_type="application/json",
        **auth,
    )
    assert ok.status_code == 201
    resident = client.post(
        reverse("person-list"),
        {
            "household": household.json()["id"],
            "name": "户籍",
            "id_number": idnumbers.make("410102", date(1995, 5, 6), 33),
            "relationship": "other",
        },
        content_type="application/json",
        **auth,
    )
    assert resident.status_code == 400 and "status" in resident.json()
    other_street = client.post(
        reverse("household-list"),
        {"committee": "B1", "number": "F2", "building": "9号楼", "room": "1", "housing_type": "rented"},
        **auth,
    )
    assert other_street.status_code == 400 and "committee" in other_street.json()


def test_a_read_only_token_cannot_register(world, client):
    _, key = account_services.api_token_create(
        actor=world.bureau, department=world.police, name="只读", scopes=["residents:read"], days_valid=30
    )
    response = client.post(
        reverse("household-list"),
        {"committee": "A1", "number": "F1", "building": "9号楼", "room": "1", "housing_type": "rented"},
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 403


def test_life_events_through_the_api(world, login, village):
    client = login(world.committee_user)
    person = village["old"]
    target = village["vet"].household
    moved = client.post(
        reverse("person-transfer", args=[person.pk]),
        {"to_household": target.pk, "happened_on": timezone.localdate().isoformat()},
    )
    assert moved.status_code == 200 and moved.json()["household"] == target.pk
    dead = client.post(
        reverse("person-death", args=[person.pk]), {"happened_on": timezone.localdate().isoformat()}
    )
    assert dead.status_code == 200 and dead.json()["status"] == "deceased"
    again = client.post(
        reverse("person-move-out", args=[person.pk]), {"happened_on": timezone.localdate().isoformat()}
    )
    assert again.status_code == 400


def test_nothing_is_deleted_through_the_api(world, login, village):
    response = login(world.committee_user).delete(reverse("person-detail", args=[village["old"].pk]))
    assert response.status_code == 405


# Reveals: a reason is required and each user may reveal only so many numbers an hour (core.reveals).


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}, {"reason": None}])
def test_a_reveal_without_a_reason_is_refused_naming_the_field(world, login, body):
    from community_admin.core import reveals
    from community_admin.core.models import AuditLog

    person = PersonFactory(household__committee=world.committee_a1)
    response = login(world.committee_user).post(
        reverse("person-reveal-id", args=[person.pk]), body, content_type="application/json"
    )
    assert response.status_code == 400 and response.json() == {"reason": [reveals.ERR_REASON_REQUIRED]}
    assert person.id_number not in response.content.decode()
    assert not AuditLog.objects.filter(action="person.reveal_id").exists()


def test_reveals_over_the_hourly_limit_answer_429_and_are_audited(world, login, settings):
    from community_admin.core import reveals
    from community_admin.core.models import AuditLog

    settings.REVEAL_LIMIT_PER_HOUR = 15
    person = PersonFactory(household__committee=world.committee_a1)
    client = login(world.committee_user)
    url = reverse("person-reveal-id", args=[person.pk])
    answers = [client.post(url, {"reason": f"核对 {n}"}).status_code for n in range(20)]
    assert answers == [200] * 15 + [429] * 5
    refused = client.post(url, {"reason": "再看一次"})
    assert refused.status_code == 429 and person.id_number not in refused.content.decode()
    assert refused.json()["detail"].startswith(reveals.ERR_LIMIT.split("{")[0])
    assert 0 < int(refused["Retry-After"]) <= 3601
    rows = AuditLog.objects.filter(action="person.reveal_id", actor=world.committee_user)
    assert rows.filter(result=AuditLog.Result.OK).count() == 15
    assert rows.filter(result=AuditLog.Result.DENIED).count() == 6
    # another user is not held back by this one's reveals
    assert login(world.street_user).post(url, {"reason": "核对"}).status_code == 200


@pytest.fixture
def police_auth(world):
    _, key = account_services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="流动人口",
        scopes=["residents:read", "residents:floating"],
        days_valid=30,
    )
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_a_police_token_cannot_write_the_minimum_allowance_or_disability(world, client, police_auth):
    """Issue 23, finding 4: the attack as it was run (201, and the person in the 低保 and disabled books)."""
    household = HouseholdFactory(committee=world.committee_a1, kind="floating")
    body = {
        "household": household.pk,
        "name": "外来",
        "id_number": idnumbers.make("410102", date(1995, 5, 5), 31),
        "relationship": "head",
        "status": "floating",
        "minimum_allowance": True,
        "disability_certificate": "41010219950505031X11",
        "disability_level": 1,
    }
    response = client.post(reverse("person-list"), body, content_type="application/json", **police_auth)
    assert response.status_code == 400, response.content
    errors = response.json()
    assert set(errors) == {"minimum_allowance", "disability_certificate", "disability_level"}
    assert errors["minimum_allowance"] == [services.ERR_SENSITIVE_FIELD.format(label="低保")]
    assert not Person.objects.exists() and not AuditLog.objects.filter(action="person.register").exists()
    del body["minimum_allowance"], body["disability_certificate"], body["disability_level"]
    ok = client.post(reverse("person-list"), body, content_type="application/json", **police_auth)
    assert ok.status_code == 201 and "minimum_allowance" not in ok.json()
    person = Person.objects.get()
    assert not person.minimum_allowance and not person.disabled


def test_the_api_answers_a_number_held_elsewhere_neutrally(world, client, police_auth):
    """Issue 23, finding 5: the police station serves street A; a number registered in street B is not
    confirmed to it as "registered elsewhere"."""
    number = idnumbers.make("410102", date(1995, 5, 5), 31)
    PersonFactory(household__committee=world.committee_b1, id_number=number, name="乙街居民")
    household = HouseholdFactory(committee=world.committee_a1, kind="floating")
    response = client.post(
        reverse("person-list"),
        {
            "household": household.pk,
            "name": "外来",
            "id_number": number,
            "relationship": "head",
            "status": "floating",
        },
        content_type="application/json",
        **police_auth,
    )
    assert response.status_code == 400
    assert response.json() == {"id_number": [services.ERR_DUPLICATE_HELD]}
    assert RegistrationConflict.objects.get().requested_by.department == world.police  # the token's account


@pytest.mark.parametrize("kind", ["registered", "resident"])
def test_a_police_token_opens_floating_households_only(world, client, kind):
    """Issue 16: a department records floating residents; the registry's other households are the
    committees' to open."""
    _, key = account_services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="流动人口",
        scopes=["residents:read", "residents:floating"],
        days_valid=30,
    )
    body = {"committee": "A2", "number": "F9", "building": "9号楼", "room": "101", "housing_type": "rented"}
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    refused = client.post(reverse("household-list"), {**body, "kind": kind}, **auth)
    assert refused.status_code == 400
    assert refused.json() == {"kind": [services.ERR_DEPARTMENT_FLOATING_HOUSEHOLD]}
    assert not AuditLog.objects.filter(action="household.create").exists()
    assert client.post(reverse("household-list"), {**body, "kind": "floating"}, **auth).status_code == 201


def test_a_department_is_offered_no_new_household_on_the_list(world, login):
    assert "新建户" not in login(world.department_user).get(reverse("residents:person-list")).content.decode()
    assert "新建户" in login(world.committee_user).get(reverse("residents:person-list")).content.decode()


# Floating residents: the police station's outflow and residence permits (issue 16, item 6)


@pytest.fixture
def floating_people(world):
    """A floating resident in A1 (served by the police station), one in B1 (not served), a 户籍 one in A1."""
    made = {
        code: PersonFactory(household__committee=committee, household__kind="floating", status="floating")
        for code, committee in (("A1", world.committee_a1), ("B1", world.committee_b1))
    }
    made["registered"] = PersonFactory(household__committee=world.committee_a1)
    return made


def _token(world, department, scopes):
    _, key = account_services.api_token_create(
        actor=world.bureau, department=department, name="流动人口", scopes=scopes, days_valid=30
    )
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_a_police_token_records_the_outflow_of_its_floating_residents(
    world, client, police_auth, floating_people
):
    person = floating_people["A1"]
    url = reverse("person-floating-move-out", args=[person.pk])
    body = {"happened_on": timezone.localdate().isoformat(), "destination": "河南省", "to_committee": "B1"}
    moved = client.post(url, body, content_type="application/json", **police_auth)
    assert moved.status_code == 200, moved.content
    assert moved.json()["status"] == "moved_out"
    event = person.events.get(kind="move_out")
    assert event.to_committee == world.committee_b1 and event.actor.department == world.police
    again = client.post(url, body, content_type="application/json", **police_auth)  # a retry
    assert again.status_code == 200 and person.events.filter(kind="move_out").count() == 1
    # the committee's list and counts see it as their own move-out
    committee = Client()
    committee.force_login(world.committee_user)
    listed = committee.get(reverse("person-list"), {"status": "floating"}).json()
    assert person.pk not in {p["id"] for p in listed["results"]}


def test_the_outflow_api_refuses_a_registered_resident_naming_the_person(
    world, client, police_auth, floating_people
):
    person = floating_people["registered"]
    response = client.post(
        reverse("person-floating-move-out", args=[person.pk]),
        {"happened_on": timezone.localdate().isoformat()},
        content_type="application/json",
        **police_auth,
    )
    assert response.status_code == 400
    assert response.json() == {"person": [services.ERR_NOT_FLOATING.format(status="户籍人口")]}
    person.refresh_from_db()
    assert person.status == "registered" and not AuditLog.objects.filter(action="person.move_out").exists()


def test_the_floating_endpoints_answer_404_outside_the_stations_streets(
    world, client, police_auth, floating_people
):
    person = floating_people["B1"]
    today = timezone.localdate().isoformat()
    for name, body in (
        ("person-floating-move-out", {"happened_on": today}),
        (
            "person-residence-permit",
            {"residence_permit_number": "AB123456", "residence_permit_issued_on": today},
        ),
    ):
        response = client.post(
            reverse(name, args=[person.pk]), body, content_type="application/json", **police_auth
        )
        assert response.status_code == 404, name
    person.refresh_from_db()
    assert person.status == "floating" and person.residence_permit_number == ""


def test_the_floating_endpoints_need_the_floating_scope(world, client, floating_people):
    """A police token without `residents:floating`, and a district department (not the police) whose token
    reads the registry only: 403, nothing written. A committee is not offered the police's outflow; it keeps
    its own move-out."""
    other = DepartmentFactory(code="RS", name="区人社局", kind="district")
    person = floating_people["A1"]
    today = timezone.localdate().isoformat()
    bodies = {
        "person-floating-move-out": {"happened_on": today},
        "person-residence-permit": {
            "residence_permit_number": "AB123456",
            "residence_permit_issued_on": today,
        },
    }
    for auth in (_token(world, world.police, ["residents:read"]), _token(world, other, ["residents:read"])):
        for name, body in bodies.items():
            response = client.post(
                reverse(name, args=[person.pk]), body, content_type="application/json", **auth
            )
            assert response.status_code == 403, name
    committee = Client()
    committee.force_login(world.committee_user)
    url = reverse("person-floating-move-out", args=[person.pk])
    assert committee.post(url, {"happened_on": today}).status_code == 403
    person.refresh_from_db()
    assert person.status == "floating" and person.residence_permit_number == ""
    assert (
        committee.post(reverse("person-move-out", args=[person.pk]), {"happened_on": today}).status_code
        == 200
    )


def test_a_police_token_updates_a_residence_permit(world, client, police_auth, floating_people):
    person = floating_people["A1"]
    number = idnumbers.make("410102", date(1995, 5, 5), 31)
    issued = date(2025, 3, 1)
    response = client.post(
        reverse("person-residence-permit", args=[person.pk]),
        {
            "residence_permit_number": number,
            "residence_permit_issued_on": issued.isoformat(),
            "residence_permit_valid_until": "2026-03-01",
        },
        content_type="application/json",
        **police_auth,
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (
        body["residence_permit_number"] == idnumbers.mask(number) and number not in response.content.decode()
    )
    assert (body["residence_permit_issued_on"], body["residence_permit_valid_until"]) == (
        "2025-03-01",
        "2026-03-01",
    )
    row = AuditLog.objects.get(action="person.residence_permit")
    assert row.actor.department == world.police and number not in str(row.details)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            {"residence_permit_issued_on": "2025-03-01", "residence_permit_valid_until": "2025-03-01"},
            "valid_until",
        ),
        (
            {"residence_permit_issued_on": "2025-03-01", "residence_permit_valid_until": "2024-01-01"},
            "valid_until",
        ),
        ({"residence_permit_issued_on": "2999-01-01"}, "issued_on"),
        ({"residence_permit_issued_on": "2025-02-30"}, "issued_on"),
        ({}, "issued_on"),
        ({"residence_permit_issued_on": "2025-03-01", "residence_permit_number": "居住证"}, "number"),
    ],
)
def test_a_bad_permit_is_refused_naming_the_field(world, client, police_auth, floating_people, body, field):
    person = floating_people["A1"]
    response = client.post(
        reverse("person-residence-permit", args=[person.pk]),
        {"residence_permit_number": "AB123456", **body},
        content_type="application/json",
        **police_auth,
    )
    assert response.status_code == 400 and set(response.json()) == {f"residence_permit_{field}"}
    person.refresh_from_db()
    assert (person.residence_permit_number, person.residence_permit_issued_on) == ("", None)
    assert not AuditLog.objects.filter(action="person.residence_permit").exists()


def test_an_unknown_destination_committee_is_refused(world, client, police_auth, floating_people):
    person = floating_people["A1"]
    response = client.post(
        reverse("person-floating-move-out", args=[person.pk]),
        {"happened_on": timezone.localdate().isoformat(), "to_committee": "ZZ9"},
        content_type="application/json",
        **police_auth,
    )
    assert response.status_code == 400 and set(response.json()) == {"to_committee"}
    person.refresh_from_db()
    assert person.status == "floating"
