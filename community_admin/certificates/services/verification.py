"""Verification lookups by serial and code (public page and API), rate-limited and logged."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from community_admin.certificates import texts
from community_admin.certificates.models import Certificate, VerificationLookup


@dataclass(frozen=True)
class Verification:
    found: bool
    limited: bool = False
    type_name: str = ""
    committee_name: str = ""
    issued_on: date | None = None
    masked_name: str = ""
    status: str = ""

    @property
    def valid(self) -> bool:
        return self.found and self.status == Certificate.Status.VALID


def _rate_limited(ip: str | None) -> bool:
    """A fixed window per address in the cache (local memory in tests, Redis with REDIS_URL)."""
    key = f"certificates:verify:{ip or 'unknown'}"
    window = settings.VERIFY_RATE_WINDOW_SECONDS
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return False
    return count > settings.VERIFY_RATE_LIMIT


@transaction.atomic
def certificate_verify(
    *, serial: str, code: str, channel: str, ip_address: str | None, user=None
) -> Verification:
    """Look a certificate up by serial and code. A wrong code reads exactly like an unknown serial (one query
    on both); the answer names no one. Every lookup is logged, the limited ones too."""
    serial = (serial or "").strip()[:60]
    code = (code or "").strip()[:32]
    if _rate_limited(ip_address):
        VerificationLookup.objects.create(
            channel=channel,
            ip_address=ip_address,
            user=user if getattr(user, "is_authenticated", False) else None,
            serial=serial,
            outcome=VerificationLookup.Outcome.LIMITED,
        )
        return Verification(found=False, limited=True)
    cert = None
    if serial and code:
        cert = (
            Certificate.objects.select_related("certificate_type", "committee")
            .filter(serial=serial, verification_code=code)
            .first()
        )
    if cert is None:
        outcome = VerificationLookup.Outcome.NOT_FOUND
    elif cert.is_valid:
        outcome = VerificationLookup.Outcome.VALID
    else:
        outcome = VerificationLookup.Outcome.VOIDED
    VerificationLookup.objects.create(
        channel=channel,
        ip_address=ip_address,
        user=user if getattr(user, "is_authenticated", False) else None,
        serial=serial,
        certificate=cert,
        outcome=outcome,
    )
    if cert is None:
        return Verification(found=False)
    return Verification(
        found=True,
        type_name=cert.certificate_type.name,
        committee_name=cert.committee.name,
        issued_on=cert.issued_on,
        masked_name=texts.masked_name(cert.holder_name),
        status=cert.status,
    )
