import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from community_admin.certificates.models import CertificateType
from tests.factories import PersonFactory, ensure_certificate_whitelist

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def upload(name: str = "scan.pdf", data: bytes = PDF_BYTES, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _evidence_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "evidence", "base_url": None},
        },
    }
    return tmp_path / "evidence"


@pytest.fixture
def people(world):
    """One resident in each committee of the small world."""
    return {
        c.code: PersonFactory(household__committee=c, name=f"张{c.code}")
        for c in (world.committee_a1, world.committee_a2, world.committee_b1)
    }


@pytest.fixture(autouse=True)
def _whitelist(db):
    ensure_certificate_whitelist()


@pytest.fixture
def types(db):
    return {ct.code: ct for ct in CertificateType.objects.all()}


def evidence_for(ct: CertificateType) -> dict:
    return {item: [upload(f"{i}.pdf")] for i, item in enumerate(ct.required_evidence)}


@pytest.fixture
def pdf_text():
    """Text of a PDF through poppler's pdftotext (what a reader's machine would extract)."""
    import subprocess

    def _text(data: bytes) -> str:
        out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
        return out.stdout.decode("utf-8")

    return _text
