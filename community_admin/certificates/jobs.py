"""Batch printing: many certificates in one PDF, as a background job."""

import re
from typing import Any

from django.core.exceptions import ValidationError

from community_admin.accounts.models import User
from community_admin.certificates import pdf, selectors
from community_admin.certificates.models import Certificate
from community_admin.jobs.registry import JobContext, JobKind, JobOutput, register

BATCH_PDF = "certificates.batch_pdf"
BATCH_MAX = 500
BATCH_CHUNK = 25
ERR_BATCH_UNKNOWN_PARAM = "未知的参数：{names}"
ERR_BATCH_MONTH = "月份：请写成 YYYY-MM，如 2026-03。"
ERR_BATCH_EMPTY = "该月份没有可打印的有效证明。"
ERR_BATCH_TOO_MANY = "一次最多打印 {limit} 份，该月份有 {count} 份，请按证明类型分批。"


def _batch(params: dict[str, Any], user: User):
    year, month = (int(part) for part in params["month"].split("-"))
    rows = selectors.certificate_list(user).filter(
        status=Certificate.Status.VALID, issued_on__year=year, issued_on__month=month
    )
    if params.get("type"):
        rows = rows.filter(certificate_type__code=params["type"])
    return rows.order_by("committee__code", "year", "number")


def _clean(params: dict[str, Any], user: User) -> dict[str, Any]:
    unknown = set(params) - {"month", "type"}
    if unknown:
        raise ValidationError({"params": ERR_BATCH_UNKNOWN_PARAM.format(names="、".join(sorted(unknown)))})
    month = str(params.get("month", "")).strip()
    if not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", month):
        raise ValidationError({"month": ERR_BATCH_MONTH})
    cleaned = {"month": month, **({"type": str(params["type"])} if params.get("type") else {})}
    count = _batch(cleaned, user).count()
    if not count:
        raise ValidationError({"month": ERR_BATCH_EMPTY})
    if count > BATCH_MAX:
        raise ValidationError({"month": ERR_BATCH_TOO_MANY.format(limit=BATCH_MAX, count=count)})
    return cleaned


def _run(ctx: JobContext) -> JobOutput:
    certificates = list(_batch(ctx.params, ctx.user))
    bar = ctx.progress("打印证明", len(certificates))
    documents = []
    for start in range(0, len(certificates), BATCH_CHUNK):
        chunk = certificates[start : start + BATCH_CHUNK]
        documents.append(pdf.CertificateDocument(chunk).document())
        bar.advance(len(chunk))
    bar.finish()
    path = ctx.workdir / "certificates.pdf"
    path.write_bytes(pdf.combine(documents))
    return JobOutput(path=path, filename=f"证明-{ctx.params['month']}.pdf", content_type="application/pdf")


register(
    JobKind(
        name=BATCH_PDF,
        label="批量打印证明（PDF）",
        permission="certificates.print",
        run=_run,
        clean_params=_clean,
        on_duplicate="join",
    )
)
