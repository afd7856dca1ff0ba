"""Key generation and lookup for department API tokens. Keys are random, so a SHA-256 hash is enough."""

import hashlib
import hmac
import secrets

from django.db.models import Q
from django.utils import timezone

from community_admin.accounts.models import ApiToken

KEY_PREFIX = "ca"


def generate_key() -> tuple[str, str, str]:
    """Return (key, prefix, hash). The key is `ca_<prefix>_<secret>`."""
    prefix = secrets.token_hex(5)
    key = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, hash_key(key)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def find_active(key: str) -> ApiToken | None:
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__department")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .filter(Q(expires_at__gt=timezone.now()))
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, hash_key(key)):
        return None
    return token
