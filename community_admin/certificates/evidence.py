"""Supporting evidence files: checked by community_admin.core.uploads (kind by first bytes, size limit), stored
under a random name in the `evidence` storage; the uploader's name is only recorded, as display text."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from community_admin.core import uploads


def max_bytes() -> int:
    return settings.CERTIFICATES_EVIDENCE_MAX_BYTES


def storage():
    return storages["evidence"]


def store(data: bytes, *, folder: str, kind: uploads.Kind) -> tuple[str, str]:
    """Save `data` under a random name in `folder`; returns (stored name, sha256)."""
    name = storage().save(uploads.stored_name(folder, kind.extension), ContentFile(data))
    return name, hashlib.sha256(data).hexdigest()
