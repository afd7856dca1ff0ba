"""A full ID number never travels in a URL (issue 23, finding 8): URLs land in the access logs of nginx and
gunicorn, in the browser's history and in the Referer of the next request. The search by number is posted (the
page's form, POST /api/v1/persons/search/); a query string that carries a number is refused with 400 before any
view runs."""

import pytest
from django.urls import reverse

from community_admin.accounts import services as account_services
from community_admin.core.middleware import ERR_ID_IN_URL
from community_admin.core.models import AuditLog
from community_admin.residents.views import ERR_ID_NOT_FOUND
from tests.factories import PersonFactory


@pytest.fixture
def people(world):
    return {
        "A1": PersonFactory(household__committee=world.committee_a1, name="甲一居民"),
        "B1": PersonFactory(household__committee=world.committee_b1, name="乙一居民"),
    }


def token_auth(world, *scopes) -> dict:
    _, key = account_services.api_token_create(
        actor=world.bureau, department=world.police, name="查询", scopes=list(scopes), days_valid=30
    )
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


# --- the refusal: any URL, any parameter, page or API


@pytest.mark.parametrize(
    "url",
    [
        "residents:person-list",
        "residents:person-export",
        "person-list",
        "certificates:issue",
        "accounts:audit-list",
        "home",
    ],
)
def test_a_full_number_in_any_query_string_is_refused_before_the_view(world, login, people, url):
    number = people["A1"].id_number
    client = login(world.bureau)
    queries = [
        {"id_number": number},
        {"q": number},
        {"name": f"查{number}"},  # inside a longer value
        {"q": f"{number[:6]} {number[6:]}"},  # split by a space
        {"q": number.lower() if number.endswith("X") else f"{number}12"},  # a disability number
    ]
    before = AuditLog.objects.count()
    for query in queries:
        response = client.get(reverse(url), query)
        assert response.status_code == 400, (url, query)
        body = response.content.decode()
        assert number not in body and number[6:14] not in body
        assert ERR_ID_IN_URL in body
    assert AuditLog.objects.count() == before  # nothing was looked up, so nothing to audit


def test_the_api_refusal_names_the_parameter(world, people, client):
    auth = token_auth(world, "residents:read")
    response = client.get(reverse("person-list"), {"name": "张", "q": people["A1"].id_number}, **auth)
    assert response.status_code == 400
    assert response.json() == {"q": [ERR_ID_IN_URL]}
    assert response["Cache-Control"] == "private, no-store"


def test_an_empty_id_number_parameter_or_short_digits_pass(world, login, people):
    client = login(world.bureau)
    assert client.get(reverse("residents:person-list"), {"id_number": "", "name": "甲"}).status_code == 200
    assert client.get(reverse("residents:person-list"), {"name": "110105"}).status_code == 200
    assert client.get(reverse("person-list"), {"page": "2" * 12}).status_code in (200, 404)


def test_the_refusal_page_says_what_to_do_and_keeps_the_site_headers(world, login, people):
    response = login(world.committee_user).get(
        reverse("residents:person-list"), {"id_number": people["A1"].id_number}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "按身份证号查找" in body and reverse("residents:person-list") in body
    assert "Content-Security-Policy" in response and response["Cache-Control"] == "private, no-store"


# --- the page: a posted search


def test_the_list_offers_the_posted_search_and_no_id_field_in_the_get_form(world, login, people):
    body = login(world.committee_user).get(reverse("residents:person-list")).content.decode()
    post_form, get_form = body.split('data-testid="id-search"')[1].split('<form method="get"', 1)
    assert 'name="id_number"' in post_form and "csrfmiddlewaretoken" in post_form
    assert 'name="id_number"' not in get_form.split("</form>")[0]


def test_filtering_keeps_the_export_button(world, login, people):
    """Issue 19's bug: the GET form sent an empty id_number, taken for an ID search, and hid the export."""
    body = login(world.committee_user).get(reverse("residents:person-list"), {"name": "甲"}).content.decode()
    assert "导出当前结果" in body and f"{reverse('residents:person-export')}?name=" in body


def test_one_match_opens_the_persons_page(world, login, people):
    person = people["A1"]
    response = login(world.committee_user).post(
        reverse("residents:person-list"), {"id_number": f" {person.id_number.lower()} "}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("residents:person-detail", args=[person.pk])


def test_a_number_out_of_scope_is_not_found_like_a_missing_one(world, login, people):
    client = login(world.committee_user)
    out = client.post(reverse("residents:person-list"), {"id_number": people["B1"].id_number})
    missing_number = PersonFactory.build().id_number
    missing = client.post(reverse("residents:person-list"), {"id_number": missing_number})
    for response in (out, missing):
        assert response.status_code == 200
        body = response.content.decode()
        assert ERR_ID_NOT_FOUND in body and "乙一居民" not in body
        assert people["B1"].id_number not in body and missing_number not in body  # never echoed


def test_several_records_of_one_number_are_listed_current_first(world, login, people):
    person = people["A1"]
    past = PersonFactory(
        household__committee=world.committee_a1, id_number=person.id_number, name="甲一旧", status="moved_out"
    )
    response = login(world.committee_user).post(
        reverse("residents:person-list"), {"id_number": person.id_number}
    )
    assert response.status_code == 200
    assert [p.pk for p in response.context["found"]] == [person.pk, past.pk]
    body = response.content.decode()
    assert "此号码的登记记录（2 条）" in body and person.id_number not in body


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "必填"), ("12345", "18 位"), ("110105194912310020", "校验位")],
)
def test_a_bad_number_is_400_naming_the_field(world, login, people, typed, message):
    response = login(world.committee_user).post(reverse("residents:person-list"), {"id_number": typed})
    assert response.status_code == 400
    errors = response.context["id_form"].errors["id_number"]
    assert any(message in e for e in errors), errors


def test_the_posted_search_needs_csrf(world, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.committee_user)
    response = client.post(reverse("residents:person-list"), {"id_number": people["A1"].id_number})
    assert response.status_code == 403


# --- the API: POST /api/v1/persons/search/


def test_the_api_search_answers_the_records_in_scope_masked(world, people, client):
    auth = token_auth(world, "residents:read")  # the police station serves street A
    found = client.post(reverse("person-search"), {"id_number": people["A1"].id_number}, **auth)
    assert found.status_code == 200
    [record] = found.json()
    assert record["name"] == "甲一居民" and record["id_number"] == people["A1"].id_number_masked
    assert people["A1"].id_number not in found.content.decode()
    out = client.post(reverse("person-search"), {"id_number": people["B1"].id_number}, **auth)
    assert out.status_code == 200 and out.json() == []


def test_the_api_search_needs_the_registry_scope(world, people, client):
    auth = token_auth(world, "org:read")
    response = client.post(reverse("person-search"), {"id_number": people["A1"].id_number}, **auth)
    assert response.status_code == 403


@pytest.mark.parametrize("body", [{}, {"id_number": "12345"}, {"id_number": "110105194912310020"}])
def test_the_api_search_refuses_a_bad_number_naming_the_field(world, people, client, body):
    auth = token_auth(world, "residents:read")
    response = client.post(reverse("person-search"), body, content_type="application/json", **auth)
    assert response.status_code == 400 and "id_number" in response.json()


def test_the_api_search_is_in_the_schema_and_the_filter_is_not(client):
    schema = client.get(reverse("schema"), {"format": "json"}).json()
    assert "post" in schema["paths"]["/api/v1/persons/search/"]
    parameters = {p["name"] for p in schema["paths"]["/api/v1/persons/"]["get"]["parameters"]}
    assert "name" in parameters and "id_number" not in parameters
