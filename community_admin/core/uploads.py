"""Uploaded files, checked the same way everywhere (certificates evidence, activity attachments, secondment
opinions, funding receipts, registry and ledger imports):

- the kind is decided by the file's first bytes, never by its name or what the browser says;
- the size is checked before the file is read into memory, against the app's limit (a setting);
- the stored name is random (`stored_name`), never derived from the uploader's name;
- the uploader's name is kept only as display text (`display_name`): no path parts, no NUL or control
  characters, bounded in length.

Each app keeps its own wording: `check` takes the messages, already formatted, and raises them on the app's
field."""

from __future__ import annotations

import io
import os
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    magic: bytes


PDF = Kind("application/pdf", ".pdf", b"%PDF-")
JPEG = Kind("image/jpeg", ".jpg", b"\xff\xd8\xff")
PNG = Kind("image/png", ".png", b"\x89PNG\r\n\x1a\n")
XLSX = Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", b"PK\x03\x04")

DOCUMENTS = (PDF, JPEG, PNG)  # scans and photos
SPREADSHEETS = (XLSX,)  # an .xlsx is a zip archive: its first bytes are a zip's

HEAD_BYTES = 16
DISPLAY_NAME_MAX = 200
MB = 1024 * 1024


def sniff(head: bytes, kinds: tuple[Kind, ...] = DOCUMENTS) -> Kind | None:
    """The kind among `kinds` whose magic bytes `head` starts with; None for anything else."""
    return next((kind for kind in kinds if head.startswith(kind.magic)), None)


def head_of(upload, n: int = HEAD_BYTES) -> bytes:
    """The first `n` bytes of an uploaded file (or bytes), leaving the file at its start."""
    if isinstance(upload, (bytes, bytearray)):
        return bytes(upload[:n])
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def size_of(upload) -> int:
    if isinstance(upload, (bytes, bytearray)):
        return len(upload)
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    return size


def read_all(upload) -> bytes:
    """The whole file, leaving it at its start. Call only after `check` has bounded the size."""
    if isinstance(upload, (bytes, bytearray)):
        return bytes(upload)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def check(
    upload,
    *,
    field: str | None,
    max_bytes: int,
    kinds: tuple[Kind, ...] = DOCUMENTS,
    too_large: str,
    wrong_kind: str,
    empty: str | None = None,
) -> Kind:
    """The upload's kind, or a ValidationError on `field` with the app's message: empty, above `max_bytes`
    (judged by the declared size before anything is read) or not one of `kinds` by its first bytes.
    `field=None` raises the bare message (a form's `clean_<field>`)."""

    def refuse(message: str):
        return ValidationError({field: message} if field else message)

    size = size_of(upload)
    if size == 0:
        raise refuse(empty or wrong_kind)
    if size > max_bytes:
        raise refuse(too_large)
    kind = sniff(head_of(upload), kinds)
    if kind is None:
        raise refuse(wrong_kind)
    return kind


ERR_WORKBOOK_SIZE = "文件：不能超过 {mb} MB。"
ERR_WORKBOOK_TYPE = "文件：请上传 .xlsx 格式的 Excel 文件。"


def check_workbook(upload) -> Kind:
    """An import's workbook, in a form's `clean_<field>`: an .xlsx by its first bytes, within IMPORT_MAX_BYTES,
    and within IMPORT_MAX_UNPACKED_BYTES once unpacked (judged from the zip's directory, nothing inflated).
    The import reads it within the rest of the bounds (core.xlsx.open_import)."""
    from community_admin.core import xlsx  # xlsx builds on this module

    limit = settings.IMPORT_MAX_BYTES
    kind = check(
        upload,
        field=None,
        max_bytes=limit,
        kinds=SPREADSHEETS,
        too_large=ERR_WORKBOOK_SIZE.format(mb=megabytes(limit)),
        wrong_kind=ERR_WORKBOOK_TYPE,
    )
    source = io.BytesIO(upload) if isinstance(upload, (bytes, bytearray)) else upload
    try:
        xlsx.check_archive(source).close()
    except xlsx.WorkbookRefused as refused:
        unreadable = refused.message == xlsx.ERR_UNREADABLE
        raise ValidationError(ERR_WORKBOOK_TYPE if unreadable else f"文件：{refused.message}") from refused
    finally:
        source.seek(0)
    return kind


def megabytes(limit: int) -> int:
    """A limit in whole MB for a message ("不能超过 5 MB"); at least 1 so a tiny test limit still reads."""
    return max(1, limit // MB)


def stored_name(folder: str, extension: str) -> str:
    """A random name under `folder` with the extension of the sniffed kind (`Kind.extension`): nothing of the
    uploader's name reaches the disk."""
    return f"{folder.strip('/')}/{secrets.token_hex(16)}{extension}"


def extension_of(content_type: str, default: str = ".bin") -> str:
    """The extension stored for a sniffed content type."""
    return next((k.extension for k in (*DOCUMENTS, *SPREADSHEETS) if k.content_type == content_type), default)


def _shown(c: str) -> str:
    category = unicodedata.category(c)
    if category[0] == "C":  # control, format (bidi overrides), unassigned, private use
        return ""
    return " " if category[0] == "Z" else c  # line and paragraph separators, odd spaces


def display_name(name: str | None, *, max_length: int = DISPLAY_NAME_MAX, default: str = "未命名") -> str:
    """The uploader's file name as text to show: the last path part (either separator), without NUL, control
    or format characters (a right-to-left override can disguise an extension), bounded in length keeping
    the extension. Still untrusted text: templates escape it."""
    name = str(name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(_shown(c) for c in name)
    name = name.strip(" .")
    if ":" in name[:3]:  # a drive letter left behind ("C:x.pdf")
        name = name.split(":", 1)[1].strip(" .")
    if not name:
        return default
    if len(name) > max_length:
        stem, ext = os.path.splitext(name)
        ext = ext[:16]
        name = stem[: max_length - len(ext)] + ext
    return name
