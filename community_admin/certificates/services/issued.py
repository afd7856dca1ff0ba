"""What is done with an issued certificate or a refusal: voiding, printing, opening the evidence."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from community_admin.accounts.models import Role
from community_admin.certificates.models import Certificate, Refusal
from community_admin.certificates.services.issuing import ERR_ISSUER_NOT_COMMITTEE
from community_admin.core import audit

ERR_VOID_REASON = "作废原因：必须填写。"
ERR_ALREADY_VOIDED = "该证明已作废。"


@transaction.atomic
def certificate_void(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Void a certificate: it keeps its number (the sequence stays gapless) and says why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ERR_VOID_REASON})
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if getattr(actor, "role", None) != Role.COMMITTEE or actor.committee_id != cert.committee_id:
        raise PermissionDenied(ERR_ISSUER_NOT_COMMITTEE)
    if cert.status == Certificate.Status.VOIDED:
        raise ValidationError({"reason": ERR_ALREADY_VOIDED})
    cert.status = Certificate.Status.VOIDED
    cert.voided_at = timezone.now()
    cert.voided_by = actor
    cert.void_reason = reason[:200]
    cert.full_clean(validate_unique=False)
    cert.save()
    audit.record(
        actor=actor, action="certificate.void", obj=cert, details={"serial": cert.serial, "reason": reason}
    )
    return cert


@transaction.atomic
def certificate_print(*, actor, certificate: Certificate) -> bytes:
    """The certificate as PDF. Audited: the document may carry the full ID number."""
    from community_admin.certificates import pdf

    data = pdf.CertificateDocument([certificate]).render()
    audit.record(
        actor=actor,
        action="certificate.print",
        obj=certificate,
        details={"serial": certificate.serial, "full_id_on_document": certificate.shows_full_id},
    )
    return data


@transaction.atomic
def refusal_slip_print(*, actor, refusal: Refusal) -> bytes:
    from community_admin.certificates import pdf

    data = pdf.ReferralSlipDocument(refusal).render()
    audit.record(actor=actor, action="certificate.referral_slip", obj=refusal)
    return data
