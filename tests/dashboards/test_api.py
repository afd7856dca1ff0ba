import pytest
from django.urls import reverse

from community_admin.accounts import services
from tests.factories import CommitteeFactory


def test_committee_list_carries_norms_and_office_compliance(world, login):
    response = login(world.street_user).get(reverse("committee-list"))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    a2 = next(c for c in data["results"] if c["code"] == "A2")
    assert a2["street"] == "A" and a2["kind"] == "residential"
    norms = a2["norms"]
    assert norms["households"] == 2400
    assert norms["members_required"] == 5
    assert norms["social_workers_required"] == 5
    assert norms["office"]["norm_code"] == "report-20-per-100"
    assert norms["office"]["required_m2"] == "480.0"
    assert norms["office"]["compliant"] is False and norms["office"]["shortfall_m2"] == "160.0"
    assert [alt["norm_code"] for alt in norms["office_alternatives"]] == ["national-2021-56"]
    assert norms["office_alternatives"][0]["required_m2"] == "720.0"


def test_committee_filters_search_and_ordering(world, login):
    client = login(world.bureau)
    assert [c["code"] for c in client.get(reverse("committee-list"), {"street": "B"}).json()["results"]] == [
        "B1"
    ]
    assert client.get(reverse("committee-list"), {"search": "甲二"}).json()["count"] == 1
    ordered = client.get(reverse("committee-list"), {"ordering": "-recorded_households"}).json()["results"]
    assert ordered[0]["code"] == "A2"


def test_bad_filter_value_is_a_400_naming_the_field(world, login):
    response = login(world.bureau).get(reverse("committee-list"), {"kind": "castle"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_street_totals(world, login):
    data = login(world.bureau).get(reverse("street-list")).json()["results"]
    a = next(s for s in data if s["code"] == "A")
    assert (a["committee_count"], a["households"]) == (2, 1500 + 2400)


def test_pagination_caps_the_page_size(world, login):
    CommitteeFactory.create_batch(5, street=world.street_b)
    page = login(world.bureau).get(reverse("committee-list"), {"page_size": 3}).json()
    assert page["count"] == 8 and len(page["results"]) == 3 and page["next"]


def test_list_query_count_does_not_grow_with_the_page(world, login, django_assert_max_num_queries):
    CommitteeFactory.create_batch(40, street=world.street_b)
    client = login(world.bureau)
    client.get(reverse("committee-list"))  # warm the session
    with django_assert_max_num_queries(9):
        response = client.get(reverse("committee-list"), {"page_size": 40})
    assert len(response.json()["results"]) == 40


def test_department_token_reads_the_committees_of_its_streets(world, department_token, client):
    _, key = department_token
    response = client.get(reverse("committee-list"), HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert {c["code"] for c in response.json()["results"]} == {"A1", "A2"}
    out_of_scope = client.get(
        reverse("committee-detail", args=[world.committee_b1.pk]), HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert out_of_scope.status_code == 404


def test_a_token_without_the_scope_is_refused(world, client):
    _, key = services.api_token_create(
        actor=world.bureau, department=world.police, name="x", scopes=["tasks:submit"], days_valid=1
    )
    assert client.get(reverse("committee-list"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 403


@pytest.mark.parametrize("header", ["Token nonsense", "Token ca_x_y", "Token", "Token a b"])
def test_bad_tokens_are_401(world, client, header):
    assert client.get(reverse("committee-list"), HTTP_AUTHORIZATION=header).status_code == 401


def test_revoked_token_is_401(world, department_token, client):
    token, key = department_token
    services.api_token_revoke(actor=world.bureau, token=token)
    assert client.get(reverse("committee-list"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
