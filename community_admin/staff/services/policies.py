"""The yearly rules (the pay policy, the retirement rules): one version per year at a time, drafted, compared
with last year and adopted by the bureau (models.YearlyVersion). An adopted version is never edited: the
bureau drafts the year again; adopting the draft supersedes the old version, which is kept for history."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community_admin.core import audit
from community_admin.staff.models import (
    YEAR_MIN,
    PayPolicy,
    RetirementRule,
    RetirementRuleSet,
    VersionStatus,
    Worker,
    YearlyVersion,
)

ERR_YEAR_RANGE = "应在 {low} 至 {high} 年之间。"
ERR_DRAFT_EXISTS = "{year} 年度已有草稿（第 {version} 版），请修改该草稿。"
ERR_NOT_DRAFT = "该版本{status}，不能修改；如需调整，请为 {year} 年度重新起草，采用后取代原版本。"
ERR_ADOPT_NOT_DRAFT = "只有草稿可以采用；该版本{status}。"
ERR_DELETE_NOT_DRAFT = "只有草稿可以删除；该版本{status}，保留备查。"
ERR_REQUIRED = "请填写。"
ERR_NOT_A_NUMBER = "应为数字。"
ERR_POSITIVE = "应大于 0。"
ERR_NOT_NEGATIVE = "不能为负数。"
ERR_TOO_LARGE = "不能超过 {limit}。"
ERR_INSURED_BELOW_BASE = "不能低于基本工资。"
ERR_WHOLE_NUMBER = "应为 {low} 至 {high} 之间的整数。"
ERR_TOO_LONG = "不能超过 {limit} 个字。"
ERR_STEP_WITHOUT_REFORM = "填写了每几个月延迟一个月，请同时填写延迟起始出生月份。"
ERR_REFORM_WITHOUT_STEP = "请填写每几个月延迟一个月（至少 1）。"
ERR_NOT_A_DATE = "应为日期。"

MONEY_MAX = Decimal("99999999.99")  # MONEY: 10 digits, 2 decimals
POSITIVE_MONEY = ("base_monthly", "insured_monthly", "minimum_wage")
# 0 is allowed: the report lets a district pay a one-off reward instead of a qualification allowance.
NOT_NEGATIVE_MONEY = (
    "head_allowance",
    "deputy_allowance",
    "social_worker_allowance",
    "assistant_allowance",
    "honour_amount",
)
PAY_FIELDS = (
    "base_monthly",
    "insured_monthly",
    "head_allowance",
    "deputy_allowance",
    "social_worker_allowance",
    "assistant_allowance",
    "honour_service_years",
    "honour_amount",
    "minimum_wage",
)
TEXT_FIELDS = {"source_document": 300, "note": 300}
RULE_FIELDS = (
    "name",
    "base_age",
    "reform_from",
    "birth_months_per_step",
    "max_delay_months",
    "service_years",
)
RULE_NUMBERS = {
    "base_age": (40, 75),
    "birth_months_per_step": (1, 24),
    "max_delay_months": (0, 120),
    "service_years": (0, 50),
}
SEX_PREFIX = {Worker.Sex.MALE: "male", Worker.Sex.FEMALE: "female"}


def draft_year_range() -> tuple[int, int]:
    """A year may be drafted from 2000 to next year (the bureau prepares January's policy in December)."""
    return YEAR_MIN, timezone.localdate().year + 1


# Checking values: every bad field named at once ------------------------------------------------------------


def _money(errors: dict, values: dict, name: str, *, positive: bool) -> Decimal | None:
    raw = values.get(name)
    if raw in (None, ""):
        errors[name] = ERR_REQUIRED
        return None
    try:
        amount = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        amount = Decimal("NaN")
    if isinstance(raw, bool) or not amount.is_finite():
        errors[name] = ERR_NOT_A_NUMBER
        return None
    if abs(amount) > MONEY_MAX:
        errors[name] = ERR_TOO_LARGE.format(limit=f"{MONEY_MAX:,}")
        return None
    amount = amount.quantize(Decimal("0.01"))
    if positive and amount <= 0:
        errors[name] = ERR_POSITIVE
    elif amount < 0:
        errors[name] = ERR_NOT_NEGATIVE
    else:
        return amount
    return None


def _whole(errors: dict, key: str, raw, low: int, high: int, *, required: bool = True) -> int | None:
    if raw in (None, ""):
        if required:
            errors[key] = ERR_REQUIRED
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        errors[key] = ERR_WHOLE_NUMBER.format(low=low, high=high)
        return None
    return raw


def _texts(errors: dict, values: dict, *, required: tuple[str, ...] = ("source_document",)) -> dict[str, str]:
    texts = {}
    for name, limit in TEXT_FIELDS.items():
        text = str(values.get(name) or "").strip()
        if name in required and not text:
            errors[name] = ERR_REQUIRED
        elif len(text) > limit:
            errors[name] = ERR_TOO_LONG.format(limit=limit)
        texts[name] = text
    return texts


def check_year(year) -> int:
    low, high = draft_year_range()
    errors: dict = {}
    _whole(errors, "year", year, low, high)
    if errors:
        errors["year"] = ERR_YEAR_RANGE.format(low=low, high=high)
        raise ValidationError(errors)
    return year


def pay_terms(values: dict[str, Any]) -> dict[str, Any]:
    """The policy's fields from `values`, checked; a ValidationError names every bad field."""
    errors: dict = {}
    terms: dict[str, Any] = {}
    for name in POSITIVE_MONEY:
        terms[name] = _money(errors, values, name, positive=True)
    for name in NOT_NEGATIVE_MONEY:
        terms[name] = _money(errors, values, name, positive=False)
    terms["honour_service_years"] = _whole(
        errors, "honour_service_years", values.get("honour_service_years"), 1, 50
    )
    base, insured = terms["base_monthly"], terms["insured_monthly"]
    if base is not None and insured is not None and insured < base:
        errors["insured_monthly"] = ERR_INSURED_BELOW_BASE
    terms.update(_texts(errors, values))
    if errors:
        raise ValidationError(errors)
    return terms


def _rule_terms(errors: dict, values: dict, prefix: str) -> dict[str, Any]:
    def key(name: str) -> str:
        return f"{prefix}_{name}"

    rule: dict[str, Any] = {"name": str(values.get(key("name")) or "").strip()}
    if not rule["name"]:
        errors[key("name")] = ERR_REQUIRED
    elif len(rule["name"]) > 100:
        errors[key("name")] = ERR_TOO_LONG.format(limit=100)
    for name, (low, high) in RULE_NUMBERS.items():
        required = name != "birth_months_per_step"
        rule[name] = _whole(errors, key(name), values.get(key(name)), low, high, required=required)
    reform_from = values.get(key("reform_from")) or None
    if reform_from is not None and not isinstance(reform_from, date):
        errors[key("reform_from")] = ERR_NOT_A_DATE
        reform_from = None
    rule["reform_from"] = reform_from.replace(day=1) if reform_from else None
    step = rule["birth_months_per_step"]
    if reform_from and step is None and key("birth_months_per_step") not in errors:
        errors[key("birth_months_per_step")] = ERR_REFORM_WITHOUT_STEP
    elif step is not None and not reform_from and key("reform_from") not in errors:
        errors[key("reform_from")] = ERR_STEP_WITHOUT_REFORM
    if rule["max_delay_months"] is None and not errors.get(key("max_delay_months")):
        rule["max_delay_months"] = 0
    return rule


def retirement_terms(values: dict[str, Any]) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """The set's texts and its rules by sex from flat `values` (`male_base_age`, `female_name` …), checked."""
    errors: dict = {}
    rules = {sex: _rule_terms(errors, values, prefix) for sex, prefix in SEX_PREFIX.items()}
    texts = _texts(errors, values)
    if errors:
        raise ValidationError(errors)
    return texts, rules


# The version machinery, the same for both kinds -------------------------------------------------------------


def _status_label(version: YearlyVersion) -> str:
    return str(VersionStatus(version.status).label)


def _lock(version: YearlyVersion, message: str) -> YearlyVersion:
    """The version locked for the write, refused unless it is (still) a draft."""
    locked = type(version).objects.select_for_update().get(pk=version.pk)
    if not locked.is_draft:
        raise ValidationError({"status": message.format(status=_status_label(locked), year=locked.year)})
    return locked


def _new_version(model, *, actor, year: int, fields: dict[str, Any]) -> YearlyVersion:
    existing = model.objects.select_for_update().filter(year=year).order_by("-version")
    draft = existing.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        raise ValidationError({"year": ERR_DRAFT_EXISTS.format(year=year, version=draft.version)})
    last = existing.first()
    version = model(year=year, version=(last.version + 1) if last else 1, created_by=actor, **fields)
    version.full_clean()
    try:
        with transaction.atomic():  # two drafts of a year at once: the database refuses the second
            version.save()
    except IntegrityError:
        raise ValidationError({"year": ERR_DRAFT_EXISTS.format(year=year, version=version.version)}) from None
    return version


def _adopt(version: YearlyVersion, *, actor) -> YearlyVersion | None:
    """Make the draft the year's rules; returns the version it supersedes (kept, marked so)."""
    now = timezone.now()
    model = type(version)
    previous = (
        model.objects.select_for_update().filter(year=version.year, status=VersionStatus.ADOPTED).first()
    )
    if previous is not None:
        previous.status, previous.superseded_at = VersionStatus.SUPERSEDED, now
        previous.save(update_fields=["status", "superseded_at", "updated_at"])
    version.status, version.adopted_at, version.adopted_by = VersionStatus.ADOPTED, now, actor
    version.full_clean()
    version.save(update_fields=["status", "adopted_at", "adopted_by", "updated_at"])
    return previous


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[str]]:
    return {k: [str(before.get(k)), str(v)] for k, v in after.items() if str(before.get(k)) != str(v)}


def _adopt_details(version: YearlyVersion, previous: YearlyVersion | None) -> dict[str, Any]:
    return {
        "year": version.year,
        "version": version.version,
        "supersedes": previous.version if previous else None,
    }


# Pay policies -------------------------------------------------------------------------------------------------


@transaction.atomic
def pay_policy_draft(*, actor, year: int, values: dict[str, Any]) -> PayPolicy:
    """A draft of the year's pay policy (one draft per year); nothing changes until the bureau adopts it."""
    year = check_year(year)
    terms = pay_terms(values)
    policy = _new_version(PayPolicy, actor=actor, year=year, fields=terms)
    audit.record(
        actor=actor,
        action="pay_policy.draft",
        obj=policy,
        details={"year": year, "version": policy.version, **{k: str(terms[k]) for k in PAY_FIELDS}},
    )
    return policy


@transaction.atomic
def pay_policy_update(*, actor, policy: PayPolicy, values: dict[str, Any]) -> PayPolicy:
    terms = pay_terms(values)  # bad values are named first, whatever the version's state
    policy = _lock(policy, ERR_NOT_DRAFT)
    before = {k: getattr(policy, k) for k in terms}
    for name, value in terms.items():
        setattr(policy, name, value)
    policy.full_clean()
    policy.save()
    audit.record(
        actor=actor,
        action="pay_policy.update",
        obj=policy,
        details={"year": policy.year, "version": policy.version, "changes": _changes(before, terms)},
    )
    return policy


@transaction.atomic
def pay_policy_adopt(*, actor, policy: PayPolicy) -> PayPolicy:
    """The draft becomes the year's policy: payrolls of the year are computed under it from now on."""
    policy = _lock(policy, ERR_ADOPT_NOT_DRAFT)
    previous = _adopt(policy, actor=actor)
    audit.record(actor=actor, action="pay_policy.adopt", obj=policy, details=_adopt_details(policy, previous))
    return policy


@transaction.atomic
def pay_policy_delete(*, actor, policy: PayPolicy) -> None:
    policy = _lock(policy, ERR_DELETE_NOT_DRAFT)
    details = {"year": policy.year, "version": policy.version}
    audit.record(actor=actor, action="pay_policy.delete", obj=policy, details=details)
    policy.delete()


# Retirement rules ---------------------------------------------------------------------------------------------


def _rules_snapshot(rule_set: RetirementRuleSet) -> dict[str, str]:
    return {
        f"{SEX_PREFIX[r.sex]}_{name}": str(getattr(r, name))
        for r in rule_set.rules.all()
        for name in RULE_FIELDS
    }


def _write_rules(rule_set: RetirementRuleSet, rules: dict[str, dict[str, Any]]) -> None:
    rule_set.rules.all().delete()
    for sex, fields in rules.items():
        rule = RetirementRule(rule_set=rule_set, sex=sex, **fields)
        rule.full_clean()
        rule.save()


def _flat(texts: dict[str, str], rules: dict[str, dict[str, Any]]) -> dict[str, str]:
    flat = {f"{SEX_PREFIX[sex]}_{k}": str(v) for sex, fields in rules.items() for k, v in fields.items()}
    return {**flat, **texts}


@transaction.atomic
def retirement_rules_draft(*, actor, year: int, values: dict[str, Any]) -> RetirementRuleSet:
    """A draft of the year's retirement rules, the men's and the women's (flat `male_…`/`female_…` values)."""
    year = check_year(year)
    texts, rules = retirement_terms(values)
    rule_set = _new_version(RetirementRuleSet, actor=actor, year=year, fields=texts)
    _write_rules(rule_set, rules)
    audit.record(
        actor=actor,
        action="retirement_rules.draft",
        obj=rule_set,
        details={"year": year, "version": rule_set.version, **_flat({}, rules)},
    )
    return rule_set


@transaction.atomic
def retirement_rules_update(
    *, actor, rule_set: RetirementRuleSet, values: dict[str, Any]
) -> RetirementRuleSet:
    texts, rules = retirement_terms(values)
    rule_set = _lock(rule_set, ERR_NOT_DRAFT)
    before = {**_rules_snapshot(rule_set), **{k: getattr(rule_set, k) for k in texts}}
    for name, value in texts.items():
        setattr(rule_set, name, value)
    rule_set.full_clean()
    rule_set.save()
    _write_rules(rule_set, rules)
    audit.record(
        actor=actor,
        action="retirement_rules.update",
        obj=rule_set,
        details={
            "year": rule_set.year,
            "version": rule_set.version,
            "changes": _changes(before, _flat(texts, rules)),
        },
    )
    return rule_set


@transaction.atomic
def retirement_rules_adopt(*, actor, rule_set: RetirementRuleSet) -> RetirementRuleSet:
    rule_set = _lock(rule_set, ERR_ADOPT_NOT_DRAFT)
    previous = _adopt(rule_set, actor=actor)
    audit.record(
        actor=actor,
        action="retirement_rules.adopt",
        obj=rule_set,
        details=_adopt_details(rule_set, previous),
    )
    return rule_set


@transaction.atomic
def retirement_rules_delete(*, actor, rule_set: RetirementRuleSet) -> None:
    rule_set = _lock(rule_set, ERR_DELETE_NOT_DRAFT)
    details = {"year": rule_set.year, "version": rule_set.version}
    audit.record(actor=actor, action="retirement_rules.delete", obj=rule_set, details=details)
    rule_set.delete()
