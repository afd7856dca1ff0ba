"""The whitelist of certificate types (bureau): corrections under the tiers' rules, and adopting a national rule
that forbids a type."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from community_admin.certificates import texts
from community_admin.certificates.models import TEMPLATE_FIELDS, CertificateType, NationalProhibition
from community_admin.core import audit

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
