import pytest

from community_admin.certificates.models import Certificate, CertificateType, Refusal
from community_admin.certificates.pdf import verification_url
from tests.factories import PASSWORD, PersonFactory, ensure_certificate_whitelist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _whitelist(db):
    ensure_certificate_whitelist()


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=whoami]")


def choose(page, live_server, person, type_code):
    ct = CertificateType.objects.get(code=type_code)
    page.goto(f"{live_server.url}/certificates/issue/")
    page.fill("#id_q", person.name)
    page.click("text=查找")
    page.select_option("#id_person", str(person.pk))
    page.select_option("#id_certificate_type", str(ct.pk))
    page.click("[data-testid=next]")
    page.wait_for_selector("[data-testid=step-2]")
    return ct


def test_committee_staff_issue_a_tier_a_certificate_and_download_its_pdf(
    world, live_server, page, screenshot
):
    person = PersonFactory(household__committee=world.committee_a1, name="王小明")
    log_in(page, live_server, world.committee_user)
    choose(page, live_server, person, "residence")
    page.fill("#id_purpose", "子女入学")
    page.click("[data-testid=issue]")
    page.wait_for_selector("[data-testid=serial]")
    cert = Certificate.objects.get()
    assert page.inner_text("[data-testid=serial]") == cert.serial
    with page.expect_download() as download_info:
        page.click("[data-testid=download-pdf]")
    path = download_info.value.path()
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-"
    screenshot("certificate-issued")


def test_tier_c_is_refused_with_a_referral(world, live_server, page, screenshot):
    person = PersonFactory(household__committee=world.committee_a1, name="李大伟")
    log_in(page, live_server, world.committee_user)
    ct = choose(page, live_server, person, "only-home")
    assert ct.refer_to in page.inner_text("[data-testid=refuse-notice]")
    page.click("[data-testid=refuse]")
    page.wait_for_selector("[data-testid=referred-to]")
    assert ct.refer_to in page.inner_text("[data-testid=referred-to]")
    assert Refusal.objects.get().referred_to == ct.refer_to
    assert not Certificate.objects.exists()
    with page.expect_download() as download_info:
        page.click("[data-testid=referral-slip]")
    assert download_info.value.suggested_filename.endswith(".pdf")
    screenshot("certificate-refused")


def test_a_stranger_verifies_a_certificate_from_its_qr_link(world, live_server, page, settings, screenshot):
    from community_admin.certificates import services

    settings.PUBLIC_BASE_URL = live_server.url
    person = PersonFactory(household__committee=world.committee_a1, name="赵六")
    cert = services.certificate_issue(
        actor=world.committee_user,
        person=person,
        certificate_type=CertificateType.objects.get(code="conduct"),
    ).certificate
    page.goto(verification_url(cert))
    assert page.inner_text("[data-testid=verify-status]") == "该证明有效"
    assert page.inner_text("[data-testid=verify-name]") == "赵*"
    assert "赵六" not in page.content()
    assert "/accounts/login/" not in page.url
    screenshot("certificate-verified")
