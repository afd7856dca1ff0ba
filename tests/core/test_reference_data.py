"""A district switches the system on without the demo (issue 16, item 1): migrate, `install_reference_data`,
`create_bureau_user`. The reference data is everything the demo seed alone used to create and the work needs:
departments, the ledger catalogue, the admission list, this year's pay policy and the retirement rules, besides
the whitelist, the national list and the norms the migrations bring."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from community_admin.accounts.models import Role, User
from community_admin.admission import catalogue as admission_catalogue
from community_admin.admission.models import ServiceItem
from community_admin.certificates import reference as certificate_reference
from community_admin.certificates.models import CertificateType, NationalProhibition, PolicySource
from community_admin.core.models import AuditLog
from community_admin.core.reference_data import REVIEW_MARK, install_all, reference_parts
from community_admin.ledgers.catalogue import CATALOGUE
from community_admin.ledgers.models import LedgerBook, LedgerCategory
from community_admin.org.models import Department, OfficeAreaNorm
from community_admin.org.reference import DEPARTMENTS
from community_admin.staff import services as staff_services
from community_admin.staff.models import PayPolicy, RetirementRule, RetirementRuleSet, VersionStatus
from tests.factories import ensure_certificate_whitelist

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Department,
            OfficeAreaNorm,
            PolicySource,
            NationalProhibition,
            CertificateType,
            LedgerCategory,
            LedgerBook,
            ServiceItem,
            PayPolicy,
            RetirementRule,
        )
    }


def install() -> str:
    out = io.StringIO()
    call_command("install_reference_data", stdout=out)
    return out.getvalue()


@pytest.fixture
def empty_district():
    """What `migrate` leaves (the whitelist and norms of the data migrations), and nothing of the demo."""
    ensure_certificate_whitelist()
    assert not Department.objects.exists() and not ServiceItem.objects.exists()


def test_every_part_is_found_lowest_layer_first():
    assert [label for label, _ in reference_parts()] == ["org", "certificates", "staff", "tasks", "ledgers"]


def test_a_fresh_install_gets_everything_the_work_needs(empty_district):
    output = install()
    year = timezone.localdate().year
    assert counts() == {
        "Department": len(DEPARTMENTS),
        "OfficeAreaNorm": 2,
        "PolicySource": 2,
        "NationalProhibition": 20,
        "CertificateType": 23,
        "LedgerCategory": len(CATALOGUE),
        "LedgerBook": sum(len(books) for _, _, books in CATALOGUE),
        "ServiceItem": len(admission_catalogue.ITEMS),
        "PayPolicy": 1,
        "RetirementRule": 2,
    }
    policy = PayPolicy.objects.get()
    assert policy.year == year and policy.source_document.startswith(REVIEW_MARK)
    # the report's figures wait for the bureau as a draft; the retirement ages (national law) are adopted
    assert policy.status == VersionStatus.DRAFT
    assert RetirementRuleSet.objects.get().status == VersionStatus.ADOPTED
    assert set(ServiceItem.objects.values_list("status", flat=True)) == {ServiceItem.Status.ADMITTED}
    assert "参考数据已就绪（5 部分" in output and f"{year} 年度薪酬政策草稿已新建" in output
    assert f"{year} 年度退休规则已新建并采用" in output


def test_a_fresh_install_computes_payroll_once_the_bureau_adopts(empty_district, world):
    install()
    policy = PayPolicy.objects.get()
    with pytest.raises(ValidationError) as refused:
        staff_services.payroll_compute(
            actor=world.bureau, committee=world.committee_a1, year=policy.year, month=1
        )
    assert refused.value.message_dict == {"year": [staff_services.ERR_NO_POLICY.format(year=policy.year)]}
    assert "年度规则" in staff_services.ERR_NO_POLICY  # the message says where the bureau adopts one
    staff_services.pay_policy_adopt(actor=world.bureau, policy=policy)
    payroll = staff_services.payroll_compute(
        actor=world.bureau, committee=world.committee_a1, year=policy.year, month=1
    )
    assert payroll.policy == policy
    row = AuditLog.objects.get(action="reference.install")
    assert row.actor_name == "install_reference_data" and set(row.details["parts"]) == {
        "org",
        "certificates",
        "staff",
        "tasks",
        "ledgers",
    }


def test_running_it_again_changes_nothing_and_keeps_the_bureaus_edits(empty_district):
    install()
    before = counts()
    book = LedgerBook.objects.order_by("id").first()
    book.name = "区里改过的台账名称"
    book.save(update_fields=["name"])
    item = ServiceItem.objects.order_by("id").first()
    item.status = ServiceItem.Status.REVOKED
    item.save(update_fields=["status"])
    certificate_type = CertificateType.objects.get(code="residence")
    certificate_type.template_text = "区里改过的模板 {name}"
    certificate_type.save(update_fields=["template_text"])
    policy = PayPolicy.objects.get()
    policy.minimum_wage = "2100.00"
    policy.source_document = "省政府 2026 年公布"
    policy.save(update_fields=["minimum_wage", "source_document"])
    OfficeAreaNorm.objects.filter(code="report-20-per-100").update(district_choice=False)
    norm = OfficeAreaNorm.objects.get(code="national-2021-56")  # the district adopts the national figure
    norm.district_choice = True
    norm.save(update_fields=["district_choice"])

    install()

    assert counts() == before
    (
        book.refresh_from_db(),
        item.refresh_from_db(),
        certificate_type.refresh_from_db(),
        policy.refresh_from_db(),
    )
    norm.refresh_from_db()
    assert book.name == "区里改过的台账名称" and item.status == ServiceItem.Status.REVOKED
    assert certificate_type.template_text == "区里改过的模板 {name}"
    assert str(policy.minimum_wage) == "2100.00" and policy.source_document == "省政府 2026 年公布"
    assert norm.district_choice is True
    assert AuditLog.objects.filter(action="reference.install").count() == 2


def test_published_sources_follow_their_text(empty_district):
    """An upgrade corrects a source: 民发〔2020〕20号 was issued by these six bodies (issue 18 found it
    attributed to the wrong ones); a database installed before gets the correction from the next run."""
    PolicySource.objects.filter(code="minfa-2020-20").update(issued_by="民政部、中央组织部")
    install()
    national = PolicySource.objects.get(code="minfa-2020-20")
    assert national.issued_by == "民政部、国家发展改革委、公安部、司法部、人力资源社会保障部、国家卫生健康委"
    assert national.issued_by == certificate_reference.NATIONAL["issued_by"]


def test_the_demo_seed_adds_only_demo_data_on_top(empty_district):
    install()
    call_command("seed_district", scale="small", stdout=io.StringIO())
    assert ServiceItem.objects.filter(code__in=[row[0] for row in admission_catalogue.ITEMS]).count() == len(
        admission_catalogue.ITEMS
    )
    assert ServiceItem.objects.exclude(code__in=[row[0] for row in admission_catalogue.ITEMS]).count() == 4
    year = timezone.localdate().year
    assert set(PayPolicy.objects.values_list("year", flat=True)) == {year, year - 1}
    # the demo adopts this year's draft as the bureau would: payroll runs
    assert PayPolicy.objects.get(year=year).status == VersionStatus.ADOPTED
    assert Department.objects.filter(kind="police").exists()  # the demo's police stations
    assert Department.objects.exclude(kind="police").count() == len(DEPARTMENTS)


def test_install_all_is_the_commands_work(empty_district):
    said = []
    assert install_all(said.append) == ["org", "certificates", "staff", "tasks", "ledgers"]
    assert len(said) == 5


# --- the first account


def test_the_first_bureau_account_from_the_environment(monkeypatch):
    monkeypatch.setenv("FIRST_PASSWORD", "correct-horse-battery-9")
    out = io.StringIO()
    call_command("create_bureau_user", "zhangwei", name=" 张伟 ", password_env="FIRST_PASSWORD", stdout=out)
    user = User.objects.get(username="zhangwei")
    assert (user.role, user.first_name, user.is_active) == (Role.BUREAU, "张伟", True)
    assert user.check_password("correct-horse-battery-9")
    row = AuditLog.objects.get(action="user.create")
    assert row.actor_name == "create_bureau_user" and row.object_id == str(user.pk)
    assert "已新建区民政局账户 zhangwei（张伟）" in out.getvalue()


def test_the_password_is_asked_twice_at_the_prompt(monkeypatch):
    answers = iter(["correct-horse-battery-9", "correct-horse-battery-9"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    call_command("create_bureau_user", "lina", name="李娜", stdout=io.StringIO())
    assert User.objects.filter(username="lina", role=Role.BUREAU).exists()


@pytest.mark.parametrize(
    ("username", "name", "password", "message"),
    [
        ("zhangwei", "张伟", None, "环境变量 FIRST_PASSWORD 未设置"),
        ("ZhangWei", "张伟", "correct-horse-battery-9", "用户名：ZhangWei 已被使用"),
        ("wangfang", "王芳", "short", "12"),
        ("wangfang", "  ", "correct-horse-battery-9", "姓名：请填写"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_creates_nothing(
    monkeypatch, username, name, password, message
):
    User.objects.create_user("zhangwei", password="x" * 16, role=Role.BUREAU)
    if password is not None:
        monkeypatch.setenv("FIRST_PASSWORD", password)
    else:
        monkeypatch.delenv("FIRST_PASSWORD", raising=False)
    with pytest.raises(CommandError, match=message):
        call_command("create_bureau_user", username, name=name, password_env="FIRST_PASSWORD")
    assert User.objects.count() == 1 and not AuditLog.objects.filter(action="user.create").exists()


def test_mismatched_prompts_are_refused(monkeypatch):
    answers = iter(["correct-horse-battery-9", "correct-horse-battery-8"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="两次输入的密码不一致"):
        call_command("create_bureau_user", "lina", name="李娜")
    assert not User.objects.exists()
