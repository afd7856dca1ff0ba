"""Certificates: the whitelist (three tiers, dated policy sources, the national prohibitions it is checked
against), the certificates issued, the refusals with their referral, the seal-usage log and every public
verification lookup. Certificates are never deleted: voiding keeps the number and records why."""

import string

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from community_admin.core.models import TimeStampedModel
from community_admin.org.models import Committee
from community_admin.residents.models import Person

# Placeholders a certificate type's template may use (see `certificates.texts`).
TEMPLATE_FIELDS = {
    "name": "姓名",
    "sex": "性别",
    "birth_date": "出生日期",
    "id_number": "公民身份号码",
    "address": "住址",
    "committee": "社区居委会",
    "street": "街道",
    "purpose": "用途",
}


def template_fields_used(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


class PolicySource(TimeStampedModel):
    """A dated document a catalogue entry comes from (the district's report, a national rule …)."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("本区清单")
        NATIONAL = "national", _("国家规定")

    code = models.CharField(_("代码"), max_length=40, unique=True)
    title = models.CharField(_("文件名称"), max_length=300)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_by = models.CharField(_("发文机关"), max_length=200)
    effective_from = models.DateField(_("生效日期"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["effective_from", "code"]
        verbose_name = _("政策依据")
        verbose_name_plural = _("政策依据")

    def __str__(self) -> str:
        return f"{self.document_number or self.title}（{self.effective_from:%Y-%m-%d}）"


class NationalProhibition(TimeStampedModel):
    """One item of a national list of certificates committees must not issue (民发〔2020〕20号 …)."""

    source = models.ForeignKey(
        PolicySource, on_delete=models.PROTECT, related_name="prohibitions", verbose_name=_("依据")
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("证明名称"), max_length=100)
    refer_to = models.CharField(_("应由何处办理"), max_length=200)

    class Meta:
        ordering = ["source_id", "position"]
        verbose_name = _("国家取消证明事项")
        verbose_name_plural = _("国家取消证明事项")
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="prohibition_position_unique"),
            models.UniqueConstraint(fields=["source", "name"], name="prohibition_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class CertificateType(TimeStampedModel):
    """An entry of the district whitelist."""

    class Tier(models.TextChoices):
        A = "A", _("A 类：直接出具")
        B = "B", _("B 类：凭证明材料出具")
        C = "C", _("C 类：不予出具，告知办理部门")

    class Domain(models.TextChoices):
        NONE = "", _("—")
        HOUSING = "housing", _("住建")
        BANK = "bank", _("银行")
        INSURANCE = "insurance", _("保险")
        POLICE = "police", _("公安")
        HEALTH = "health", _("卫生")
        CIVIL = "civil", _("民政")
        NOTARY = "notary", _("公证")
        MARKET = "market", _("市场监管")

    code = models.CharField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("证明名称"), max_length=100, unique=True)
    tier = models.CharField(_("类别"), max_length=1, choices=Tier.choices)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    source = models.ForeignKey(
        PolicySource, on_delete=models.PROTECT, related_name="certificate_types", verbose_name=_("依据")
    )
    effective_from = models.DateField(_("生效日期"))
    named_in_report = models.BooleanField(_("调研报告列明"), default=True)
    refer_to = models.CharField(_("告知办理部门"), max_length=200, blank=True)
    referral_domain = models.CharField(
        _("所属领域"), max_length=20, choices=Domain.choices, blank=True, default=""
    )
    required_evidence = models.JSONField(_("所需证明材料"), default=list, blank=True)
    template_text = models.TextField(_("证明正文模板"), blank=True)
    shows_full_id = models.BooleanField(_("正文显示完整身份证号"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    conflicts = models.ManyToManyField(
        NationalProhibition, blank=True, related_name="district_types", verbose_name=_("与国家规定冲突")
    )
    adopted_prohibition = models.ForeignKey(
        NationalProhibition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("已采用的国家规定"),
    )
    adopted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)

    class Meta:
        ordering = ["tier", "position", "code"]
        verbose_name = _("证明类型")
        verbose_name_plural = _("证明类型（白名单）")
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=["A", "B", "C"]), name="certificate_type_tier_valid"),
            models.CheckConstraint(
                condition=~Q(tier="C") | ~Q(refer_to=""), name="certificate_type_refusal_names_department"
            ),
            models.CheckConstraint(
                condition=~Q(tier__in=["A", "B"]) | ~Q(template_text=""),
                name="certificate_type_issued_has_template",
            ),
            models.CheckConstraint(
                condition=Q(adopted_prohibition__isnull=True, adopted_at__isnull=True)
                | Q(adopted_prohibition__isnull=False, adopted_at__isnull=False, tier="C"),
                name="certificate_type_adoption_refuses",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def issues(self) -> bool:
        return self.tier in (self.Tier.A, self.Tier.B)


class SerialCounter(models.Model):
    """The last serial number a committee gave in a year; locked (SELECT … FOR UPDATE) while issuing."""

    committee = models.ForeignKey(Committee, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("证明编号计数器")
        verbose_name_plural = _("证明编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="serial_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.committee_id}/{self.year}: {self.last_number}"


class CertificateQuerySet(models.QuerySet):
    def delete(self):
        raise PermissionError("certificates are never deleted; void them")


class Certificate(TimeStampedModel):
    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        VOIDED = "voided", _("已作废")

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("社区")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("当事人")
    )
    certificate_type = models.ForeignKey(
        CertificateType, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("证明类型")
    )
    tier = models.CharField(_("出具时类别"), max_length=1, choices=CertificateType.Tier.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("序号"))
    serial = models.CharField(_("证明编号"), max_length=40, unique=True)
    verification_code = models.CharField(_("核验码"), max_length=32, unique=True)
    holder_name = models.CharField(_("当事人姓名"), max_length=50)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    # The type's template and ID rule as they were when issued: a later whitelist edit never rewrites it.
    template_text = models.TextField(_("证明正文模板"))
    shows_full_id = models.BooleanField(_("正文显示完整身份证号"), default=False)
    issued_on = models.DateField(_("出具日期"), db_index=True)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人")
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.VALID)
    voided_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("作废人"),
    )
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("证明")
        verbose_name_plural = _("证明")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "number"], name="certificate_serial_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="certificate_number_positive"),
            models.CheckConstraint(condition=Q(tier__in=["A", "B"]), name="certificate_tier_issuable"),
            models.CheckConstraint(
                condition=Q(status="valid", voided_at__isnull=True, void_reason="")
                | (Q(status="voided", voided_at__isnull=False) & ~Q(void_reason="")),
                name="certificate_void_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["committee", "issued_on"])]

    def __str__(self) -> str:
        return self.serial

    def delete(self, *args, **kwargs):
        raise PermissionError("certificates are never deleted; void them")

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


def evidence_path(instance: "Evidence", filename: str) -> str:
    return filename  # the service chooses a random name; the uploader's name is only recorded


def evidence_storage():
    from django.core.files.storage import storages

    return storages["evidence"]


class Evidence(models.Model):
    """A supporting document for a tier-B certificate. Stored outside the web root (the `evidence` storage),
    served only as an attachment through the scoped view."""

    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("证明")
    )
    requirement = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(_("文件"), storage=evidence_storage, upload_to=evidence_path)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=40, choices=Kind.choices)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["certificate_id", "id"]
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")

    def __str__(self) -> str:
        return f"{self.requirement}：{self.original_name}"


class Refusal(TimeStampedModel):
    """A tier-C request refused and referred: the bureau's evidence for trimming the whitelist."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="certificate_refusals", verbose_name=_("社区")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="certificate_refusals", verbose_name=_("当事人")
    )
    certificate_type = models.ForeignKey(
        CertificateType, on_delete=models.PROTECT, related_name="refusals", verbose_name=_("证明类型")
    )
    referred_to = models.CharField(_("告知办理部门"), max_length=200)
    referral_domain = models.CharField(
        _("所属领域"), max_length=20, choices=CertificateType.Domain.choices, blank=True
    )
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    refused_on = models.DateField(_("日期"), db_index=True)
    refused_at = models.DateTimeField(_("时间"))
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("经办人")
    )

    class Meta:
        ordering = ["-refused_at", "-id"]
        verbose_name = _("不予出具登记")
        verbose_name_plural = _("不予出具登记")
        constraints = [
            models.CheckConstraint(condition=~Q(referred_to=""), name="refusal_names_department"),
        ]
        indexes = [models.Index(fields=["committee", "refused_on"])]

    def __str__(self) -> str:
        return f"{self.certificate_type} → {self.referred_to}"

    def delete(self, *args, **kwargs):
        raise PermissionError("refusals are never deleted")


class SealUse(models.Model):
    """印章使用登记: one row per seal applied, written in the issuing transaction."""

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="seal_uses", verbose_name=_("社区")
    )
    certificate = models.OneToOneField(
        Certificate, on_delete=models.PROTECT, related_name="seal_use", verbose_name=_("证明")
    )
    serial = models.CharField(_("证明编号"), max_length=40, unique=True)
    seal_name = models.CharField(_("印章"), max_length=150)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("用印人")
    )
    applied_at = models.DateTimeField(_("用印时间"))
    applied_on = models.DateField(_("用印日期"), db_index=True)
    matter = models.CharField(_("用印事由"), max_length=200)

    class Meta:
        ordering = ["-applied_at", "-id"]
        verbose_name = _("印章使用登记")
        verbose_name_plural = _("印章使用登记")
        indexes = [models.Index(fields=["committee", "applied_on"])]

    def __str__(self) -> str:
        return f"{self.serial} {self.seal_name}"


class VerificationLookup(models.Model):
    """Every verification attempt, public page or department API, found or not, limited or not."""

    class Outcome(models.TextChoices):
        VALID = "valid", _("有效")
        VOIDED = "voided", _("已作废")
        NOT_FOUND = "not_found", _("未找到")
        LIMITED = "limited", _("超过频率限制")

    class Channel(models.TextChoices):
        WEB = "web", _("公开核验页面")
        API = "api", _("部门接口")

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("部门账户"),
    )
    serial = models.CharField(_("查询编号"), max_length=60, blank=True)
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, null=True, blank=True, related_name="lookups"
    )
    outcome = models.CharField(_("结果"), max_length=20, choices=Outcome.choices)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("核验记录")
        verbose_name_plural = _("核验记录")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.serial} {self.outcome}"
