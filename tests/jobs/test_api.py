import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken
from community_admin.dashboards.jobs import COMMITTEE_EXPORT
from community_admin.jobs import services
from community_admin.jobs.models import Job

pytestmark = pytest.mark.django_db
LIST = "/api/v1/jobs/"


@pytest.fixture
def api():
    return APIClient()


def test_start_then_join_then_follow(api, district, run_jobs):
    api.force_authenticate(district.street1)
    created = api.post(LIST, {"kind": COMMITTEE_EXPORT, "params": {}}, format="json")
    assert created.status_code == 201
    assert created.data["state"] == "queued" and created.data["scope_street"] == "01"
    joined = api.post(LIST, {"kind": COMMITTEE_EXPORT}, format="json")
    assert joined.status_code == 200 and joined.data["id"] == created.data["id"]

    job = Job.objects.get(pk=created.data["id"])
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error="x")  # let a new one start
    with run_jobs():
        again = api.post(LIST, {"kind": COMMITTEE_EXPORT}, format="json")
    assert again.status_code == 201
    detail = api.get(f"{LIST}{again.data['id']}/")
    assert detail.data["state"] == "done" and detail.data["progress"] == 100
    assert detail.data["download_url"].endswith(reverse("job-download", args=[again.data["id"]]))
    download = api.get(detail.data["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")


def test_refused_duplicate_is_409_and_bad_input_is_400(api, district, exclusive_kind):
    api.force_authenticate(district.bureau)
    assert api.post(LIST, {"kind": exclusive_kind.name}, format="json").status_code == 201
    refused = api.post(LIST, {"kind": exclusive_kind.name}, format="json")
    assert refused.status_code == 409
    assert api.post(LIST, {"kind": "nope"}, format="json").status_code == 400
    bad = api.post(LIST, {"kind": COMMITTEE_EXPORT, "params": {"colour": "red"}}, format="json")
    assert bad.status_code == 400


def test_list_and_retrieve_are_scoped(api, district):
    mine = services.job_start(actor=district.street1, kind=COMMITTEE_EXPORT).job
    other = services.job_start(actor=district.street2, kind=COMMITTEE_EXPORT).job
    api.force_authenticate(district.street1)
    assert [j["id"] for j in api.get(LIST).data["results"]] == [mine.pk]
    assert api.get(f"{LIST}{other.pk}/").status_code == 404
    assert api.get(f"{LIST}{other.pk}/download/").status_code == 404
    assert api.post(f"{LIST}{other.pk}/retry/").status_code == 404
    api.force_authenticate(district.bureau)
    assert {j["id"] for j in api.get(LIST).data["results"]} == {mine.pk, other.pk}
    assert api.get(LIST, {"mine": "true"}).data["results"] == []


def test_retry(api, district, flaky_kind, run_jobs):
    flaky_kind.behaviour.failures = 1
    with run_jobs():
        job = services.job_start(actor=district.committee11, kind="tests.flaky").job
    api.force_authenticate(district.committee11)
    with run_jobs():
        response = api.post(f"{LIST}{job.pk}/retry/")
    assert response.status_code == 202
    assert api.post(f"{LIST}{job.pk}/retry/").status_code == 400  # done now: not retryable


def test_kinds(api, district, exclusive_kind):
    api.force_authenticate(district.street1)
    names = {k["name"] for k in api.get(f"{LIST}kinds/").data}
    assert COMMITTEE_EXPORT in names and exclusive_kind.name not in names


def _token(district, scopes):
    _, key = account_services.api_token_create(
        actor=district.bureau, department=district.police, name="t", scopes=scopes, days_valid=30
    )
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_department_tokens_need_the_jobs_scope_and_the_kinds_own(api, district):
    body = {"kind": COMMITTEE_EXPORT}
    assert api.get(LIST, **_token(district, [ApiToken.Scope.ORG_READ])).status_code == 403
    jobs_only = _token(district, [ApiToken.Scope.JOBS])
    assert api.get(LIST, **jobs_only).status_code == 200
    assert api.post(LIST, body, format="json", **jobs_only).status_code == 403
    both = _token(district, [ApiToken.Scope.JOBS, ApiToken.Scope.ORG_READ])
    response = api.post(LIST, body, format="json", **both)
    assert response.status_code == 201 and response.data["scope_department"] == "PS01"


def test_anonymous_is_refused(api, district):
    assert api.get(LIST).status_code in (401, 403)


def test_the_schema_builds_with_the_jobs_endpoints(api):
    response = api.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/jobs/{id}/download/" in response.content


def test_a_jobs_only_token_reads_none_of_the_jobs_it_could_not_start(api, district, run_jobs):
    """Issue 23, finding 1: a department token with only `jobs` downloaded the district's exports."""
    with run_jobs():
        job = services.job_start(actor=district.bureau, kind=COMMITTEE_EXPORT).job  # the district's
    hr_token = lambda scopes: account_services.api_token_create(  # noqa: E731
        actor=district.bureau, department=district.hr, name="t", scopes=scopes, days_valid=30
    )[1]
    jobs_only = {"HTTP_AUTHORIZATION": f"Token {hr_token([ApiToken.Scope.JOBS])}"}
    assert api.get(LIST, **jobs_only).data["results"] == []
    assert api.get(f"{LIST}{job.pk}/", **jobs_only).status_code == 404
    assert api.get(f"{LIST}{job.pk}/download/", **jobs_only).status_code == 404
    assert api.get(f"{LIST}kinds/", **jobs_only).data == []
    both = {"HTTP_AUTHORIZATION": f"Token {hr_token([ApiToken.Scope.JOBS, ApiToken.Scope.ORG_READ])}"}
    assert [j["id"] for j in api.get(LIST, **both).data["results"]] == [job.pk]
    assert api.get(f"{LIST}{job.pk}/download/", **both).status_code == 200


def test_params_and_errors_show_no_full_id_number(api, district, flaky_kind):
    number = "11010519900101123X"
    job = services.job_start(actor=district.committee11, kind="tests.flaky", params={"q": f"x{number}12"}).job
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error=f"ValueError: {number}")
    api.force_authenticate(district.committee11)
    for body in (api.get(f"{LIST}{job.pk}/").data, api.get(LIST).data["results"][0]):
        assert body["params"] == {"q": "x110105**********3X12"}
        assert body["error"] == "ValueError: 110105********123X"
