"""Sending a stored private file (evidence, receipts, opinion scans, activity attachments, job results): always as
an attachment under a name of ours, never rendered by the browser, never kept by a cache, and audited."""

from django.http import FileResponse

from community_admin.core import audit

# The browser may not run, frame or fetch anything from the file even if it were opened in place.
SANDBOX_POLICY = "sandbox; default-src 'none'"
NO_STORE = "private, no-store"


def private_file_response(
    request,
    *,
    file,
    filename: str,
    content_type: str,
    object_type: str,
    object_id,
    audit_row: bool = True,
    details: dict | None = None,
) -> FileResponse:
    """`file` is an open binary file (closed by the response). `filename` may be Chinese: FileResponse writes it
    as RFC 5987 `filename*=utf-8''…` with an ASCII fallback. The audit row `file.download` names the object;
    `audit_row=False` only where the caller's service has written the download's own row already."""
    if audit_row:
        audit.record(
            actor=request.user,
            action="file.download",
            object_type=object_type,
            object_id=str(object_id),
            details={"file": filename, "content_type": content_type, **(details or {})},
        )
    response = FileResponse(file, as_attachment=True, filename=filename, content_type=content_type)
    response["Cache-Control"] = NO_STORE
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response
