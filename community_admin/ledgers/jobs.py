"""Job kinds of the ledgers: exporting a book across the committees the starter sees (the whole district for
the bureau and for a district-wide owner department) runs in the background."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from community_admin.accounts import scoping
from community_admin.accounts.models import User
from community_admin.jobs.registry import JobContext, JobKind, JobOutput, register
from community_admin.ledgers import periods, selectors, services
from community_admin.ledgers.exporters import BookExporter

BOOK_EXPORT = BookExporter.identifier
ERR_UNKNOWN_PARAM = "未知的参数：{names}"
ERR_BOOK = "台账：不存在或不在您的范围内：{code}"
ERR_COMMITTEE = "社区：不存在或不在您的范围内：{code}"


def _clean_params(params: dict[str, Any], user: User) -> dict[str, Any]:
    unknown = set(params) - {"book", "period", "committee"}
    if unknown:
        raise ValidationError({"params": ERR_UNKNOWN_PARAM.format(names="、".join(sorted(unknown)))})
    code = str(params.get("book") or "")
    book = selectors.book_list(user).filter(code=code).first()
    if book is None:
        raise ValidationError({"params": ERR_BOOK.format(code=code)})
    cleaned = {"book": book.code}
    if not book.is_derived:
        cleaned["period"] = periods.clean_key(book, params.get("period"), today=timezone.localdate())
    committee = str(params.get("committee") or "")
    if committee:
        if not selectors.book_committees(user, book).filter(code=committee).exists():
            raise ValidationError({"params": ERR_COMMITTEE.format(code=committee)})
        cleaned["committee"] = committee
    return cleaned


def _readable(user: User) -> Q:
    """The exports `user` could have started: of a book they see (a department, only the books it owns), of
    a committee they see when one is named. The job's unit alone would let a department read a committee's
    export of a book it does not own (the disabled-persons book, full ID numbers inside)."""
    books = list(selectors.book_list(user).values_list("code", flat=True))
    committees = list(scoping.visible_committees(user).values_list("code", flat=True))
    return Q(params__book__in=books) & (
        Q(params__committee__isnull=True) | Q(params__committee__in=committees)
    )


def _run_book_export(ctx: JobContext) -> JobOutput:
    book = selectors.book_list(ctx.user).get(code=ctx.params["book"])
    committees = selectors.book_committees(ctx.user, book)
    if ctx.params.get("committee"):
        committees = committees.filter(code=ctx.params["committee"])
    path = ctx.workdir / "ledger.xlsx"
    export = services.book_export(
        actor=ctx.user,
        book=book,
        committees=committees,
        period_key=ctx.params.get("period", ""),
        path=path,
        progress=ctx.progress,
    )
    return JobOutput(path=path, filename=export.filename, content_type=export.content_type)


register(
    JobKind(
        name=BOOK_EXPORT,
        label=BookExporter.label,
        permission=BookExporter.permission,
        run=_run_book_export,
        clean_params=_clean_params,
        read_filter=_readable,
        on_duplicate="join",
    )
)
