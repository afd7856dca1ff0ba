"""Supporting evidence files: the type is decided by the file's first bytes, never by its name or the
browser's word, and the stored name is random (the uploader's name is only recorded)."""

import hashlib
import secrets

from django.conf import settings
from django.core.files.storage import storages

from certificates.models import Evidence

SIGNATURES = (
    (b"%PDF-", Evidence.Kind.PDF, ".pdf"),
    (b"\xff\xd8\xff", Evidence.Kind.JPEG, ".jpg"),
    (b"\x89PNG\r\n\x1a\n", Evidence.Kind.PNG, ".png"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, JPEG or PNG by its magic bytes; None for anything else."""
    for magic, kind, extension in SIGNATURES:
        if head.startswith(magic):
            return str(kind), extension
    return None


def max_bytes() -> int:
    return settings.CERTIFICATES_EVIDENCE_MAX_BYTES


def storage():
    return storages["evidence"]


def read_all(upload) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    if hasattr(upload, "seek"):
        upload.seek(0)
    return data


def store(data: bytes, *, folder: str, extension: str) -> tuple[str, str]:
    """Save `data` under a random name in `folder`; returns (stored name, sha256)."""
    from django.core.files.base import ContentFile

    name = storage().save(f"{folder}/{secrets.token_hex(16)}{extension}", ContentFile(data))
    return name, hashlib.sha256(data).hexdigest()
