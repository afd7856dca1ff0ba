import pytest
from django.urls import reverse

from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken
from community_admin.certificates import services
from community_admin.certificates.models import VerificationLookup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def cert(world, people, types):
    return services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["residence"]
    ).certificate


def verify(client, serial, code):
    return client.get(reverse("verify"), {"s": serial, "c": code})


def test_a_stranger_verifies_from_the_qr_link_and_sees_no_personal_data(client, cert, people):
    response = verify(client, cert.serial, cert.verification_code)
    html = response.content.decode()
    assert response.status_code == 200
    assert "该证明有效" in html and "居住证明" in html and "甲一社区居委会" in html
    assert "张*" in html
    assert people["A1"].name not in html
    assert people["A1"].id_number[-4:] not in html.replace(cert.serial, "")
    assert response["Cache-Control"] == "no-store"


def test_a_voided_certificate_reads_voided(client, world, cert):
    services.certificate_void(actor=world.committee_user, certificate=cert, reason="重开")
    assert "该证明已作废" in verify(client, cert.serial, cert.verification_code).content.decode()


def test_a_wrong_code_answers_exactly_like_an_unknown_serial(client, cert):
    wrong_code = verify(client, cert.serial, "WRONGCODE123")
    unknown = verify(client, "ZZ-2000-00001", "WRONGCODE123")
    assert wrong_code.status_code == unknown.status_code == 200
    normalised = [
        r.content.decode().replace(s, "SERIAL")
        for r, s in ((wrong_code, cert.serial), (unknown, "ZZ-2000-00001"))
    ]
    assert normalised[0] == normalised[1]
    assert "未查到该证明" in normalised[0]


def test_lookups_are_rate_limited_per_address_and_all_logged(client, cert, settings):
    settings.VERIFY_RATE_LIMIT = 3
    codes = [verify(client, cert.serial, cert.verification_code).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    other = client.get(
        reverse("verify"), {"s": cert.serial, "c": cert.verification_code}, REMOTE_ADDR="10.0.0.9"
    )
    assert other.status_code == 200
    outcomes = list(VerificationLookup.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["valid"] * 3 + ["limited"] * 2 + ["valid"]


def test_the_empty_page_is_a_form_and_bad_input_is_400(client):
    assert client.get(reverse("verify")).status_code == 200
    assert client.get(reverse("verify"), {"s": "x"}).status_code == 400


def test_departments_verify_through_the_api_with_the_scope(world, cert):
    from rest_framework.test import APIClient

    _, key = account_services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="核验",
        scopes=[ApiToken.Scope.CERTIFICATES_VERIFY],
        days_valid=5,
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    url = reverse("certificate-verify")
    ok = api.post(url, {"serial": cert.serial, "code": cert.verification_code}, format="json")
    assert ok.status_code == 200
    assert ok.json() == {
        "found": True,
        "valid": True,
        "status": "valid",
        "type_name": "居住证明",
        "committee_name": "甲一社区居委会",
        "issued_on": str(cert.issued_on),
        "masked_name": "张**",
    }
    wrong = api.post(url, {"serial": cert.serial, "code": "nope"}, format="json").json()
    assert wrong["found"] is False and wrong["masked_name"] == ""
    logged = VerificationLookup.objects.filter(channel="api")
    assert logged.count() == 2 and not logged.filter(user__isnull=True).exists()
    _, other_key = account_services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="只读",
        scopes=[ApiToken.Scope.ORG_READ],
        days_valid=5,
    )
    api.credentials(HTTP_AUTHORIZATION=f"Token {other_key}")
    assert (
        api.post(url, {"serial": cert.serial, "code": cert.verification_code}, format="json").status_code
        == 403
    )
