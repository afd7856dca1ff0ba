"""PDF documents (WeasyPrint): certificates (one or many in one file), referral slips, and the bare page
the benchmark measures as its floor. Small classes behind one interface: `render() -> bytes`.

Font: Noto Serif CJK SC (SIL Open Font License) cut down to GB 2312's 7,500 characters, shipped in
static/fonts/ (see its README). Shipped rather than taken from the system for two reasons: the documents
look the same on every machine, and WeasyPrint's per-document subsetting (HarfBuzz, libharfbuzz-subset0) from
the 20 MB system collection cost about 3 ms per distinct glyph, doubling a certificate's time. A rare
character outside GB 2312 falls back to the system's Noto CJK (Debian fonts-noto-cjk). Only the regular weight
is used: a bold weight would pull in a second font."""

from collections.abc import Iterable, Sequence
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from weasyprint import HTML

from community_admin.certificates import texts
from community_admin.certificates.models import Certificate, Refusal

FONT_FILE = "static/fonts/NotoSerifSC-GB2312.otf"  # relative to BASE_DIR, the documents' base URL
FONT_FACE = f'@font-face {{ font-family: "Certificate Serif"; src: url("{FONT_FILE}"); }}'
FONT_FAMILY = '"Certificate Serif", "Noto Serif CJK SC", "Noto Sans CJK SC", serif'


def verification_url(certificate: Certificate) -> str:
    query = urlencode({"s": certificate.serial, "c": certificate.verification_code})
    return f"{settings.PUBLIC_BASE_URL}{reverse('verify')}?{query}"


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=3, border=0)


def _document(html: str):
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def _write(html: str) -> bytes:
    return _document(html).write_pdf()


def combine(documents) -> bytes:
    """Laid-out documents (rendered in chunks, so a batch can report progress) as one PDF."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


class CertificateDocument:
    """One or more certificates, one A4 page each, in one PDF."""

    template = "certificates/pdf/certificates.html"

    def __init__(self, certificates: Sequence[Certificate]) -> None:
        self.certificates = certificates

    def pages(self) -> Iterable[dict]:
        for cert in self.certificates:
            person = cert.person
            body = texts.render_body(
                cert.template_text,
                person=person,
                committee=cert.committee,
                purpose=cert.purpose,
                full_id=cert.shows_full_id,
            )
            url = verification_url(cert)
            yield {
                "certificate": cert,
                "title": cert.certificate_type.name,
                "paragraphs": [p for p in body.splitlines() if p.strip()],
                "date": texts.chinese_date(cert.issued_on),
                "qr": qr_data_uri(url),
                "verify_url": url,
            }

    def html(self) -> str:
        return render_to_string(
            self.template, {"pages": list(self.pages()), "font_face": FONT_FACE, "font_family": FONT_FAMILY}
        )

    def document(self):
        return _document(self.html())

    def render(self) -> bytes:
        return _write(self.html())


class ReferralSlipDocument:
    """告知单: the request was refused here; the department named is where to go."""

    template = "certificates/pdf/referral_slip.html"

    def __init__(self, refusal: Refusal) -> None:
        self.refusal = refusal

    def html(self) -> str:
        r = self.refusal
        return render_to_string(
            self.template,
            {
                "refusal": r,
                "committee": r.committee,
                "date": texts.chinese_date(r.refused_on),
                "font_face": FONT_FACE,
                "font_family": FONT_FAMILY,
            },
        )

    def render(self) -> bytes:
        return _write(self.html())


class FloorDocument:
    """A bare one-page document in the same font: what WeasyPrint costs before any of our work."""

    def __init__(self, text: str = "社区居民委员会 证明 兹证明 特此证明") -> None:
        self.text = text

    def html(self) -> str:
        return (
            f"<html><head><style>@page {{ size: A4; }} body {{ font-family: {FONT_FAMILY}; }}</style></head>"
            f"<body><p>{self.text}</p></body></html>"
        )

    def render(self) -> bytes:
        return _write(self.html())
