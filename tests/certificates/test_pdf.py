import re
import subprocess
from datetime import date

import pytest

from community_admin.certificates import pdf, services, texts
from community_admin.core import idnumbers
from community_admin.core.models import AuditLog
from tests.certificates.conftest import evidence_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (date(2026, 5, 12), "二〇二六年五月十二日"),
        (date(2020, 10, 1), "二〇二〇年十月一日"),
        (date(2019, 12, 31), "二〇一九年十二月三十一日"),
    ],
)
def test_dates_are_written_in_chinese(day, words):
    assert texts.chinese_date(day) == words


def test_names_are_masked_after_the_first_character():
    assert [texts.masked_name(n) for n in ("张三", "欧阳娜娜", "李")] == ["张*", "欧***", "李*"]


def test_the_certificate_pdf_renders_chinese_serial_date_and_verification_link(
    world, people, types, pdf_text, settings
):
    settings.PUBLIC_BASE_URL = "https://community.example.gov.cn"
    person = people["A1"]
    cert = services.certificate_issue(
        actor=world.committee_user, person=person, certificate_type=types["conduct"], purpose="参军政审"
    ).certificate
    data = services.certificate_print(actor=world.committee_user, certificate=cert)
    assert data.startswith(b"%PDF-")
    text = re.sub(r"\s+", "", pdf_text(data))
    for words in (
        "甲一社区居委会",
        "不练xx功证明信",
        f"编号：{cert.serial}",
        "参军政审",
        "特此证明",
        "（盖章）",
    ):
        assert words in text
    assert texts.chinese_date(cert.issued_on) in text
    assert idnumbers.mask(person.id_number) in text and person.id_number not in text  # this type masks it
    assert f"https://community.example.gov.cn/verify/?s={cert.serial}&c={cert.verification_code}" in text
    assert AuditLog.objects.filter(action="certificate.print", object_id=str(cert.pk)).exists()


def test_a_type_that_needs_the_full_id_shows_it(world, people, types, pdf_text):
    cert = services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["residence"]
    ).certificate
    assert people["A1"].id_number in pdf_text(pdf.CertificateDocument([cert]).render())


def test_the_qr_code_carries_the_verification_url(world, people, types):
    cert = services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["residence"]
    ).certificate
    html = pdf.CertificateDocument([cert]).html()
    assert pdf.qr_data_uri(pdf.verification_url(cert)) in html


def test_the_referral_slip_names_the_department(world, people, types, pdf_text):
    refusal = services.certificate_issue(
        actor=world.committee_user, person=people["A1"], certificate_type=types["id-card-lost"]
    ).refusal
    text = re.sub(
        r"\s+", "", pdf_text(services.refusal_slip_print(actor=world.committee_user, refusal=refusal))
    )
    assert "证明事项告知单" in text and "身份证丢失证明" in text and "户籍所在地派出所" in text


def test_a_batch_prints_many_certificates_into_one_pdf_as_a_job(
    world, people, types, settings, tmp_path, pdf_text
):
    from community_admin.jobs import services as job_services
    from community_admin.jobs.models import Job

    settings.STORAGES = {
        **settings.STORAGES,
        "job_results": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    kinship = types["kinship"]
    certs = [
        services.certificate_issue(
            actor=world.committee_user, person=people["A1"], certificate_type=ct, evidence=evidence_for(ct)
        ).certificate
        for ct in (types["residence"], kinship, types["conduct"])
    ]
    month = f"{certs[0].issued_on:%Y-%m}"
    with pytest.raises(Exception, match="YYYY-MM"):
        job_services.job_start(
            actor=world.committee_user, kind="certificates.batch_pdf", params={"month": "May"}
        )
    job = job_services.job_start(
        actor=world.committee_user, kind="certificates.batch_pdf", params={"month": month}
    ).job
    job_services.job_run(job_id=job.pk, heartbeat=False)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    data = (tmp_path / job.result_path).read_bytes()
    assert job.result_content_type == "application/pdf"
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert re.search(r"Pages:\s+3", info)
    text = pdf_text(data)
    assert all(c.serial in text for c in certs)
