"""Issuing a certificate (tier A, or B with its evidence) and refusing a tier-C request with a referral:
gapless numbers per committee and year, the evidence stored, the seal's use recorded."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from community_admin.accounts.models import Role
from community_admin.certificates import evidence as evidence_files
from community_admin.certificates.models import (
    Certificate,
    CertificateType,
    Evidence,
    Refusal,
    SealUse,
    SerialCounter,
)
from community_admin.core import audit, uploads
from community_admin.residents.models import Person

ERR_ISSUER_NOT_COMMITTEE = "只有社区居委会工作人员可以出具证明或登记不予出具。"
ERR_PERSON_NOT_OURS = "当事人：不是本社区登记的居民。"
ERR_PERSON_NOT_ACTIVE = "当事人：已迁出或死亡，不能出具证明。"
ERR_TYPE_INACTIVE = "证明类型：该类型已停用。"
ERR_EVIDENCE_NOT_NEEDED = "证明材料：A 类证明直接出具，无需上传材料。"
ERR_EVIDENCE_MISSING = "证明材料：缺少“{item}”。"
ERR_EVIDENCE_UNKNOWN = "证明材料：“{item}”不是该证明所需的材料。"
ERR_EVIDENCE_TYPE = "证明材料“{item}”：文件“{name}”不是 PDF、JPEG 或 PNG 文件。"
ERR_EVIDENCE_SIZE = "证明材料“{item}”：文件“{name}”超过 {mb} MB。"
ERR_EVIDENCE_EMPTY = "证明材料“{item}”：文件“{name}”是空文件。"


SEAL_NAME = "{committee}印章"
SERIAL_FORMAT = "{code}-{year}-{number:05d}"
VERIFICATION_CODE_LENGTH = 12
VERIFICATION_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class IssueResult:
    certificate: Certificate | None = None
    refusal: Refusal | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None


@dataclass(frozen=True)
class _CheckedFile:
    requirement: str
    data: bytes
    original_name: str
    kind: uploads.Kind


def _check_issuer(actor, person: Person) -> None:
    if getattr(actor, "role", None) != Role.COMMITTEE:
        raise PermissionDenied(ERR_ISSUER_NOT_COMMITTEE)
    if person.committee_id != actor.committee_id:
        raise ValidationError({"person": ERR_PERSON_NOT_OURS})
    if not person.is_active:
        raise ValidationError({"person": ERR_PERSON_NOT_ACTIVE})


def _check_evidence(ct: CertificateType, evidence: Mapping[str, Sequence]) -> list[_CheckedFile]:
    """Every listed item has at least one file, nothing else is attached, every file is a PDF/JPEG/PNG."""
    given = {item: files for item, files in evidence.items() if files}
    if ct.tier == CertificateType.Tier.A:
        if given:
            raise ValidationError({"evidence": ERR_EVIDENCE_NOT_NEEDED})
        return []
    required = list(ct.required_evidence)
    for item in given:
        if item not in required:
            raise ValidationError({"evidence": ERR_EVIDENCE_UNKNOWN.format(item=item)})
    for item in required:
        if item not in given:
            raise ValidationError({"evidence": ERR_EVIDENCE_MISSING.format(item=item)})
    checked = []
    limit = evidence_files.max_bytes()
    mb = uploads.megabytes(limit)
    for item in required:
        for upload in given[item]:
            name = uploads.display_name(getattr(upload, "name", ""))
            too_large = ERR_EVIDENCE_SIZE.format(item=item, name=name, mb=mb)
            kind = uploads.check(
                upload,
                field="evidence",
                max_bytes=limit,
                too_large=too_large,
                wrong_kind=ERR_EVIDENCE_TYPE.format(item=item, name=name),
                empty=ERR_EVIDENCE_EMPTY.format(item=item, name=name),
            )
            data = uploads.read_all(upload)
            if len(data) > limit:  # a size declared smaller than the content
                raise ValidationError({"evidence": too_large})
            checked.append(_CheckedFile(item, data, name, kind))
    return checked


def _allocate_number(committee_id: int, year: int) -> int:
    """The next number of the committee's year. The counter row stays locked until the caller's transaction
    ends, so a failed issuance rolls the counter back with everything else: no gaps, no duplicates."""
    SerialCounter.objects.bulk_create(
        [SerialCounter(committee_id=committee_id, year=year)], ignore_conflicts=True
    )
    counter = SerialCounter.objects.select_for_update().get(committee_id=committee_id, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def new_verification_code() -> str:
    return get_random_string(VERIFICATION_CODE_LENGTH, VERIFICATION_ALPHABET)


@transaction.atomic
def certificate_issue(
    *,
    actor,
    person: Person,
    certificate_type: CertificateType,
    purpose: str = "",
    evidence: Mapping[str, Sequence] | None = None,
) -> IssueResult:
    """Issue a tier-A certificate, or a tier-B one with its evidence; a tier-C request is refused and the
    refusal recorded with the department it is referred to (the result then carries the refusal)."""
    _check_issuer(actor, person)
    ct = certificate_type
    if not ct.active:
        raise ValidationError({"certificate_type": ERR_TYPE_INACTIVE})
    purpose = purpose.strip()
    now = timezone.now()
    today = timezone.localdate(now)
    if ct.tier == CertificateType.Tier.C:
        return IssueResult(refusal=_refuse(actor=actor, person=person, ct=ct, purpose=purpose, now=now))
    files = _check_evidence(ct, evidence or {})
    stored: list[str] = []
    try:
        saved = _store_evidence(files, folder=f"{today.year}/{person.committee.code}", stored=stored)
        certificate = _certificate_create(actor=actor, person=person, ct=ct, purpose=purpose, now=now)
        _evidence_create(certificate, saved, actor=actor)
        _seal_use_create(certificate, actor=actor, purpose=purpose, now=now)
        audit.record(
            actor=actor,
            action="certificate.issue",
            obj=certificate,
            details={
                "serial": certificate.serial,
                "type": ct.name,
                "tier": ct.tier,
                "person": person.pk,
                "evidence": [f.requirement for f in files],
                "full_id_on_document": ct.shows_full_id,
            },
        )
    except BaseException:
        for name in stored:  # the transaction rolls back; the files would otherwise be orphans
            evidence_files.storage().delete(name)
        raise
    return IssueResult(certificate=certificate)


def _store_evidence(files: list[_CheckedFile], *, folder: str, stored: list[str]) -> list[tuple]:
    """Each file in the evidence storage; `stored` collects the names as they are written, so that the
    caller can remove them if anything later fails."""
    saved = []
    for f in files:
        name, digest = evidence_files.store(f.data, folder=folder, kind=f.kind)
        stored.append(name)
        saved.append((f, name, digest))
    return saved


def _certificate_create(
    *, actor, person: Person, ct: CertificateType, purpose: str, now: datetime
) -> Certificate:
    committee = person.committee
    today = timezone.localdate(now)
    number = _allocate_number(committee.pk, today.year)
    certificate = Certificate(
        committee=committee,
        person=person,
        certificate_type=ct,
        tier=ct.tier,
        year=today.year,
        number=number,
        serial=SERIAL_FORMAT.format(code=committee.code, year=today.year, number=number),
        verification_code=new_verification_code(),
        holder_name=person.name,
        purpose=purpose,
        template_text=ct.template_text,
        shows_full_id=ct.shows_full_id,
        issued_on=today,
        issued_at=now,
        issued_by=actor,
    )
    certificate.full_clean(validate_unique=False, validate_constraints=False)  # the database enforces them
    certificate.save()
    return certificate


def _evidence_create(certificate: Certificate, saved: list[tuple], *, actor) -> None:
    for f, name, digest in saved:
        Evidence.objects.create(
            certificate=certificate,
            requirement=f.requirement,
            file=name,
            original_name=f.original_name,
            content_type=f.kind.content_type,
            size=len(f.data),
            sha256=digest,
            uploaded_by=actor,
        )


def _seal_use_create(certificate: Certificate, *, actor, purpose: str, now: datetime) -> SealUse:
    committee = certificate.committee
    seal = SealUse(
        committee=committee,
        certificate=certificate,
        serial=certificate.serial,
        seal_name=SEAL_NAME.format(committee=committee.name),
        applied_by=actor,
        applied_at=now,
        applied_on=timezone.localdate(now),
        matter=f"出具{certificate.certificate_type.name}" + (f"（{purpose}）" if purpose else ""),
    )
    seal.full_clean(validate_unique=False, validate_constraints=False)
    seal.save()
    return seal


def _refuse(*, actor, person: Person, ct: CertificateType, purpose: str, now: datetime) -> Refusal:
    refusal = Refusal(
        committee_id=person.committee_id,
        person=person,
        certificate_type=ct,
        referred_to=ct.refer_to,
        referral_domain=ct.referral_domain,
        purpose=purpose,
        refused_on=timezone.localdate(now),
        refused_at=now,
        refused_by=actor,
    )
    refusal.full_clean()
    refusal.save()
    audit.record(
        actor=actor,
        action="certificate.refuse",
        obj=refusal,
        details={"type": ct.name, "referred_to": ct.refer_to, "person": person.pk},
    )
    return refusal
