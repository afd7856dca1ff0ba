"""Writes of the certificates app: the whitelist (bureau), issuing and refusing (committee staff), voiding,
verification lookups. Every function names its actor, runs in one transaction and leaves an audit row."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from community_admin.accounts.models import Role
from community_admin.certificates import evidence as evidence_files
from community_admin.certificates import texts
from community_admin.certificates.models import (
    TEMPLATE_FIELDS,
    Certificate,
    CertificateType,
    Evidence,
    NationalProhibition,
    Refusal,
    SealUse,
    SerialCounter,
    VerificationLookup,
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
ERR_VOID_REASON = "作废原因：必须填写。"
ERR_ALREADY_VOIDED = "该证明已作废。"
ERR_TYPE_FIELD = "不能修改字段：{field}"
ERR_REFER_TO_REQUIRED = "告知办理部门：C 类证明必须写明应去办理的部门。"
ERR_EVIDENCE_LIST_REQUIRED = "所需证明材料：B 类证明至少列出一项材料。"
ERR_EVIDENCE_LIST_FORMAT = "所需证明材料：须为不重复、非空的材料名称列表。"
ERR_TEMPLATE_REQUIRED = "证明正文模板：A、B 类证明必须有正文模板。"
ERR_TEMPLATE_FIELD = "证明正文模板：未知的占位符 {{{field}}}；可用：{allowed}。"
ERR_TEMPLATE_SYNTAX = "证明正文模板：花括号不成对（占位符写作 {{name}}）。"
ERR_PROHIBITION_UNRELATED = "国家规定：“{rule}”未被标记为与“{type}”冲突。"
ERR_ALREADY_ADOPTED = "该证明类型已采用国家规定“{rule}”。"

EDITABLE_TYPE_FIELDS = (
    "tier",
    "refer_to",
    "referral_domain",
    "required_evidence",
    "template_text",
    "shows_full_id",
    "active",
)
SEAL_NAME = "{committee}印章"
SERIAL_FORMAT = "{code}-{year}-{number:05d}"
VERIFICATION_CODE_LENGTH = 12
VERIFICATION_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


# The whitelist ------------------------------------------------------------------------------------------


def _check_type_rules(ct: CertificateType) -> None:
    errors: dict[str, str] = {}
    if ct.tier == CertificateType.Tier.C and not ct.refer_to.strip():
        errors["refer_to"] = ERR_REFER_TO_REQUIRED
    items = ct.required_evidence
    if (
        not isinstance(items, list)
        or not all(isinstance(i, str) and i.strip() for i in items)
        or len(set(items)) != len(items)
    ):
        errors["required_evidence"] = ERR_EVIDENCE_LIST_FORMAT
    elif ct.tier == CertificateType.Tier.B and not items:
        errors["required_evidence"] = ERR_EVIDENCE_LIST_REQUIRED
    if ct.tier in (CertificateType.Tier.A, CertificateType.Tier.B) and not ct.template_text.strip():
        errors["template_text"] = ERR_TEMPLATE_REQUIRED
    else:
        try:
            unknown = texts.unknown_fields(ct.template_text)
        except ValueError:
            errors["template_text"] = ERR_TEMPLATE_SYNTAX
        else:
            if unknown:
                errors["template_text"] = ERR_TEMPLATE_FIELD.format(
                    field=sorted(unknown)[0], allowed="、".join(f"{{{f}}}" for f in TEMPLATE_FIELDS)
                )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def certificate_type_update(*, actor, certificate_type: CertificateType, changes: dict) -> CertificateType:
    """The bureau edits a whitelist entry; the audit row keeps every changed value before and after."""
    ct = CertificateType.objects.select_for_update().get(pk=certificate_type.pk)
    before = {}
    for field, value in changes.items():
        if field not in EDITABLE_TYPE_FIELDS:
            raise ValidationError({field: ERR_TYPE_FIELD.format(field=field)})
        before[field] = getattr(ct, field)
        if isinstance(value, str):
            value = value.strip() if field != "template_text" else value
        if field == "required_evidence" and isinstance(value, list):
            value = [v.strip() if isinstance(v, str) else v for v in value]
        setattr(ct, field, value)
    if ct.tier != CertificateType.Tier.C and ct.adopted_prohibition_id:
        # Leaving tier C withdraws the adoption of the national rule; the audit row shows it.
        before["adopted_prohibition"] = ct.adopted_prohibition.name
        ct.adopted_prohibition = None
        ct.adopted_at = None
    _check_type_rules(ct)
    ct.full_clean()
    ct.save()
    changed = {f: [before[f], getattr(ct, f, None)] for f in before if before[f] != getattr(ct, f, None)}
    audit.record(actor=actor, action="certificate_type.update", obj=ct, details={"changes": changed})
    return ct


@transaction.atomic
def certificate_type_adopt_national_rule(
    *, actor, certificate_type: CertificateType, prohibition: NationalProhibition, refer_to: str = ""
) -> CertificateType:
    """Adopt a national prohibition for one district type: it becomes tier C, referred where the rule says."""
    ct = CertificateType.objects.select_for_update().get(pk=certificate_type.pk)
    if not ct.conflicts.filter(pk=prohibition.pk).exists():
        raise ValidationError(
            {"prohibition": ERR_PROHIBITION_UNRELATED.format(rule=prohibition.name, type=ct.name)}
        )
    if ct.adopted_prohibition_id:
        raise ValidationError({"prohibition": ERR_ALREADY_ADOPTED.format(rule=ct.adopted_prohibition.name)})
    before = {"tier": ct.tier, "refer_to": ct.refer_to}
    ct.tier = CertificateType.Tier.C
    ct.refer_to = refer_to.strip() or ct.refer_to or prohibition.refer_to
    ct.adopted_prohibition = prohibition
    ct.adopted_at = timezone.now()
    _check_type_rules(ct)
    ct.full_clean()
    ct.save()
    audit.record(
        actor=actor,
        action="certificate_type.adopt_national_rule",
        obj=ct,
        details={
            "rule": prohibition.name,
            "source": str(prohibition.source),
            "before": before,
            "after": {"tier": ct.tier, "refer_to": ct.refer_to},
        },
    )
    return ct


# Issuing and refusing -----------------------------------------------------------------------------------


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
    committee = person.committee
    stored: list[str] = []
    try:
        saved = []
        for f in files:
            name, digest = evidence_files.store(f.data, folder=f"{today.year}/{committee.code}", kind=f.kind)
            stored.append(name)
            saved.append((f, name, digest))
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
        certificate.full_clean(
            validate_unique=False, validate_constraints=False
        )  # the database enforces them
        certificate.save()
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
        seal = SealUse(
            committee=committee,
            certificate=certificate,
            serial=certificate.serial,
            seal_name=SEAL_NAME.format(committee=committee.name),
            applied_by=actor,
            applied_at=now,
            applied_on=today,
            matter=f"出具{ct.name}" + (f"（{purpose}）" if purpose else ""),
        )
        seal.full_clean(validate_unique=False, validate_constraints=False)
        seal.save()
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


@transaction.atomic
# Verification -------------------------------------------------------------------------------------------


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
