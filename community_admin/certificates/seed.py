"""Demo district, certificates part: the last twelve months' certificates and refusals in every committee
whose registry holds people, numbered 1..n per committee and year with no gap, each with its seal-log row (and, for tier B, its
evidence records). PDFs are rendered on demand, never here. The whitelist itself comes with the migrations."""

from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from community_admin.accounts.models import Role, User
from community_admin.certificates import evidence as evidence_files
from community_admin.certificates import reference
from community_admin.certificates.models import (
    Certificate,
    CertificateType,
    Evidence,
    Refusal,
    SealUse,
    SerialCounter,
)
from community_admin.certificates.services import (
    SEAL_NAME,
    SERIAL_FORMAT,
    VERIFICATION_ALPHABET,
    VERIFICATION_CODE_LENGTH,
)
from community_admin.core.progress import Progress
from community_admin.core.seeding import SeedContext
from community_admin.org.models import Committee
from community_admin.residents.models import Person

# Requests a committee handles in a year (issued, refused); the small scale seeds a few committees lightly.
FULL_ISSUED = (60, 160)
FULL_REFUSED = (15, 60)
SMALL_ISSUED = (4, 8)
SMALL_REFUSED = (2, 4)
SMALL_COMMITTEES = 6
VOIDED_SHARE = 0.02
# How often each type is asked for (relative); the report's everyday ones dominate.
WEIGHTS = {
    "residence": 40,
    "conduct": 6,
    "kinship": 10,
    "political-review": 4,
    "graduate": 5,
    "taxi-inspection": 2,
    "marriage-lost": 2,
    "hardship": 8,
    "only-home": 9,
    "id-card-lost": 8,
    "hospital": 5,
    "heirs": 5,
    "death": 4,
    "sale-fees": 4,
    "deposit-lost": 3,
    "receipt-lost": 3,
    "loan-credit": 4,
    "vehicle-damage": 2,
    "shopfront": 2,
    "property-title": 3,
    "household-register": 3,
    "birth": 1,
    "insurance-claim": 2,
}
PURPOSES = [
    "办理入学",
    "办理社保",
    "单位备案",
    "办理贷款",
    "办理居住证",
    "申请补助",
    "出国（境）",
    "办理公证",
]
DEMO_EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
BATCH = 5000
APPLICANTS_PER_COMMITTEE = 400


def run(ctx: SeedContext) -> None:
    # The last twelve months, like the other parts' activity, so a dashboard's "last year" finds a full year.
    last = timezone.localdate() - timedelta(days=1)
    first = last - timedelta(days=364)
    if (
        Certificate.objects.filter(issued_on__range=(first, last)).exists()
        or Refusal.objects.filter(refused_on__range=(first, last)).exists()
    ):
        ctx.say(f"[certificates] {first} 至 {last} 的演示证明已存在，跳过。")
        return
    ensure_whitelist(ctx)
    rng = ctx.rng("certificates")
    types = {ct.code: ct for ct in CertificateType.objects.filter(active=True)}
    issued_types = [c for c in types if types[c].issues and c in WEIGHTS]
    refused_types = [c for c in types if not types[c].issues and c in WEIGHTS]
    staff = {u.committee_id: u for u in User.objects.filter(role=Role.COMMITTEE).order_by("id")}
    committees = list(Committee.objects.select_related("street").order_by("code"))
    committees = [c for c in committees if c.pk in staff]
    if ctx.scale == "small":
        committees = committees[:SMALL_COMMITTEES]
    # Applicants: a sample of each committee's active residents (one query per committee, not the whole registry).
    people_by_committee: dict[int, list[tuple[int, str]]] = {}
    for committee in committees:
        sample = list(
            Person.objects.filter(committee=committee, status__in=Person.ACTIVE_STATUSES)
            .order_by("id")
            .values_list("pk", "name")[:APPLICANTS_PER_COMMITTEE]
        )
        if sample:
            people_by_committee[committee.pk] = sample
    committees = [c for c in committees if c.pk in people_by_committee]
    if not committees:
        ctx.say("[certificates] 人口信息中还没有居民（或没有社区账号），不生成演示证明。")
        return
    issued_range, refused_range = (
        (FULL_ISSUED, FULL_REFUSED) if ctx.scale == "full" else (SMALL_ISSUED, SMALL_REFUSED)
    )
    demo_files = _demo_evidence_files(types)
    tz = timezone.get_current_timezone()
    progress = Progress("证明与不予出具", len(committees), stream=ctx.stderr)
    certificates: list[Certificate] = []
    refusals: list[Refusal] = []
    counters: list[SerialCounter] = []
    evidence_plan: list[tuple[int, str]] = []  # (index into certificates, type code)
    used_codes: set[str] = set()

    def moment(day: date) -> datetime:
        return datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=tz)

    def random_day() -> date:
        return first + timedelta(days=rng.randrange(365))

    for committee in committees:
        user = staff[committee.pk]
        people = people_by_committee[committee.pk]
        days = sorted(random_day() for _ in range(rng.randint(*issued_range)))
        numbers: dict[int, int] = {}  # serials are gapless per committee and year
        for day in days:
            year = day.year
            number = numbers[year] = numbers.get(year, 0) + 1
            code = rng.choices(issued_types, weights=[WEIGHTS[c] for c in issued_types])[0]
            ct = types[code]
            at = moment(day)
            voided = rng.random() < VOIDED_SHARE
            verification = _code(rng, used_codes)
            applicant_id, applicant_name = rng.choice(people)
            if ct.tier == CertificateType.Tier.B:
                evidence_plan.append((len(certificates), code))
            certificates.append(
                Certificate(
                    committee=committee,
                    person_id=applicant_id,
                    certificate_type=ct,
                    tier=ct.tier,
                    year=year,
                    number=number,
                    serial=SERIAL_FORMAT.format(code=committee.code, year=year, number=number),
                    verification_code=verification,
                    holder_name=applicant_name,
                    purpose=rng.choice(PURPOSES),
                    template_text=ct.template_text,
                    shows_full_id=ct.shows_full_id,
                    issued_on=day,
                    issued_at=at,
                    issued_by=user,
                    status=Certificate.Status.VOIDED if voided else Certificate.Status.VALID,
                    voided_at=at + timedelta(hours=2) if voided else None,
                    voided_by=user if voided else None,
                    void_reason="打印错误，已重新出具" if voided else "",
                )
            )
        counters.extend(
            SerialCounter(committee=committee, year=year, last_number=n)
            for year, n in sorted(numbers.items())
        )
        for _ in range(rng.randint(*refused_range)):
            code = rng.choices(refused_types, weights=[WEIGHTS[c] for c in refused_types])[0]
            ct = types[code]
            day = random_day()
            at = moment(day)
            refusals.append(
                Refusal(
                    committee=committee,
                    person_id=rng.choice(people)[0],
                    certificate_type=ct,
                    referred_to=ct.refer_to,
                    referral_domain=ct.referral_domain,
                    purpose=rng.choice(PURPOSES),
                    refused_on=day,
                    refused_at=at,
                    refused_by=user,
                )
            )
        progress.advance()
    progress.finish()

    Certificate.objects.bulk_create(certificates, batch_size=BATCH)
    saved = {
        (c.committee_id, c.year, c.number): c.pk
        for c in Certificate.objects.filter(issued_on__range=(first, last)).only(
            "pk", "committee_id", "year", "number"
        )
    }
    for cert in certificates:
        cert.pk = saved[(cert.committee_id, cert.year, cert.number)]
    SerialCounter.objects.bulk_create(counters, batch_size=BATCH)
    Refusal.objects.bulk_create(refusals, batch_size=BATCH)
    SealUse.objects.bulk_create(
        (
            SealUse(
                committee_id=c.committee_id,
                certificate_id=c.pk,
                serial=c.serial,
                seal_name=SEAL_NAME.format(committee=c.committee.name),
                applied_by=c.issued_by,
                applied_at=c.issued_at,
                applied_on=c.issued_on,
                matter=f"出具{c.certificate_type.name}（{c.purpose}）",
            )
            for c in certificates
        ),
        batch_size=BATCH,
    )
    evidence_rows = []
    for index, code in evidence_plan:
        cert = certificates[index]
        for item in types[code].required_evidence:
            name, digest = demo_files[(code, item)]
            evidence_rows.append(
                Evidence(
                    certificate_id=cert.pk,
                    requirement=item,
                    file=name,
                    original_name=f"{item}（演示）.pdf",
                    content_type=Evidence.Kind.PDF,
                    size=len(DEMO_EVIDENCE_PDF),
                    sha256=digest,
                    uploaded_by=cert.issued_by,
                )
            )
    Evidence.objects.bulk_create(evidence_rows, batch_size=BATCH)
    ctx.say(
        f"[certificates] {first} 至 {last}：{len(committees)} 个社区出具证明 {len(certificates)} 份"
        f"（证明材料 {len(evidence_rows)} 份），不予出具并告知 {len(refusals)} 次。"
    )


def ensure_whitelist(ctx: SeedContext | None = None) -> None:
    """The whitelist comes with the migrations and `install_reference_data`; a database emptied since (a test's
    flush, a cleared demo) gets it back from the same data (certificates/reference.py)."""
    if CertificateType.objects.exists():
        return
    reference.install(ctx.say if ctx is not None else lambda message: None)


def _code(rng, used: set[str]) -> str:
    while True:
        code = "".join(rng.choice(VERIFICATION_ALPHABET) for _ in range(VERIFICATION_CODE_LENGTH))
        if code not in used:
            used.add(code)
            return code


def _demo_evidence_files(types: dict[str, CertificateType]) -> dict[tuple[str, str], tuple[str, str]]:
    """One small stand-in scan per (type, item), shared by the demo's certificates of that type."""
    import hashlib

    storage = evidence_files.storage()
    files = {}
    digest = hashlib.sha256(DEMO_EVIDENCE_PDF).hexdigest()
    for code, ct in types.items():
        for position, item in enumerate(ct.required_evidence):
            name = f"demo/{code}-{position}.pdf"
            if not storage.exists(name):
                storage.save(name, ContentFile(DEMO_EVIDENCE_PDF))
            files[(code, item)] = (name, digest)
    return files
