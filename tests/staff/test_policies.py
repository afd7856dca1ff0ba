"""The yearly rules (issue 16, item 3): pay policies and retirement rules as one version per year, drafted,
compared with the previous year and adopted by the bureau; a year without its own adopted policy uses the
last before it and says so."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from community_admin.core.models import AuditLog
from community_admin.staff import selectors, services, yearly
from community_admin.staff.models import PayPolicy, RetirementRuleSet, VersionStatus
from tests.staff.factories import make_policy, make_retirement_rules, make_worker

pytestmark = pytest.mark.django_db

VALUES = {
    "base_monthly": Decimal("1600.00"),
    "insured_monthly": Decimal("2450.00"),
    "head_allowance": Decimal("300.00"),
    "deputy_allowance": Decimal("100.00"),
    "social_worker_allowance": Decimal("200.00"),
    "assistant_allowance": Decimal("100.00"),
    "honour_service_years": 20,
    "honour_amount": Decimal("2000.00"),
    "minimum_wage": Decimal("1950.00"),
    "source_document": "区民政局 2026 年 12 月会议纪要",
}
RULES = {
    "male_name": "男职工",
    "male_base_age": 60,
    "male_reform_from": date(1965, 1, 1),
    "male_birth_months_per_step": 4,
    "male_max_delay_months": 36,
    "male_service_years": 20,
    "female_name": "女职工",
    "female_base_age": 50,
    "female_reform_from": date(1975, 1, 1),
    "female_birth_months_per_step": 2,
    "female_max_delay_months": 60,
    "female_service_years": 20,
    "source_document": "国发〔1978〕104号；2024年9月13日全国人大常委会决定",
}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def json_values(values: dict) -> dict:
    return {k: str(v) if isinstance(v, (Decimal, date)) else v for k, v in values.items()}


def actions() -> list[str]:
    rows = AuditLog.objects.filter(action__regex=r"^(pay_policy|retirement_rules)\.").order_by("id")
    return list(rows.values_list("action", flat=True))


# Draft, compare, adopt, supersede


def test_a_draft_is_compared_with_last_year_and_adopted_by_the_bureau(world):
    make_policy(2025, minimum_wage=Decimal("1850.00"))
    draft = services.pay_policy_draft(actor=world.bureau, year=2026, values=VALUES)
    assert (draft.status, draft.version) == (VersionStatus.DRAFT, 1)
    assert yearly.pay_policy_in_force(2026).version.year == 2025  # a draft changes nothing

    comparison = selectors.version_comparison(draft)
    changed = {r.label for r in comparison.rows if r.changed}
    assert comparison.previous.year == 2025
    assert changed == {"基本工资（元/月）", "含五险合计（元/月）", "全省最低工资标准（元/月）"}

    services.pay_policy_update(actor=world.bureau, policy=draft, values={**VALUES, "minimum_wage": "2000"})
    services.pay_policy_adopt(actor=world.bureau, policy=draft)
    assert yearly.pay_policy_in_force(2026).version == draft
    assert not yearly.pay_policy_in_force(2026).fallback
    assert actions() == ["pay_policy.draft", "pay_policy.update", "pay_policy.adopt"]
    update = AuditLog.objects.get(action="pay_policy.update")
    assert update.details["changes"] == {"minimum_wage": ["1950.00", "2000.00"]}
    assert AuditLog.objects.get(action="pay_policy.adopt").actor == world.bureau


def test_drafting_an_adopted_year_again_supersedes_it_and_keeps_it_for_its_payrolls(world):
    first = make_policy(2025)
    make_worker(world.bureau, world.committee_a1)
    payroll = services.payroll_compute(actor=world.bureau, committee=world.committee_a1, year=2025, month=6)
    second = services.pay_policy_draft(actor=world.bureau, year=2025, values=VALUES)
    assert second.version == 2
    assert selectors.version_comparison(second).current == first  # shown beside the version in force
    services.pay_policy_adopt(actor=world.bureau, policy=second)

    first.refresh_from_db()
    assert first.status == VersionStatus.SUPERSEDED and first.superseded_at is not None
    assert yearly.pay_policy_in_force(2025).version == second
    payroll.refresh_from_db()
    assert payroll.policy == first
    assert yearly.payroll_notices(payroll) == [yearly.PAYROLL_SUPERSEDED.format(year=2025, version=2)]
    assert AuditLog.objects.get(action="pay_policy.adopt").details == {
        "year": 2025,
        "version": 2,
        "supersedes": 1,
    }


def test_an_adopted_version_is_not_edited_adopted_again_or_deleted(world):
    policy = make_policy(2025)
    before = PayPolicy.objects.values().get(pk=policy.pk)
    for call, message in (
        (lambda: services.pay_policy_update(actor=world.bureau, policy=policy, values=VALUES), "不能修改"),
        (lambda: services.pay_policy_adopt(actor=world.bureau, policy=policy), "只有草稿可以采用"),
        (lambda: services.pay_policy_delete(actor=world.bureau, policy=policy), "只有草稿可以删除"),
    ):
        with pytest.raises(ValidationError, match=message) as refused:
            call()
        assert list(refused.value.message_dict) == ["status"]
    assert PayPolicy.objects.values().get(pk=policy.pk) == before and actions() == []


def test_one_draft_per_year_and_a_year_within_range(world):
    services.pay_policy_draft(actor=world.bureau, year=2026, values=VALUES)
    with pytest.raises(ValidationError) as refused:
        services.pay_policy_draft(actor=world.bureau, year=2026, values=VALUES)
    assert refused.value.message_dict == {"year": [services.ERR_DRAFT_EXISTS.format(year=2026, version=1)]}
    low, high = services.draft_year_range()
    for year in (1999, high + 1):
        with pytest.raises(ValidationError) as refused:
            services.pay_policy_draft(actor=world.bureau, year=year, values=VALUES)
        assert refused.value.message_dict == {"year": [services.ERR_YEAR_RANGE.format(low=low, high=high)]}
    assert PayPolicy.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("base_monthly", "0", services.ERR_POSITIVE),
        ("minimum_wage", "-1", services.ERR_POSITIVE),
        ("insured_monthly", "1000", services.ERR_INSURED_BELOW_BASE),
        ("head_allowance", "-0.01", services.ERR_NOT_NEGATIVE),
        ("honour_amount", "abc", services.ERR_NOT_A_NUMBER),
        ("honour_service_years", 0, services.ERR_WHOLE_NUMBER.format(low=1, high=50)),
        ("source_document", " ", services.ERR_REQUIRED),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_nothing_is_written(world, field, value, message):
    with pytest.raises(ValidationError) as refused:
        services.pay_policy_draft(actor=world.bureau, year=2026, values={**VALUES, field: value})
    assert refused.value.message_dict == {field: [message]}
    assert not PayPolicy.objects.exists() and actions() == []


def test_deleting_a_draft_is_audited(world):
    draft = services.pay_policy_draft(actor=world.bureau, year=2026, values=VALUES)
    services.pay_policy_delete(actor=world.bureau, policy=draft)
    assert not PayPolicy.objects.exists() and actions() == ["pay_policy.draft", "pay_policy.delete"]


# Fallback: January before the new year's policy is adopted


def test_january_payroll_uses_last_years_policy_and_says_so(world, login):
    policy = make_policy(2026)
    make_worker(world.bureau, world.committee_a1)
    payroll = services.payroll_compute(
        actor=world.street_user, committee=world.committee_a1, year=2027, month=1
    )
    assert payroll.policy == policy
    notice = "2027 年度薪酬政策尚未采用，按 2026 年度政策计算。"
    assert yearly.payroll_notices(payroll) == [notice]
    assert AuditLog.objects.get(action="payroll.compute").details["policy"] == {"year": 2026, "version": 1}

    client = login(world.street_user)
    assert notice in client.get(reverse("staff:payroll-detail", args=[payroll.pk])).content.decode()
    assert "按 2026 年度政策" in client.get(reverse("staff:payroll-list")).content.decode()
    data = api(world.street_user).get(reverse("staff-payroll-detail", args=[payroll.pk])).json()
    assert (data["policy_year"], data["policy_version"], data["policy_notices"]) == (2026, 1, [notice])


def test_the_pages_say_when_this_year_uses_an_earlier_policy(world, login, monkeypatch):
    make_policy(2025)
    make_retirement_rules(2025)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: date(2026, 1, 5))
    client = login(world.committee_user)
    pay_notice = yearly.PAY_FALLBACK.format(year=2026, used=2025)
    rules_notice = yearly.RETIREMENT_FALLBACK.format(year=2026, used=2025)
    assert pay_notice in client.get(reverse("staff:payroll-list")).content.decode()
    turnover = client.get(reverse("staff:turnover")).content.decode()
    assert pay_notice in turnover and rules_notice in turnover
    listing = client.get(reverse("staff:policy-list")).content.decode()
    assert pay_notice in listing and rules_notice in listing


def test_without_any_adopted_policy_payroll_says_where_to_adopt_one(world):
    make_policy(2026, status=VersionStatus.DRAFT)  # a draft is not enough
    with pytest.raises(ValidationError) as refused:
        services.payroll_compute(actor=world.bureau, committee=world.committee_a1, year=2026, month=1)
    assert refused.value.message_dict == {"year": [services.ERR_NO_POLICY.format(year=2026)]}
    assert "区民政局" in services.ERR_NO_POLICY and "年度规则" in services.ERR_NO_POLICY


# Retirement rules by year


def test_retirement_rules_are_drafted_adopted_and_chosen_by_year(world):
    make_retirement_rules(2024)
    draft = services.retirement_rules_draft(
        actor=world.bureau,
        year=2026,
        values={
            **RULES,
            "female_base_age": 55,
            "female_reform_from": None,
            "female_birth_months_per_step": None,
            "female_max_delay_months": 0,
        },
    )
    assert selectors.version_comparison(draft).changed == 4
    worker = make_worker(world.bureau, world.committee_a1, born=date(1971, 3, 10), hire_date=date(2000, 1, 1))
    # 2025 has no rules of its own: the 2024 rules apply (50, the reform not reaching her cohort of 1971)
    due = selectors.retirement_due(world.bureau, as_of=date(2025, 1, 1))
    assert [(d.worker.pk, d.due_on) for d in due] == [(worker.pk, date(2021, 3, 10))]
    services.retirement_rules_adopt(actor=world.bureau, rule_set=draft)
    due = selectors.retirement_due(world.bureau, as_of=date(2026, 1, 1), within_months=24)
    assert [(d.worker.pk, d.due_on) for d in due] == [
        (worker.pk, date(2026, 3, 10))
    ]  # 55 under the 2026 rules
    with pytest.raises(ValidationError, match="2026-03-10"):
        services.worker_retire(actor=world.bureau, worker=worker, left_on=date(2026, 3, 9))
    assert actions() == ["retirement_rules.draft", "retirement_rules.adopt"]


def test_bad_retirement_values_name_the_field_and_write_nothing(world):
    bad = {**RULES, "male_base_age": 30, "female_reform_from": None, "female_name": ""}
    with pytest.raises(ValidationError) as refused:
        services.retirement_rules_draft(actor=world.bureau, year=2026, values=bad)
    assert refused.value.message_dict == {
        "male_base_age": [services.ERR_WHOLE_NUMBER.format(low=40, high=75)],
        "female_name": [services.ERR_REQUIRED],
        "female_reform_from": [services.ERR_STEP_WITHOUT_REFORM],
    }
    assert not RetirementRuleSet.objects.exists() and actions() == []


def test_an_adopted_rule_set_is_not_edited(world):
    rule_set = make_retirement_rules(2025)
    with pytest.raises(ValidationError, match="不能修改"):
        services.retirement_rules_update(actor=world.bureau, rule_set=rule_set, values=RULES)
    assert rule_set.rules.get(sex="M").base_age == 60 and actions() == []


# Pages


def test_the_bureau_drafts_from_last_years_values_compares_and_adopts_on_the_pages(world, login):
    make_policy(2025, minimum_wage=Decimal("1850.00"))
    client = login(world.bureau)
    form = client.get(reverse("staff:pay-policy-create"), {"year": 2026}).context["form"]
    assert form.initial["minimum_wage"] == Decimal("1850.00") and form.initial["year"] == 2026
    created = client.post(reverse("staff:pay-policy-create"), {**json_values(VALUES), "year": 2026})
    draft = PayPolicy.objects.get(year=2026)
    assert created.status_code == 302 and created["Location"] == reverse(
        "staff:pay-policy-detail", args=[draft.pk]
    )

    detail = client.get(created["Location"]).content.decode()
    assert detail.count('data-changed="1"') == 3 and "1,950.00" in detail and "1,850.00" in detail
    confirm = client.get(reverse("staff:pay-policy-adopt", args=[draft.pk])).content.decode()
    assert "确认采用" in confirm
    assert client.post(reverse("staff:pay-policy-adopt", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.ADOPTED

    refused = client.post(reverse("staff:pay-policy-edit", args=[draft.pk]), json_values(VALUES))
    assert refused.status_code == 400 and "不能修改" in refused.content.decode()
    assert actions() == ["pay_policy.draft", "pay_policy.adopt"]


def test_a_bad_value_on_the_page_is_400_naming_the_field(world, login):
    response = login(world.bureau).post(
        reverse("staff:pay-policy-create"), {**json_values(VALUES), "year": 2026, "insured_monthly": "1000"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["insured_monthly"] == [services.ERR_INSURED_BELOW_BASE]
    assert not PayPolicy.objects.exists()


def test_the_retirement_pages_draft_and_delete(world, login):
    client = login(world.bureau)
    created = client.post(reverse("staff:retirement-rules-create"), {**json_values(RULES), "year": 2026})
    assert created.status_code == 302
    rule_set = RetirementRuleSet.objects.get()
    assert {r.sex: r.base_age for r in rule_set.rules.all()} == {"M": 60, "F": 50}
    client.post(reverse("staff:retirement-rules-delete", args=[rule_set.pk]))
    assert not RetirementRuleSet.objects.exists()
    assert actions() == ["retirement_rules.draft", "retirement_rules.delete"]


@pytest.mark.parametrize("role", ["street", "committee"])
def test_streets_and_committees_read_the_adopted_rules_but_do_not_draft_or_adopt(world, login, role):
    user = world.user(role)
    adopted = make_policy(2025)
    draft = make_policy(2026, status=VersionStatus.DRAFT)
    client = login(user)
    assert client.get(reverse("staff:pay-policy-detail", args=[adopted.pk])).status_code == 200
    assert client.get(reverse("staff:pay-policy-detail", args=[draft.pk])).status_code == 404
    listing = client.get(reverse("staff:policy-list")).content.decode()
    assert reverse("staff:pay-policy-detail", args=[adopted.pk]) in listing
    assert reverse("staff:pay-policy-detail", args=[draft.pk]) not in listing
    assert reverse("staff:pay-policy-create") not in listing
    assert client.get(reverse("staff:pay-policy-create")).status_code == 403
    page = client.post(reverse("staff:pay-policy-create"), {**json_values(VALUES), "year": 2026})
    assert page.status_code == 403
    assert client.post(reverse("staff:pay-policy-adopt", args=[draft.pk])).status_code == 403

    rest = api(user)
    created = rest.post(
        reverse("staff-pay-policy-list"), {**json_values(VALUES), "year": 2027}, format="json"
    )
    assert created.status_code == 403
    assert rest.post(reverse("staff-pay-policy-adopt", args=[draft.pk])).status_code == 403
    assert [p["year"] for p in rest.get(reverse("staff-pay-policy-list")).json()["results"]] == [2025]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT and PayPolicy.objects.count() == 2 and actions() == []


# API


def test_the_api_drafts_updates_and_adopts(world):
    make_policy(2025)
    client = api(world.bureau)
    created = client.post(
        reverse("staff-pay-policy-list"), {**json_values(VALUES), "year": 2026}, format="json"
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["year"], body["status"], body["status_display"]) == (2026, "draft", "草稿")
    url = reverse("staff-pay-policy-detail", args=[body["id"]])
    patched = client.patch(url, {"minimum_wage": "2010.00"}, format="json")
    assert patched.status_code == 200 and patched.json()["minimum_wage"] == "2010.00"
    adopted = client.post(reverse("staff-pay-policy-adopt", args=[body["id"]]))
    assert adopted.status_code == 200 and adopted.json()["status"] == "adopted"
    again = client.put(url, {**json_values(VALUES)}, format="json")
    assert again.status_code == 400 and list(again.json()) == ["status"]
    assert actions() == ["pay_policy.draft", "pay_policy.update", "pay_policy.adopt"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("base_monthly", "0"), ("insured_monthly", "100.00"), ("year", 1999), ("deputy_allowance", "-5")],
)
def test_bad_api_input_is_400_naming_the_field_and_writes_nothing(world, field, value):
    body = {**json_values(VALUES), "year": 2026, field: value}
    response = api(world.bureau).post(reverse("staff-pay-policy-list"), body, format="json")
    assert response.status_code == 400 and list(response.json()) == [field]
    assert not PayPolicy.objects.exists() and actions() == []


def test_the_retirement_api_drafts_and_adopts(world):
    client = api(world.bureau)
    created = client.post(
        reverse("staff-retirement-rule-set-list"),
        {**json_values(RULES), "year": 2026},
        format="json",
    )
    assert created.status_code == 201, created.json()
    rules = {r["sex"]: r for r in created.json()["rules"]}
    assert rules["F"]["base_age"] == 50 and rules["M"]["reform_from"] == "1965-01-01"
    adopted = client.post(reverse("staff-retirement-rule-set-adopt", args=[created.json()["id"]]))
    assert adopted.status_code == 200 and adopted.json()["status"] == "adopted"
    assert yearly.retirement_rules_in_force(2026).version.pk == created.json()["id"]
