from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community_admin.community_services import services
from community_admin.community_services.models import Visit
from tests.community_services.conftest import PDF

pytestmark = pytest.mark.django_db


def test_a_committee_records_a_visit_through_the_api(world, login, households, today):
    client = login(world.committee_user)
    response = client.post(
        "/api/v1/visits/",
        {"household": households["A1"].pk, "visited_on": today.isoformat(), "purpose": "policy"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["visitor"] == world.committee_user.username
    other = client.post(
        "/api/v1/visits/",
        {"household": households["B1"].pk, "visited_on": today.isoformat(), "purpose": "policy"},
        content_type="application/json",
    )
    assert other.status_code == 400 and "household" in other.json()
    assert Visit.objects.count() == 1


def test_visits_are_listed_in_scope_and_filtered_by_open_follow_up(world, login, visit, households, today):
    services.visit_record(
        actor=world.committee_user, household=households["A1"], visited_on=today, purpose="routine"
    )
    data = login(world.street_user).get("/api/v1/visits/", {"open_follow_up": "1"}).json()
    assert [v["id"] for v in data["results"]] == [visit.pk]
    assert login(world.department_user).get("/api/v1/visits/").status_code == 403


def test_activity_with_participants_attachment_and_hours(world, login, persons, today):
    client = login(world.committee_user)
    created = client.post(
        "/api/v1/activities/",
        {
            "title": "健康义诊",
            "kind": "health",
            "held_on": today.isoformat(),
            "place": "服务中心",
            "organiser": "居委会",
            "participant_count": 30,
            "participant_ids": [persons["A1"].pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    activity_id = created.json()["id"]
    assert created.json()["participant_ids"] == [persons["A1"].pk]
    upload = client.post(
        f"/api/v1/activities/{activity_id}/attachments/", {"file": SimpleUploadedFile("a.pdf", PDF)}
    )
    assert upload.status_code == 201 and upload.json()["content_type"] == "application/pdf"
    volunteer = client.post(
        "/api/v1/volunteers/",
        {"person": persons["A1"].pk, "registered_on": today.isoformat()},
        content_type="application/json",
    ).json()
    hours = client.post(
        f"/api/v1/activities/{activity_id}/hours/",
        {"volunteer": volunteer["id"], "hours": "3.0"},
        content_type="application/json",
    )
    assert hours.status_code == 201
    assert Decimal(client.get(f"/api/v1/volunteers/{volunteer['id']}/").json()["total_hours"]) == Decimal(
        "3.0"
    )


def test_organisations_with_members_and_support(world, login, persons, today):
    client = login(world.committee_user)
    org = client.post(
        "/api/v1/organisations/",
        {"name": "邻里互助会", "kind": "mutual_aid"},
        content_type="application/json",
    ).json()
    client.post(
        f"/api/v1/organisations/{org['id']}/members/",
        {"person": persons["A1"].pk, "joined_on": today.isoformat(), "role": "leader"},
        content_type="application/json",
    )
    data = client.post(
        f"/api/v1/organisations/{org['id']}/support/",
        {"given_on": today.isoformat(), "kind": "venue", "description": "每周二借用活动室"},
        content_type="application/json",
    ).json()
    assert [m["role"] for m in data["members"]] == ["leader"]
    assert data["supports"][0]["kind"] == "venue"
    assert login(world.street_user).get(f"/api/v1/organisations/{org['id']}/").status_code == 200


def test_the_balance_endpoint(world, login, visit, today):
    rows = login(world.street_user).get("/api/v1/service-balance/", {"year": today.year}).json()
    assert [r["committee"] for r in rows] == ["A1", "A2"]
    assert rows[0]["visits"] == 1 and rows[0]["service_share"] is None
    bad = login(world.street_user).get("/api/v1/service-balance/", {"month": "13"})
    assert bad.status_code == 400 and "month" in bad.json()
