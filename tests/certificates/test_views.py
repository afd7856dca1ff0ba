import pytest
from django.urls import reverse

from community_admin.certificates import services
from community_admin.certificates.models import Certificate, CertificateType, Refusal
from community_admin.core.models import AuditLog
from tests.certificates.conftest import PNG_BYTES, evidence_for, upload

pytestmark = pytest.mark.django_db


def test_committee_staff_issue_tier_a_on_the_page(world, login, people, types):
    client = login(world.committee_user)
    step2 = client.get(
        reverse("certificates:issue"), {"person": people["A1"].pk, "certificate_type": types["residence"].pk}
    )
    assert step2.status_code == 200 and "出具并用印" in step2.content.decode()
    response = client.post(
        reverse("certificates:issue"),
        {"person": people["A1"].pk, "certificate_type": types["residence"].pk, "purpose": "入学"},
    )
    cert = Certificate.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "certificates:detail", args=[cert.pk]
    )
    pdf = client.get(reverse("certificates:pdf", args=[cert.pk]))
    assert pdf["Content-Type"] == "application/pdf" and "attachment" in pdf["Content-Disposition"]


def test_tier_c_on_the_page_is_refused_with_a_referral(world, login, people, types):
    client = login(world.committee_user)
    ct = types["hospital"]
    step2 = client.get(reverse("certificates:issue"), {"person": people["A1"].pk, "certificate_type": ct.pk})
    assert ct.refer_to in step2.content.decode()
    response = client.post(
        reverse("certificates:issue"), {"person": people["A1"].pk, "certificate_type": ct.pk}
    )
    refusal = Refusal.objects.get()
    assert response["Location"] == reverse("certificates:refusal-detail", args=[refusal.pk])
    assert client.get(reverse("certificates:refusal-slip", args=[refusal.pk])).content.startswith(b"%PDF-")


def test_tier_b_with_a_fake_file_is_400_and_names_the_item(world, login, people, types):
    ct = types["hardship"]
    data = {"person": people["A1"].pk, "certificate_type": ct.pk}
    data.update({f"evidence_{i}": upload(f"{i}.pdf") for i in range(len(ct.required_evidence))})
    data["evidence_0"] = upload("x.pdf", b"<html></html>", "application/pdf")
    response = login(world.committee_user).post(reverse("certificates:issue"), data)
    assert response.status_code == 400
    assert ct.required_evidence[0] in response.content.decode()
    assert not Certificate.objects.exists()


def test_evidence_downloads_as_an_attachment_that_is_never_sniffed(world, login, people, types):
    ct = types["kinship"]
    evidence = evidence_for(ct)
    evidence[ct.required_evidence[0]] = [upload("a.png", PNG_BYTES, "text/html")]
    cert = services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=ct, evidence=evidence
    ).certificate
    item = cert.evidence.get(requirement=ct.required_evidence[0])
    response = login(world.committee_user).get(reverse("certificates:evidence", args=[item.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert AuditLog.objects.filter(action="certificate.evidence_open", object_id=str(item.pk)).exists()


def test_the_whitelist_page_flags_conflicts_and_the_bureau_adopts(world, login, types):
    client = login(world.bureau)
    page = client.get(reverse("certificates:type-list")).content.decode()
    assert 'data-testid="type-kinship"' in page and "民发〔2020〕20号" in page and "冲突" in page
    marriage = types["marriage-lost"]
    rule = marriage.conflicts.get()
    response = client.post(reverse("certificates:type-adopt", args=[marriage.pk]), {"prohibition": rule.pk})
    assert response.status_code == 302
    assert CertificateType.objects.get(pk=marriage.pk).tier == "C"
    edit = client.post(
        reverse("certificates:type-edit", args=[types["conduct"].pk]),
        {"tier": "C", "refer_to": "", "template_text": "x", "active": "on"},
    )
    assert edit.status_code == 400 and "告知办理部门" in edit.content.decode()


def test_seal_log_and_statistics_pages(world, login, people, types):
    services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["residence"]
    )
    page = login(world.committee_user).get(
        reverse("certificates:seal-log"), {"committee": world.committee_a1.pk}
    )
    assert "甲一社区居委会印章" in page.content.decode()
    stats = login(world.street_user).get(reverse("certificates:statistics"), {"group_by": "type"})
    assert "居住证明" in stats.content.decode()


def test_evidence_goes_through_the_private_file_response_with_one_audit_row(world, login, people, types):
    ct = types["kinship"]
    cert = services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=ct, evidence=evidence_for(ct)
    ).certificate
    response = login(world.committee_user).get(
        reverse("certificates:evidence", args=[cert.evidence.first().pk])
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert AuditLog.objects.filter(action="certificate.evidence_open").count() == 1
    assert not AuditLog.objects.filter(action="file.download").exists()  # one row per download, not two


def test_the_list_page_and_the_api_filter_alike(world, login, people, types):
    from community_admin.certificates import services as cert_services

    kept = cert_services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["residence"]
    ).certificate
    voided = cert_services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["residence"]
    ).certificate
    cert_services.certificate_void(actor=world.committee_user, certificate=voided, reason="写错用途")
    client = login(world.committee_user)
    for query, expected in (({"status": "voided"}, [voided]), ({"q": kept.serial}, [kept])):
        page = client.get(reverse("certificates:list"), query).context["page"]
        api = client.get("/api/v1/certificates/", query).json()["results"]
        assert list(page.object_list) == expected, query
        assert [row["serial"] for row in api] == [c.serial for c in expected], query
    response = client.get(reverse("certificates:list"), {"status": "lost"})
    assert response.status_code == 400 and "状态" in response.content.decode()
    assert not response.context["page"].object_list
