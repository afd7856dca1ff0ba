"""The bad-input sweep's file uploads (issue 10, item 6): every endpoint that takes a file, page form and API
operation, as a role that may use it, given hostile file names, wrong content, an empty file and a file
above the app's size limit.

What must hold:
- never a 5xx;
- wrong content (HTML, an ELF executable, plain text, each renamed .pdf/.png/.xlsx), an empty file and a
  file above the limit are refused with a 4xx naming the field (API: the JSON error's key; pages: the field
  marked invalid or the app's message that names it), nothing is written to the database (sweep.py's write
  watch) and no file is written anywhere: the storage roots (MEDIA_ROOT and each app's storage, pointed at a
  tmp dir), the directories above them and the upload temp dir are listed before and after;
- a valid file under a hostile name (path traversal with either separator, an absolute path, a drive letter,
  a NUL, 1,000 characters, markup) is accepted; what is stored lands inside its storage root under a random
  name that carries nothing of the client's name, and the pages that show the name show it escaped.

Django's own multipart parser strips path parts and non-printable characters before the app sees a name;
the app's helper (community_admin/core/uploads.py) does it again for callers that are not a request. The
requests here are encoded by hand: the test client would take the basename of the names first."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from community_admin.accounts.models import Role
from tests.security import sweep
from tests.security.test_route_matrix import extra  # noqa: F401 - the fixture of the route matrix's objects

pytestmark = pytest.mark.sweep

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML = b"<html><body><script>alert(1)</script></body></html>"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56
TEXT = "这不是一个文件，只是一段文字。\n".encode()
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

HOSTILE_NAMES = {
    "traversal-slash": "../../x{ext}",
    "traversal-backslash": "..\\..\\x{ext}",
    "absolute": "/etc/passwd",
    "drive-letter": "C:\\x{ext}",
    "nul": "a\x00b{ext}",
    "long-250": "长" * 250 + "{ext}",  # kept as display text bounded to 200 characters
    "markup-script": SCRIPT + "{ext}",
    "markup-img": IMG + "{ext}",  # no "/": the whole name reaches the app and the pages
}
# 1,000 characters do not fit in a multipart part's headers (Django's parser allows 1,024 bytes): Django
# refuses the request (400) before the app sees it. It must still write nothing, anywhere.
TOO_LONG_NAME = "a" * 995 + "{ext}"
RANDOM_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg)$")
TINY_LIMIT = 64  # bytes: a file above the limit without a large file


# ---------------------------------------------------------------------------------------- the endpoints


@dataclass(frozen=True)
class Endpoint:
    id: str
    kind: str  # "page" | "api"
    role: str
    field: str  # the multipart field the file goes in
    error_field: str  # API: the key the refusal names
    named: str  # pages: a pattern only a refusal naming the field matches (when no input is marked invalid)
    valid: bytes | None  # valid content (None: build it, see `valid_content`)
    extension: str
    limit: str  # the setting holding the size limit
    storage: str | None  # the storage an accepted file lands in (None: read, never stored)
    build: Callable  # (ctx) -> (url, fields, other files)
    shows: Callable | None = None  # (ctx, response) -> pages that show the stored name


def _certificate_type():
    from community_admin.certificates.models import CertificateType

    return CertificateType.objects.get(code="kinship")


def _issue(ctx, *, api: bool):
    kinship = _certificate_type()
    person = ctx.extra["persons"]["A1"]
    fields = {
        "person": person.pk,
        "certificate_type": kinship.code if api else kinship.pk,
        "purpose": "办理",
    }
    others = {f"evidence_{i}": ("ok.pdf", PDF) for i in range(1, len(kinship.required_evidence))}
    url = "/api/v1/certificates/" if api else reverse("certificates:issue")
    return url, fields, others


def _certificate_pages(ctx, response) -> list[str]:
    from community_admin.certificates.models import Certificate

    newest = Certificate.objects.order_by("-pk").first()
    return [reverse("certificates:detail", args=[newest.pk])]


def _activity_pages(ctx, response) -> list[str]:
    return [reverse("services:activity-detail", args=[ctx.extra["services"]["activity"]["A1"].pk])]


def _secondment_pages(ctx, response) -> list[str]:
    return [reverse("staff:secondment-detail", args=[ctx.staff.secondments["a1"].pk])]


def _expenditure_pages(ctx, response) -> list[str]:
    return [reverse("funding:expenditure-list")]


def _expenditure_fields() -> dict:
    return {
        "spent_on": timezone.localdate().isoformat(),
        "category": "printing",
        "amount": "12.50",
        "description": "复印",
    }


ENDPOINTS = [
    Endpoint(
        "residents:import",
        "page",
        Role.COMMITTEE,
        "file",
        "file",
        "文件：",
        None,
        ".xlsx",
        "IMPORT_MAX_BYTES",
        None,
        lambda ctx: (
            reverse("residents:import"),
            {"committee": ctx.world.committee_a1.pk, "dry_run": "on"},
            {},
        ),
    ),
    Endpoint(
        "ledgers:book-import",
        "page",
        Role.COMMITTEE,
        "file",
        "file",
        "文件：",
        None,
        ".xlsx",
        "IMPORT_MAX_BYTES",
        None,
        lambda ctx: (
            reverse("ledgers:book-import", args=[ctx.extra["books"]["zz_rented_housing"].pk]),
            {"committee": "A1", "period": ""},
            {},
        ),
    ),
    Endpoint(
        "certificates:issue",
        "page",
        Role.COMMITTEE,
        "evidence_0",
        "evidence",
        r'role="alert">[^<]*证明材料“',
        PDF,
        ".pdf",
        "CERTIFICATES_EVIDENCE_MAX_BYTES",
        "evidence",
        lambda ctx: _issue(ctx, api=False),
        _certificate_pages,
    ),
    Endpoint(
        "certificate-list (POST)",
        "api",
        Role.COMMITTEE,
        "evidence_0",
        "evidence",
        "",
        PDF,
        ".pdf",
        "CERTIFICATES_EVIDENCE_MAX_BYTES",
        "evidence",
        lambda ctx: _issue(ctx, api=True),
        _certificate_pages,
    ),
    Endpoint(
        "services:attachment-upload",
        "page",
        Role.COMMITTEE,
        "file",
        "file",
        "文件：",
        PNG,
        ".png",
        "SERVICES_ATTACHMENT_MAX_BYTES",
        "services_files",
        lambda ctx: (
            reverse("services:attachment-upload", args=[ctx.extra["services"]["activity"]["A1"].pk]),
            {},
            {},
        ),
        _activity_pages,
    ),
    Endpoint(
        "activity-attachments",
        "api",
        Role.COMMITTEE,
        "file",
        "file",
        "",
        PNG,
        ".png",
        "SERVICES_ATTACHMENT_MAX_BYTES",
        "services_files",
        lambda ctx: (f"/api/v1/activities/{ctx.extra['services']['activity']['A1'].pk}/attachments/", {}, {}),
        _activity_pages,
    ),
    Endpoint(
        "staff:secondment-step (opinion)",
        "page",
        Role.STREET,
        "file",
        "file",
        r'data-testid="error">[^<]*书面意见扫描件',
        PDF,
        ".pdf",
        "STAFF_OPINION_MAX_BYTES",
        "default",
        lambda ctx: (
            reverse("staff:secondment-step", args=[ctx.staff.secondments["a1"].pk]),
            {"action": "opinion", "side": "receiving", "text": ""},
            {},
        ),
        _secondment_pages,
    ),
    Endpoint(
        "staff-secondment-opinion",
        "api",
        Role.STREET,
        "file",
        "file",
        "",
        PDF,
        ".pdf",
        "STAFF_OPINION_MAX_BYTES",
        "default",
        lambda ctx: (
            f"/api/v1/staff/secondments/{ctx.staff.secondments['a1'].pk}/opinion/",
            {"side": "receiving", "text": ""},
            {},
        ),
        _secondment_pages,
    ),
    Endpoint(
        "funding:expenditure-create",
        "page",
        Role.COMMITTEE,
        "receipt",
        "receipt",
        r'data-testid="error">[^<]*票据',
        PDF,
        ".pdf",
        "FUNDING_RECEIPT_MAX_BYTES",
        "default",
        lambda ctx: (reverse("funding:expenditure-create"), _expenditure_fields(), {}),
        _expenditure_pages,
    ),
    Endpoint(
        "funding-expenditure-list (POST)",
        "api",
        Role.COMMITTEE,
        "receipt",
        "receipt",
        "",
        PDF,
        ".pdf",
        "FUNDING_RECEIPT_MAX_BYTES",
        "default",
        lambda ctx: ("/api/v1/funding/expenditures/", _expenditure_fields(), {}),
        _expenditure_pages,
    ),
]


# ------------------------------------------------------------------------------------------- the world


class Context:
    def __init__(self, world, objects, root: Path):
        self.world, self.extra, self.root = world, objects, root
        self.clients: dict[str, Client] = {}

    def client(self, role: str) -> Client:
        if role not in self.clients:
            client = Client(raise_request_exception=False)
            client.force_login(self.world.user(role))
            self.clients[role] = client
        return self.clients[role]

    @property
    def staff(self):
        from tests.staff.factories import staff_objects

        return staff_objects(self.world)


def _xlsx() -> bytes:
    """A real workbook (the registry's import template): a zip that passes the file check."""
    from openpyxl import Workbook

    out = io.BytesIO()
    book = Workbook()
    book.active.append(["示例"])
    book.save(out)
    return out.getvalue()


def valid_content(endpoint: Endpoint) -> bytes:
    return endpoint.valid if endpoint.valid is not None else _xlsx()


@pytest.fixture
def ctx(world, extra, settings, tmp_path):  # noqa: F811 - `extra` is the route matrix's fixture
    # the objects the endpoints need, built first: their own files go where the route matrix puts them
    for key in ("persons", "services", "books", "certificates", "funding"):
        extra[key]  # noqa: B018
    staff = Context(world, extra, tmp_path).staff
    assert staff.secondments["a1"]
    # every storage an upload may reach, three levels below tmp_path: a `../../` that escaped would still
    # land inside tmp_path, which is listed whole
    media = tmp_path / "d1" / "d2" / "d3" / "media"
    settings.MEDIA_ROOT = media
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "upload-tmp")
    (tmp_path / "upload-tmp").mkdir()
    stores = {
        name: {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media / name), "base_url": None},
        }
        for name in ("evidence", "services_files", "job_results")
    }
    settings.STORAGES = {**settings.STORAGES, **stores}
    cache.clear()
    return Context(world, extra, tmp_path)


def storage_root(alias: str) -> Path:
    if alias == "default":
        return Path(django_settings.MEDIA_ROOT)
    return Path(django_settings.STORAGES[alias]["OPTIONS"]["location"])


def files_on_disk(ctx: Context) -> set[Path]:
    """Every file below tmp_path (the storage roots, the upload temp dir and the three levels above the
    roots, where `../../` would land) and in the working directory (where a relative `C:\\x.pdf` would).
    Other test processes write elsewhere: nothing here is shared with them."""
    found = {p for p in ctx.root.rglob("*") if p.is_file()}
    return found | {p for p in Path.cwd().glob("*") if p.is_file()}


# ------------------------------------------------------------------------------------------ the requests


def multipart(fields: dict, files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """A multipart body with file names exactly as given (Django's test client would take their basename)."""
    boundary = f"----upload{uuid.uuid4().hex}"
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, content in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def send(ctx: Context, endpoint: Endpoint, filename: str, content: bytes):
    cache.clear()
    url, fields, others = endpoint.build(ctx)
    files = [(endpoint.field, filename, content)] + [(k, n, c) for k, (n, c) in others.items()]
    body, content_type = multipart(fields, files)
    return ctx.client(endpoint.role).post(
        url, body, content_type=content_type, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )


def _status(response) -> str:
    exc = getattr(response, "exc_info", None)
    return f"{response.status_code} {exc[1]!r}" if exc else str(response.status_code)


def names_the_field(endpoint: Endpoint, response) -> bool:
    body = response.content.decode(errors="replace")
    if endpoint.kind == "api":
        try:
            return endpoint.error_field in sweep.json_keys(response.json())
        except ValueError:
            return False
    return endpoint.field in sweep.invalid_fields(body) or bool(
        endpoint.named and re.search(endpoint.named, body)
    )


# --------------------------------------------------------------------------------------------- the cases


def refused_uploads(endpoint: Endpoint) -> list[tuple[str, str, bytes]]:
    """(label, file name, content) that must be refused."""
    valid = valid_content(endpoint)
    cases = [("empty", f"empty{endpoint.extension}", b""), ("above-limit", f"big{endpoint.extension}", valid)]
    for label, content in (("html", HTML), ("elf", ELF), ("text", TEXT)):
        for ext in dict.fromkeys((endpoint.extension, ".pdf", ".png", ".xlsx")):
            cases.append((f"{label}-as{ext}", f"x{ext}", content))
    return cases


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.id for e in ENDPOINTS])
def test_uploads_refuse_bad_files_and_tame_hostile_names(ctx, settings, endpoint):
    ctx.client(endpoint.role)  # logged in before the baseline: a login writes (last_login, axes)
    baseline = sweep.fingerprint(sweep.all_tables())
    problems: list[str] = []
    valid = valid_content(endpoint)

    for label, filename, content in refused_uploads(endpoint):
        limit = getattr(settings, endpoint.limit)
        if label == "above-limit":
            setattr(settings, endpoint.limit, TINY_LIMIT)
            content = valid + b"\x00" * (TINY_LIMIT + 1 - len(valid)) if len(valid) <= TINY_LIMIT else valid
        before = files_on_disk(ctx)
        with sweep.rolled_back(baseline) as outcome:
            r = send(ctx, endpoint, filename, content)
        setattr(settings, endpoint.limit, limit)
        where = f"{label} ({filename!r})"
        if r.status_code >= 500:
            problems.append(f"{where}: {_status(r)}")
            continue
        if not 400 <= r.status_code < 500:
            problems.append(f"{where}: accepted ({r.status_code})")
        elif not names_the_field(endpoint, r):
            problems.append(f"{where}: {r.status_code} does not name the field: {r.content[:300]!r}")
        if outcome.written:
            problems.append(f"{where}: refused but wrote {sorted(outcome.written)}")
        new = files_on_disk(ctx) - before
        if new:
            problems.append(f"{where}: refused but left files {sorted(map(str, new))}")

    names = [(label, pattern, False) for label, pattern in HOSTILE_NAMES.items()]
    names.append(("long-1000", TOO_LONG_NAME, True))
    for label, pattern, may_be_refused in names:
        filename = pattern.format(ext=endpoint.extension)
        where = f"name {label}"
        before = files_on_disk(ctx)
        with sweep.rolled_back(baseline) as outcome:
            r = send(ctx, endpoint, filename, valid)
            shown = []
            if r.status_code < 400 and endpoint.storage is not None:
                shown = _shown_escaped(ctx, endpoint, r)  # read before the rollback takes the row away
        new = files_on_disk(ctx) - before
        problems += [f"{where}: {p}" for p in _check_accepted(endpoint, r, outcome, new, may_be_refused)]
        problems += [f"{where}: {p}" for p in shown]
        for path in new:  # the row was rolled back: its file goes too, so the next request starts clean
            path.unlink(missing_ok=True)
    assert not problems, f"{endpoint.id} as {endpoint.role}:\n  " + "\n  ".join(problems)


def _check_accepted(endpoint: Endpoint, r, outcome, new: set[Path], may_be_refused: bool) -> list[str]:
    """A valid file under a hostile name: accepted, stored inside the storage root under a random name."""
    if r.status_code >= 500:
        return [_status(r)]
    body = r.content.decode(errors="replace")
    problems = []
    html = "html" in r.get("Content-Type", "")  # a JSON answer carries the name as JSON text
    if html and (sweep.unescaped_markup(body) or IMG in body or SCRIPT in body):
        problems.append("the answer shows the name's markup unescaped")
    if endpoint.storage is None:  # an import: read, never stored
        if endpoint.field in sweep.invalid_fields(body):
            problems.append("a valid workbook was refused for its name")
        if new:
            problems.append(f"an import left files {sorted(map(str, new))}")
        return problems
    if r.status_code >= 400:
        if not may_be_refused:
            return [*problems, f"a valid file was refused ({r.status_code}): {body[:300]!r}"]
        if outcome.written or new:
            problems.append(f"refused ({r.status_code}) but wrote {sorted(outcome.written)}, files {new}")
        return problems
    if not outcome.written:
        problems.append(f"accepted ({r.status_code}) but wrote nothing")
    root = storage_root(endpoint.storage).resolve()
    if not new:
        problems.append("accepted but no file was stored")
    for path in new:
        if not path.resolve().is_relative_to(root):
            problems.append(f"stored outside {root}: {path}")
        elif not RANDOM_NAME.match(path.name):
            problems.append(f"stored name {path.name!r} is not a random name")
    return problems


def _shown_escaped(ctx: Context, endpoint: Endpoint, response) -> list[str]:
    """The recorded display name keeps no path part, NUL or control character and is bounded; the pages that
    show it show its markup escaped."""
    problems = []
    shown = _newest_display_name(endpoint)
    if any(c in shown for c in "/\\") or any(ord(c) < 32 for c in shown) or len(shown) > 200:
        problems.append(f"the recorded display name is {shown!r}")
    if endpoint.shows is None:
        return problems
    client = ctx.client(endpoint.role)
    for url in endpoint.shows(ctx, response):
        page = client.get(url)
        if page.status_code != 200:
            problems.append(f"page {url} answered {_status(page)}")
            continue
        body = page.content.decode(errors="replace")
        for markup in (SCRIPT, IMG):
            if markup in body:
                problems.append(f"page {url} shows {markup} unescaped")
        listed = endpoint.storage in ("evidence", "services_files")  # the pages that list upload names
        if IMG in shown and listed and escape(shown) not in body:
            problems.append(f"page {url} does not show the name {shown!r} (escaped)")
    return problems


def _newest_display_name(endpoint: Endpoint) -> str:
    """The name the newest upload of the endpoint's app recorded for display."""
    from community_admin.certificates.models import Evidence
    from community_admin.community_services.models import ActivityAttachment
    from community_admin.funding.models import Expenditure
    from community_admin.staff.models import SecondmentOpinion

    model, field = {
        "evidence": (Evidence, "original_name"),
        "services_files": (ActivityAttachment, "original_name"),
        "receipt": (Expenditure, "receipt_name"),
        "file": (SecondmentOpinion, "file_name"),
    }[endpoint.storage if endpoint.storage != "default" else endpoint.error_field]
    return model.objects.order_by("-pk").values_list(field, flat=True).first() or ""


# ------------------------------------------------------------------------------ the helper, called directly


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd"),
        ("C:\\x.pdf", "x.pdf"),
        ("C:x.pdf", "x.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        ("a\u202egpj.exe", "agpj.exe"),
        ("行\n政\r.pdf", "行政.pdf"),
        ("..", "未命名"),
        ("", "未命名"),
        (None, "未命名"),
        (SCRIPT + ".pdf", "script>.pdf"),  # "/" is a path separator
        (IMG + ".pdf", IMG + ".pdf"),  # text, escaped where shown
    ],
)
def test_display_names_keep_no_path_or_control_characters(given, shown):
    from community_admin.core import uploads

    assert uploads.display_name(given) == shown


def test_display_names_are_bounded_keeping_the_extension():
    from community_admin.core import uploads

    name = uploads.display_name("长" * 1000 + ".pdf")
    assert len(name) == uploads.DISPLAY_NAME_MAX and name.endswith(".pdf")


@pytest.mark.parametrize(
    ("head", "kinds", "kind"),
    [
        (PDF, "DOCUMENTS", "PDF"),
        (PNG, "DOCUMENTS", "PNG"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 12, "DOCUMENTS", "JPEG"),
        (HTML, "DOCUMENTS", None),
        (ELF, "DOCUMENTS", None),
        (b"PK\x03\x04" + b"\x00" * 12, "DOCUMENTS", None),
        (b"PK\x03\x04" + b"\x00" * 12, "SPREADSHEETS", "XLSX"),
        (PDF, "SPREADSHEETS", None),
    ],
)
def test_the_kind_is_sniffed_from_the_first_bytes(head, kinds, kind):
    from community_admin.core import uploads

    found = uploads.sniff(head, getattr(uploads, kinds))
    assert found == (getattr(uploads, kind) if kind else None)


def test_stored_names_are_random_and_carry_only_the_sniffed_extension():
    from community_admin.core import uploads

    names = {uploads.stored_name("a/b/", uploads.PDF.extension) for _ in range(50)}
    assert len(names) == 50
    assert all(re.fullmatch(r"a/b/[0-9a-f]{32}\.pdf", n) for n in names)
