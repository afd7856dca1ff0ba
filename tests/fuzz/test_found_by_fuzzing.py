"""What the API fuzzing found, pinned as plain examples (tests/fuzz/test_api_fuzz.py finds them again only
by chance)."""

import json

import pytest
from django.test import Client

from tests.fuzz.test_api_fuzz import _schema_dict


def test_served_schema_is_the_fuzzed_one(db):
    served = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert served.status_code == 200
    assert json.loads(served.content) == _schema_dict()


@pytest.mark.parametrize("path", ["/api/v1/persons/abc/", "/api/v1/staff/secondments/null/approve/"])
def test_non_numeric_id_is_a_json_404(world, login, path):
    response = login(world.committee_user).get(path)
    assert response.status_code == 404  # was 500 (ValueError from the pk lookup)
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("query", ["page_size=0", "page_size=501", "page_size=true", "page=abc", "page=0"])
def test_bad_page_parameters_are_refused(world, login, query):
    response = login(world.committee_user).get(f"/api/v1/persons/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


@pytest.mark.parametrize("query", ["active=42", "active=null"])
def test_boolean_filter_refuses_non_booleans(world, login, query):
    from tests.factories import ensure_certificate_whitelist

    ensure_certificate_whitelist()
    response = login(world.committee_user).get(f"/api/v1/certificate-types/?{query}")
    assert response.status_code == 400
    assert "active" in response.json()
    assert login(world.committee_user).get("/api/v1/certificate-types/?active=true").status_code == 200


def test_volunteer_without_hours_has_zero_hours(world, login):
    from django.utils import timezone

    from community_admin.community_services.models import Volunteer
    from tests.factories import PersonFactory

    person = PersonFactory(household__committee=world.committee_a1)
    volunteer = Volunteer.objects.create(
        person=person, committee=world.committee_a1, registered_on=timezone.localdate()
    )
    body = login(world.committee_user).get(f"/api/v1/volunteers/{volunteer.pk}/").json()
    assert body["total_hours"] == "0.0"  # was null
