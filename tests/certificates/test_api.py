import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from community_admin.certificates.models import Certificate, Refusal
from tests.certificates.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world):
    client = APIClient()
    client.force_authenticate(world.committee_user)
    return client


def test_tier_a_is_issued(api, people):
    response = api.post(
        reverse("certificate-list"),
        {"person": people["A1"].pk, "certificate_type": "residence"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["serial"].startswith("A1-") and response.json()["status"] == "valid"


def test_tier_c_answers_422_with_the_referral(api, people):
    response = api.post(
        reverse("certificate-list"),
        {"person": people["A1"].pk, "certificate_type": "loan-credit"},
        format="json",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["referred_to"] == "贷款银行（个人征信：中国人民银行征信中心）"
    assert body["refusal"]["certificate_type"] == "loan-credit"
    assert body["referral_slip"].endswith(reverse("certificate-refusal-slip", args=[body["refusal"]["id"]]))
    assert Refusal.objects.count() == 1 and not Certificate.objects.exists()


def test_tier_b_takes_multipart_evidence(api, people, types):
    kinship = types["kinship"]
    data = {"person": people["A1"].pk, "certificate_type": "kinship"}
    missing = api.post(reverse("certificate-list"), data, format="multipart")
    assert missing.status_code == 400 and "evidence" in missing.json()
    files = {f"evidence_{i}": upload(f"{i}.pdf", PDF_BYTES) for i in range(len(kinship.required_evidence))}
    response = api.post(reverse("certificate-list"), {**data, **files}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["evidence"] == kinship.required_evidence


def test_bad_input_names_the_field(api, people):
    url = reverse("certificate-list")
    assert "person" in api.post(url, {"person": people["A2"].pk, "certificate_type": "residence"}).json()
    assert "certificate_type" in api.post(url, {"person": people["A1"].pk, "certificate_type": "nope"}).json()


def test_void_and_pdf(api, people):
    created = api.post(
        reverse("certificate-list"), {"person": people["A1"].pk, "certificate_type": "conduct"}
    ).json()
    pdf = api.get(reverse("certificate-pdf", args=[created["id"]]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    voided = api.post(reverse("certificate-void", args=[created["id"]]), {"reason": "信息有误"})
    assert voided.json()["status"] == "voided"


def test_statistics_endpoint(world, people, api):
    api.post(reverse("certificate-list"), {"person": people["A1"].pk, "certificate_type": "residence"})
    api.post(reverse("certificate-list"), {"person": people["A1"].pk, "certificate_type": "death"})
    bureau = APIClient()
    bureau.force_authenticate(world.bureau)
    rows = bureau.get(reverse("certificate-statistics-list"), {"group_by": "tier"}).json()
    assert {r["key"]: (r["issued"], r["refused"]) for r in rows} == {"A": (1, 0), "C": (0, 1)}
    assert bureau.get(reverse("certificate-statistics-list"), {"group_by": "colour"}).status_code == 400


def test_the_whitelist_api_lists_23_types(world):
    client = APIClient()
    client.force_authenticate(world.bureau)
    rows = client.get(reverse("certificate-type-list")).json()
    assert len(rows) == 23
    assert [r["tier"] for r in rows].count("C") == 15
