from io import BytesIO

from django.test import RequestFactory

from community_admin.core.files import private_file_response
from community_admin.core.models import AuditLog


def test_a_private_file_is_an_uncached_sandboxed_attachment_and_its_download_is_audited(world):
    request = RequestFactory().get("/")
    request.user = world.committee_user
    response = private_file_response(
        request,
        file=BytesIO(b"%PDF-1.4"),
        filename="居住证明-1.pdf",
        content_type="application/pdf",
        object_type="certificates.evidence",
        object_id=7,
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert (response["Cache-Control"], response["X-Content-Type-Options"]) == ("private, no-store", "nosniff")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    row = AuditLog.objects.get(action="file.download")
    assert (row.object_type, row.object_id, row.details["file"]) == (
        "certificates.evidence",
        "7",
        "居住证明-1.pdf",
    )


def test_a_download_its_service_audited_writes_no_second_row(world):
    request = RequestFactory().get("/")
    request.user = world.committee_user
    private_file_response(
        request,
        file=BytesIO(b"x"),
        filename="a.xlsx",
        content_type="application/octet-stream",
        object_type="jobs.job",
        object_id=1,
        audit_row=False,
    )
    assert not AuditLog.objects.exists()
