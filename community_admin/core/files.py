"""Sending a file: a stored private file (evidence, receipts, opinion scans, activity attachments, job results)
or an export made for the request. Always as an attachment under a name of ours (Chinese, with an ASCII
fallback), never rendered or sniffed by the browser, never kept by a cache; a stored file's download is audited.

A download view finds the object through its app's selector (`scoping.get_in_scope_or_404`: out of scope is the
same 404 as missing) and hands it here with a way to open its file; this writes the one audit row."""

import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePath
from typing import IO
from urllib.parse import quote

from django.db import models
from django.http import FileResponse, Http404, HttpResponse

from community_admin.core import audit

# The browser may not run, frame or fetch anything from the file even if it were opened in place.
SANDBOX_POLICY = "sandbox; default-src 'none'"
NO_STORE = "private, no-store"
ASCII_FALLBACK = "download"
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_filename(filename: str) -> str:
    """The name for clients that ignore `filename*`: its ASCII letters, digits, dots, dashes and underscores
    (runs of anything else become one "_"), the extension kept; "download" when nothing of the stem is left."""
    path = PurePath(filename)
    folded = unicodedata.normalize("NFKD", path.stem).encode("ascii", "ignore").decode()
    stem = _NOT_TOKEN.sub("_", folded).strip("._-")
    suffix = _NOT_TOKEN.sub("", path.suffix)
    return f"{stem or ASCII_FALLBACK}{suffix if len(suffix) > 1 else ''}"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII `filename` and (RFC 5987/6266) the real name as `filename*=UTF-8''…`."""
    return f"attachment; filename=\"{ascii_filename(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _secure(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = NO_STORE
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def attachment_response(content: bytes | IO[bytes], *, filename: str, content_type: str) -> HttpResponse:
    """A file made for this request (an export, the import template) sent as an attachment: `content` is bytes
    or an open binary file (streamed, closed by the response). Not audited here: the export's service is."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=content_type)
    else:
        response = FileResponse(content, content_type=content_type)
    return _secure(response, filename)


def private_file_response(
    request,
    *,
    obj: models.Model,
    open: Callable[[], IO[bytes]],  # noqa: A002 -- reads as what it is at the call site
    filename: str,
    content_type: str,
    action: str,
    details: dict | None = None,
) -> HttpResponse:
    """The stored file of `obj` (already found in the caller's scope) as an attachment. `open()` returns the
    file opened for reading (closed by the response); a file missing from storage is a 404 and no audit row.
    One audit row per download: `action` on `obj`, with the file's name, its type and `details`."""
    try:
        handle = open()
    except FileNotFoundError:
        raise Http404 from None
    audit.record(
        actor=request.user,
        action=action,
        obj=obj,
        details={"file": filename, "content_type": content_type, **(details or {})},
    )
    return attachment_response(handle, filename=filename, content_type=content_type)
