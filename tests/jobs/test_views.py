import pytest
from django.urls import reverse

from community_admin.accounts.models import Role, User
from community_admin.core.models import AuditLog
from community_admin.dashboards.jobs import COMMITTEE_EXPORT, ERR_EXPORT_STREET_NOT_VISIBLE
from community_admin.jobs import services
from community_admin.jobs.models import Job

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def done_job(district, run_jobs):
    with run_jobs():
        job = services.job_start(actor=district.street1, kind=COMMITTEE_EXPORT).job
    job.refresh_from_db()
    return job


def test_every_role_has_my_jobs_in_the_navigation(client, district):
    for user in (district.bureau, district.street1, district.committee11, district.police_user):
        client.force_login(user)
        response = client.get(reverse("jobs:list"))
        assert response.status_code == 200
        assert ("我的任务", "jobs:list") in response.context["nav_items"]


def test_the_home_page_offers_the_export_as_a_background_job(client, district):
    client.force_login(district.bureau)
    body = client.get(reverse("home")).content.decode()
    start_url = reverse("jobs:start", args=[COMMITTEE_EXPORT])
    assert f'hx-post="{start_url}"' in body
    assert "vendor/htmx/htmx.min.js" in body


def test_start_without_htmx_redirects_to_the_jobs_page(client, district, run_jobs):
    client.force_login(district.street1)
    with run_jobs():
        response = client.post(reverse("jobs:start", args=[COMMITTEE_EXPORT]))
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == reverse("jobs:detail", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page


def test_start_with_htmx_answers_the_progress_component_which_polls_while_active(client, district):
    client.force_login(district.street1)
    response = client.post(reverse("jobs:start", args=[COMMITTEE_EXPORT]), **HTMX)  # not run: stays queued
    job = Job.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-state="queued"' in body
    assert f'hx-get="{reverse("jobs:progress", args=[job.pk])}"' in body


def test_the_progress_fragment_stops_polling_when_done(client, district, done_job):
    client.force_login(district.street1)
    response = client.get(reverse("jobs:progress", args=[done_job.pk]), **HTMX)
    body = response.content.decode()
    assert 'data-state="done"' in body and "hx-get" not in body
    assert reverse("jobs:download", args=[done_job.pk]) in body
    assert response["Cache-Control"] == "no-store"


def test_start_errors(client, district):
    client.force_login(district.street1)
    url = reverse("jobs:start", args=[COMMITTEE_EXPORT])
    response = client.post(url, {"street": "02", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    response = client.post(url, {"street": "02"}, **HTMX)
    assert ERR_EXPORT_STREET_NOT_VISIBLE.format(code="02") in response.content.decode()
    assert client.post(reverse("jobs:start", args=["nope.nothing"])).status_code == 404
    assert not Job.objects.exists()


def test_a_kind_the_user_may_not_start_is_forbidden(client, district, exclusive_kind):
    client.force_login(district.street1)
    assert client.post(reverse("jobs:start", args=[exclusive_kind.name])).status_code == 403
    assert AuditLog.objects.filter(action="access.denied", details__permission="norms.manage").exists()


def test_download_in_scope(client, district, done_job):
    for user in (district.street1, district.bureau, district.police_user):
        client.force_login(user)
        response = client.get(reverse("jobs:download", args=[done_job.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content)[:2] == b"PK"  # an xlsx is a zip
    assert AuditLog.objects.filter(action="job.download", object_id=str(done_job.pk)).count() == 3


@pytest.mark.parametrize("name", ["jobs:detail", "jobs:progress", "jobs:download"])
def test_out_of_scope_is_404_like_missing(client, district, done_job, name):
    for user in (district.street2, district.committee21, district.committee12):
        client.force_login(user)
        assert client.get(reverse(name, args=[done_job.pk])).status_code == 404
    assert client.get(reverse(name, args=[done_job.pk + 1000])).status_code == 404
    assert AuditLog.objects.filter(action="access.out_of_scope", object_id=str(done_job.pk)).exists()


def test_retry_out_of_scope_is_404(client, district, flaky_kind, run_jobs):
    flaky_kind.behaviour.failures = 1
    with run_jobs():
        job = services.job_start(actor=district.street1, kind="tests.flaky").job
    client.force_login(district.street2)
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404


def test_a_failed_job_shows_why_and_retries_from_its_page(client, district, flaky_kind, run_jobs):
    flaky_kind.behaviour.failures = 1
    with run_jobs():
        job = services.job_start(actor=district.street1, kind="tests.flaky").job
    client.force_login(district.street1)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "RuntimeError: 数据源暂时不可用" in page
    assert reverse("jobs:retry", args=[job.pk]) in page
    with run_jobs():
        response = client.post(reverse("jobs:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == Job.State.DONE


def test_a_download_after_clean_up_is_404(client, district, done_job, run_jobs):
    with run_jobs():
        services.job_cleanup_results(
            now=done_job.result_expires_at.replace(year=done_job.result_expires_at.year + 1)
        )
    client.force_login(district.street1)
    assert client.get(reverse("jobs:download", args=[done_job.pk])).status_code == 404
    assert "过期清理" in client.get(reverse("jobs:detail", args=[done_job.pk])).content.decode()


def test_my_jobs_lists_only_my_own(client, district, done_job):
    with_other = services.job_start(actor=district.committee11, kind=COMMITTEE_EXPORT).job
    client.force_login(district.street1)
    jobs = list(client.get(reverse("jobs:list")).context["page"].object_list)
    assert jobs == [done_job]
    client.force_login(district.committee11)
    assert list(client.get(reverse("jobs:list")).context["page"].object_list) == [with_other]


def test_pages_need_a_login(client, done_job):
    for name in ("jobs:list",):
        assert client.get(reverse(name)).status_code == 302
    assert client.get(reverse("jobs:detail", args=[done_job.pk])).status_code == 302


def test_the_job_page_and_the_admin_show_no_full_id_number(client, district, flaky_kind):
    number = "11010519900101123X"
    job = services.job_start(
        actor=district.committee11, kind="tests.flaky", params={"query": f"id_number={number}"}
    ).job
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error=f"ValueError: {number}")
    client.force_login(district.committee11)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert number not in page and "id_number=110105********123X" in page
    admin = User.objects.create_superuser("root", password="Job-Test-Password-1", role=Role.BUREAU)
    client.force_login(admin)
    page = client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
    assert number not in page and "110105********123X" in page
