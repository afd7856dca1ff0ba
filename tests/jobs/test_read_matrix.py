"""Every registered job kind x every reader (the four roles' sessions, a department's token with only `jobs`,
and with `jobs` and the kind's own scope): a job of that kind in a unit the reader covers is readable (in the
lists, its page, progress and download 200, a failed one retried) exactly when the reader may start the kind
(accounts.permissions: the kind's permission and, for a token, that permission's scope); otherwise it is
absent from the lists and answers 404 everywhere, like a missing job. The kinds come from the registry, so a
new kind is walked without editing this file (a kind with its own read filter must add its sample params).

The attack (issue 23, finding 1): a department token holding only `jobs` downloaded the district's person
export, a committee's disabled-persons book export, a batch of certificates and the bureau's survey report."""

import secrets
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from community_admin.accounts import scoping
from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken, Role
from community_admin.accounts.permissions import TOKEN_SCOPES, has_permission, token_allows
from community_admin.core import idnumbers
from community_admin.core.models import AuditLog
from community_admin.jobs import registry
from community_admin.jobs.models import Job
from tests.jobs.conftest import _user

pytestmark = pytest.mark.django_db
API = "/api/v1/jobs/"
SEARCHED_ID = idnumbers.make("110105", date(1990, 1, 1), 123)
SESSIONS = ["bureau", "street1", "committee11", "police_user", "hr_user"]
TOKENS = ["token:jobs", "token:jobs+kind"]


def _book_for(district, reader) -> str:
    """A book the reader sees (a department sees only the books it owns)."""
    return "HR-BOOK" if reader == district.hr_user else "POLICE-BOOK"


# What a job of each kind was started with, as its kind's clean_params would have left it; chosen so that
# the reader could have named the same objects. A kind not listed runs with {}.
SAMPLE_PARAMS = {
    "residents.person_export": lambda district, reader: {"query": f"id_number={SEARCHED_ID}&tag=disabled"},
    "ledgers.book_export": lambda district, reader: {
        "book": _book_for(district, reader),
        "committee": "0101",
    },
    "dashboards.committee_export": lambda district, reader: {"street": "01"},
    "dashboards.survey_report": lambda district, reader: {"year": 2025, "format": "pdf"},
    "certificates.batch_pdf": lambda district, reader: {"month": "2026-03"},
}
KINDS = [kind.name for kind in registry.all_kinds()]


def make_job(kind: str, *, by, scope: dict, params: dict, state=Job.State.DONE) -> Job:
    """A job row as the worker leaves it, written directly: the matrix is about reading, not starting."""
    result = {}
    if state == Job.State.DONE:
        path = storages["job_results"].save(f"t/{secrets.token_hex(6)}.bin", ContentFile(b"result"))
        result = {
            "result_path": path,
            "result_name": "结果.bin",
            "result_content_type": "application/octet-stream",
        }
    return Job.objects.create(
        kind=kind,
        created_by=by,
        params=params,
        dedupe_key=secrets.token_hex(32),
        state=state,
        progress=100 if state == Job.State.DONE else 0,
        error="失败" if state == Job.State.FAILED else "",
        **result,
        **scope,
    )


def _token(district, scopes) -> tuple[ApiToken, str]:
    return account_services.api_token_create(
        actor=district.bureau, department=district.police, name="矩阵", scopes=scopes, days_valid=30
    )


def _reader(district, name: str, kind: registry.JobKind):
    """(user, api client, page client or None, may start the kind)."""
    if name in SESSIONS:
        user = getattr(district, name)
        api = APIClient()
        api.force_login(user)
        page = Client()
        page.force_login(user)
        return user, api, page, has_permission(user, kind.permission)
    scopes = [ApiToken.Scope.JOBS]
    if name == "token:jobs+kind" and TOKEN_SCOPES.get(kind.permission):
        scopes.append(TOKEN_SCOPES[kind.permission])
    token, key = _token(district, scopes)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    user = token.user  # the police station's account (dept-PS01)
    return user, api, None, has_permission(user, kind.permission) and token_allows(token, kind.permission)


def test_every_kind_with_a_read_filter_has_sample_params():
    missing = [
        k.name for k in registry.all_kinds() if k.read_filter is not None and k.name not in SAMPLE_PARAMS
    ]
    assert not missing, f"add sample params for {missing} to SAMPLE_PARAMS"


def test_the_matrix_walks_every_kind_of_the_apps():
    assert {
        "residents.person_export",
        "ledgers.book_export",
        "certificates.batch_pdf",
        "dashboards.committee_export",
        "dashboards.survey_report",
    } <= set(KINDS)


@pytest.mark.parametrize("reader_name", SESSIONS + TOKENS)
@pytest.mark.parametrize("kind_name", KINDS)
def test_a_job_is_readable_exactly_when_its_kind_may_be_started(
    district, ledger_books, kind_name, reader_name
):
    kind = registry.find(kind_name)
    user, api, page, may_start = _reader(district, reader_name, kind)
    params = SAMPLE_PARAMS.get(kind_name, lambda district, reader: {})(district, user)
    colleague = _user("committee-0101-b", Role.COMMITTEE, committee=district.c11)
    in_committee = scoping.unit_scope_of(colleague)  # committee 0101: every reader here covers it
    own = make_job(kind_name, by=user, scope=scoping.unit_scope_of(user), params=params)
    others = make_job(kind_name, by=colleague, scope=in_committee, params=params)
    failed = make_job(kind_name, by=colleague, scope=in_committee, params=params, state=Job.State.FAILED)
    ok = lambda status: status if may_start else 404  # noqa: E731

    listed = {row["id"] for row in api.get(API, {"kind": kind_name}).data["results"]}
    assert (own.pk in listed, others.pk in listed, failed.pk in listed) == (may_start,) * 3
    for job in (own, others):
        detail = api.get(f"{API}{job.pk}/")
        assert detail.status_code == ok(200)
        assert SEARCHED_ID not in detail.content.decode()
        assert api.get(f"{API}{job.pk}/download/").status_code == ok(200)
    assert api.post(f"{API}{failed.pk}/retry/").status_code == ok(202)

    if page is not None:  # a browser session: the pages too
        mine = {job.pk for job in page.get(reverse("jobs:list")).context["page"].object_list}
        assert (own.pk in mine) == may_start
        for job in (own, others):
            detail = page.get(reverse("jobs:detail", args=[job.pk]))
            assert detail.status_code == ok(200)
            assert SEARCHED_ID not in detail.content.decode()
            assert page.get(reverse("jobs:progress", args=[job.pk])).status_code == ok(200)
            assert page.get(reverse("jobs:download", args=[job.pk])).status_code == ok(200)
        Job.objects.filter(pk=failed.pk).update(state=Job.State.FAILED)  # the API retry queued it
        assert page.post(reverse("jobs:retry", args=[failed.pk])).status_code == ok(302)

    denied = AuditLog.objects.filter(action="access.out_of_scope", actor=user, object_id=str(others.pk))
    assert denied.exists() != may_start
    downloads = AuditLog.objects.filter(action="job.download", object_id=str(others.pk))
    assert downloads.exists() == may_start
