"""core.files: the one way a file leaves the server. Every download route of a stored private file answers
through `private_file_response` (walked below with the security matrix's objects); no module builds a
`Content-Disposition` or a FileResponse of its own."""

import re
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

import community_admin
from community_admin.accounts.models import Role
from community_admin.core.files import (
    ascii_filename,
    attachment_response,
    content_disposition,
    private_file_response,
)
from community_admin.core.models import AuditLog
from tests.security.test_route_matrix import ROUTES, extra  # noqa: F401 -- `extra` is the matrix's fixture

# Every route that sends a stored private file, with its audit action and the object type it names.
DOWNLOADS = {
    "certificates:evidence": ("certificate.evidence_open", "certificates.evidence"),
    "services:attachment-download": ("activity.attachment_download", "services.activityattachment"),
    "staff:opinion-file": ("secondment.opinion_download", "staff.secondmentopinion"),
    "funding:receipt": ("expenditure.receipt_download", "funding.expenditure"),
    "jobs:download": ("job.download", "jobs.job"),
    "job-download": ("job.download", "jobs.job"),
}
HELPER = Path(community_admin.__file__).parent / "core" / "files.py"


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def _filename_star(response) -> str:
    match = re.search(r"filename\*=UTF-8''([^;]+)", response["Content-Disposition"])
    assert match, response["Content-Disposition"]
    return unquote(match.group(1))


def test_a_private_file_is_an_uncached_sandboxed_attachment_with_one_audit_row(world):
    evidence = world.committee_a1  # any model instance: the row names it
    response = private_file_response(
        _request(world.committee_user),
        obj=evidence,
        open=lambda: BytesIO(b"%PDF-1.4"),
        filename="居住证明-1.pdf",
        content_type="application/pdf",
        action="certificate.evidence_open",
        details={"serial": "S-1"},
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"1.pdf\"; filename*=UTF-8''%E5%B1%85%E4%BD%8F%E8%AF%81%E6%98%8E-1.pdf"
    )
    assert (response["Cache-Control"], response["X-Content-Type-Options"]) == ("private, no-store", "nosniff")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == b"%PDF-1.4"
    row = AuditLog.objects.get()
    assert (row.actor, row.action, row.object_type, row.object_id) == (
        world.committee_user,
        "certificate.evidence_open",
        "org.committee",
        str(evidence.pk),
    )
    assert row.details == {"file": "居住证明-1.pdf", "content_type": "application/pdf", "serial": "S-1"}


def test_a_file_missing_from_storage_is_a_404_and_no_audit_row(world):
    def gone():
        raise FileNotFoundError("x")

    with pytest.raises(Http404):
        private_file_response(
            _request(world.committee_user),
            obj=world.committee_a1,
            open=gone,
            filename="a.pdf",
            content_type="application/pdf",
            action="x.download",
        )
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("支出12-票据.png", "12.png"),
        ("人员名单-20260301.xlsx", "20260301.xlsx"),
        ("2026年社区工作调研报告.pdf", "2026.pdf"),
        ("人口导入模板.xlsx", "download.xlsx"),
        ('a "quoted"\\name;.xlsx', "a_quoted_name.xlsx"),
        ("payroll-A1-202603.xlsx", "payroll-A1-202603.xlsx"),
        ("Ｆｕｌｌ　ｗｉｄｔｈ.pdf", "Full_width.pdf"),
    ],
)
def test_the_ascii_fallback_is_a_plain_token_and_the_chinese_name_round_trips(name, fallback):
    assert ascii_filename(name) == fallback
    header = content_disposition(name)
    assert header.startswith(f'attachment; filename="{fallback}"; ')
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == name
    assert header.isascii()


def test_an_export_made_for_the_request_has_the_same_headers(world):
    for content in (b"PK\x03\x04", BytesIO(b"PK\x03\x04")):
        response = attachment_response(content, filename="人员名单.xlsx", content_type="application/x-test")
        assert _filename_star(response) == "人员名单.xlsx"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/x-test"
    assert not AuditLog.objects.exists()  # the export's own service audits it


def test_no_module_sends_a_file_but_core_files():
    """One helper: no other module builds a FileResponse or a Content-Disposition header."""
    root = Path(community_admin.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path != HELPER and re.search(r"\bFileResponse\b|Content-Disposition", path.read_text("utf-8"))
    ]
    assert not offenders


def test_every_view_that_sends_a_stored_file_is_walked_here():
    """A new download route joins DOWNLOADS (and so the test below)."""
    from tests.security.test_route_matrix import project_routes

    resolver_names = set(project_routes())
    assert set(DOWNLOADS) <= resolver_names
    root = Path(community_admin.__file__).parent
    callers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path != HELPER and "private_file_response(" in path.read_text("utf-8")
    )
    assert callers == [
        "certificates/views.py",
        "community_services/views/activities.py",
        "funding/views.py",
        "jobs/api/views.py",
        "jobs/views.py",
        "staff/views/secondments.py",
    ]


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_every_download_route_answers_through_the_private_file_response(world, extra, login, name):  # noqa: F811
    action, object_type = DOWNLOADS[name]
    route = ROUTES[name]
    in_scope, out_of_scope = route.scope(world, Role.COMMITTEE, extra)
    client = login(world.committee_user)
    before = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = client.get(reverse(name, kwargs={"pk": in_scope}))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    filename = _filename_star(response)
    assert response["Content-Disposition"].startswith(f'attachment; filename="{ascii_filename(filename)}"; ')
    (row,) = AuditLog.objects.filter(pk__gt=before)  # one row per download
    assert (row.actor, row.action, row.object_type, row.object_id) == (
        world.committee_user,
        action,
        object_type,
        str(in_scope),
    )
    assert row.details["file"] == filename

    assert client.get(reverse(name, kwargs={"pk": out_of_scope})).status_code == 404
    assert not AuditLog.objects.filter(pk__gt=row.pk, action=action).exists()
