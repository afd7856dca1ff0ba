"""Writes to the ledgers. Each names its actor, runs in one transaction and leaves an audit row; entries
also keep their own history (`LedgerEntryRevision`). A closed period locks its entries."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from community_admin.accounts.models import Role
from community_admin.core import audit
from community_admin.core.exporters import ExportFile
from community_admin.core.progress import Progress, ProgressFactory
from community_admin.ledgers import catalogue, exporters, importers, periods, selectors
from community_admin.ledgers.fields import clean_entry_data
from community_admin.ledgers.models import (
    LedgerBook,
    LedgerCategory,
    LedgerEntry,
    LedgerEntryRevision,
    LedgerPeriod,
)
from community_admin.org.models import Committee, Department

ERR_DERIVED_NO_ENTRIES = "该台账由人口库自动生成，不需要也不能手工登记。"
ERR_PERIOD_CLOSED = "期间：{label}已关账，条目已锁定；如需修改请由街道办事处重新开账。"
ERR_PERIOD_ALREADY_CLOSED = "期间：{label}已经关账。"
ERR_PERIOD_NOT_CLOSED = "期间：{label}尚未关账。"
ERR_PERIOD_NONE_CLOSE = "期间：该台账不分期，不能关账。"
ERR_REOPEN_STREET_ONLY = "只有街道办事处可以重新开账。"
ERR_REOPEN_REASON = "原因：重新开账须说明原因。"
ERR_ENTRY_REMOVED = "该条目已删除。"
ERR_BOOK_UNKNOWN_FIELD = "不能修改字段：{field}"
ERR_BOOK_DERIVED_COLUMNS = "栏目：派生台账的栏目由人口库视图决定。"
ERR_NOTHING_TO_IMPORT = "文件中没有数据行。"

BOOK_EDITABLE_FIELDS = (
    "name",
    "owner_department",
    "owner_police_station",
    "period",
    "columns",
    "source_document",
    "active",
    "order",
)


@transaction.atomic
def catalogue_install(*, actor=None) -> tuple[int, int]:
    """Create the report's categories and books that are missing (by code). Returns (categories, books) created.
    Existing books are left as the bureau edited them."""
    departments = {d.code: d for d in Department.objects.all()}
    created_categories = created_books = 0
    for order, (code, name, books) in enumerate(catalogue.CATALOGUE, start=1):
        category, made = LedgerCategory.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )
        created_categories += made
        existing = set(
            LedgerBook.objects.filter(code__in=[b["code"] for b in books]).values_list("code", flat=True)
        )
        for position, spec in enumerate(books, start=1):
            if spec["code"] in existing:
                continue
            police = spec["owner"] == catalogue.POLICE
            owner = None if police else departments.get(spec["owner"])
            if owner is None and not police:
                raise ValidationError(
                    {"owner_department": f"责任部门：找不到部门代码 {spec['owner']}（台账 {spec['name']}）。"}
                )
            book = LedgerBook(
                category=category,
                code=spec["code"],
                name=spec["name"],
                owner_department=owner,
                owner_police_station=police,
                period=spec["period"],
                source=LedgerBook.Source.DERIVED if spec["derived_key"] else LedgerBook.Source.MANUAL,
                derived_key=spec["derived_key"],
                columns=spec["columns"],
                source_document=catalogue.REPORT,
                order=position,
            )
            # The catalogue is the report's fixed list: its books are checked against the model's constraints
            # by a test (tests/ledgers/test_services.py), and the database enforces them on insert. Validating
            # them here again cost a query per constraint per book (~0.7 s per install).
            book.full_clean(validate_unique=False, validate_constraints=False)
            book.save()
            created_books += 1
    if created_categories or created_books:
        audit.record(
            actor=actor,
            actor_name="seed",
            action="ledgers.catalogue_install",
            details={"categories": created_categories, "books": created_books},
        )
    return created_categories, created_books


@transaction.atomic
def book_update(*, actor, book: LedgerBook, changes: dict) -> LedgerBook:
    """The bureau edits a book of the catalogue: owner, period, columns, name, active."""
    book = LedgerBook.objects.select_for_update().get(pk=book.pk)
    before = {}
    for field, value in changes.items():
        if field not in BOOK_EDITABLE_FIELDS:
            raise ValidationError({field: ERR_BOOK_UNKNOWN_FIELD.format(field=field)})
        if field == "columns" and book.is_derived and value:
            raise ValidationError({"columns": ERR_BOOK_DERIVED_COLUMNS})
        before[field] = getattr(book, field)
        setattr(book, field, value)
    book.full_clean()
    book.save()
    audit.record(
        actor=actor,
        action="ledger_book.update",
        obj=book,
        details={
            f: [_plain(before[f]), _plain(getattr(book, f))] for f in changes if before[f] != getattr(book, f)
        },
    )
    return book


def _plain(value):
    return getattr(value, "code", value)


def _period_for_write(*, book: LedgerBook, committee: Committee, key: str) -> LedgerPeriod:
    """The period row, created on first use, locked for the transaction; refuses a closed one."""
    try:
        with transaction.atomic():
            period, _ = LedgerPeriod.objects.get_or_create(book=book, committee=committee, key=key)
    except IntegrityError:  # created by a concurrent request
        period = LedgerPeriod.objects.get(book=book, committee=committee, key=key)
    period = LedgerPeriod.objects.select_for_update().get(pk=period.pk)
    if period.closed:
        raise ValidationError({"period": ERR_PERIOD_CLOSED.format(label=periods.label(book.period, key))})
    return period


def _check_manual(book: LedgerBook) -> None:
    if book.is_derived:
        raise ValidationError(ERR_DERIVED_NO_ENTRIES)


@transaction.atomic
def entry_create(
    *, actor, book: LedgerBook, committee: Committee, period_key: str = "", data: dict
) -> LedgerEntry:
    """`committee` must be one the caller sees (the view resolves it through scoping)."""
    _check_manual(book)
    today = timezone.localdate()
    key = periods.clean_key(book, period_key, today=today)
    cleaned = clean_entry_data(book, data, persons=selectors.linkable_persons(actor, committee), today=today)
    period = _period_for_write(book=book, committee=committee, key=key)
    entry = LedgerEntry(period=period, data=cleaned, created_by=actor)
    entry.full_clean()
    entry.save()
    LedgerEntryRevision.objects.create(
        entry=entry,
        action=LedgerEntryRevision.Action.CREATE,
        data=cleaned,
        changed=sorted(cleaned),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="ledger_entry.create",
        obj=entry,
        details={"book": book.code, "committee": committee.code, "period": key},
    )
    return entry


def _lock_entry(entry: LedgerEntry) -> LedgerEntry:
    entry = (
        LedgerEntry.objects.select_for_update()
        .select_related("period__book", "period__committee")
        .get(pk=entry.pk)
    )
    if entry.removed:
        raise ValidationError(ERR_ENTRY_REMOVED)
    period = LedgerPeriod.objects.select_for_update().get(pk=entry.period_id)
    if period.closed:
        raise ValidationError(
            {"period": ERR_PERIOD_CLOSED.format(label=periods.label(entry.period.book.period, period.key))}
        )
    return entry


@transaction.atomic
def entry_update(*, actor, entry: LedgerEntry, data: dict) -> LedgerEntry:
    """Replace some fields of an entry (`data` holds the changed fields; an empty value clears one)."""
    entry = _lock_entry(entry)
    book, committee = entry.period.book, entry.period.committee
    merged = {**entry.data, **data}
    cleaned = clean_entry_data(
        book, merged, persons=selectors.linkable_persons(actor, committee), today=timezone.localdate()
    )
    changed = sorted(k for k in set(cleaned) | set(entry.data) if cleaned.get(k) != entry.data.get(k))
    entry.data = cleaned
    entry.full_clean()
    entry.save()
    LedgerEntryRevision.objects.create(
        entry=entry, action=LedgerEntryRevision.Action.UPDATE, data=cleaned, changed=changed, actor=actor
    )
    audit.record(actor=actor, action="ledger_entry.update", obj=entry, details={"changed": changed})
    return entry


@transaction.atomic
def entry_remove(*, actor, entry: LedgerEntry) -> LedgerEntry:
    entry = _lock_entry(entry)
    entry.removed = True
    entry.save(update_fields=["removed", "updated_at"])
    LedgerEntryRevision.objects.create(
        entry=entry, action=LedgerEntryRevision.Action.REMOVE, data=entry.data, actor=actor
    )
    audit.record(
        actor=actor, action="ledger_entry.remove", obj=entry, details={"book": entry.period.book.code}
    )
    return entry


@transaction.atomic
def period_close(*, actor, book: LedgerBook, committee: Committee, period_key: str) -> LedgerPeriod:
    """The committee or its street closes a period: its entries are locked from now on."""
    _check_manual(book)
    if book.period == LedgerBook.Period.NONE:
        raise ValidationError({"period": ERR_PERIOD_NONE_CLOSE})
    key = periods.clean_key(book, period_key, today=timezone.localdate())
    label = periods.label(book.period, key)
    try:
        period = _period_for_write(book=book, committee=committee, key=key)
    except ValidationError as exc:
        raise ValidationError({"period": ERR_PERIOD_ALREADY_CLOSED.format(label=label)}) from exc
    period.closed, period.closed_at, period.closed_by = True, timezone.now(), actor
    period.full_clean()
    period.save()
    entries = period.entries.filter(removed=False).count()
    audit.record(
        actor=actor,
        action="ledger_period.close",
        obj=period,
        details={"book": book.code, "committee": committee.code, "period": key, "entries": entries},
    )
    return period


@transaction.atomic
def period_reopen(*, actor, period: LedgerPeriod, reason: str) -> LedgerPeriod:
    """Only the street office reopens a closed period, with a reason; audited."""
    if getattr(actor, "role", None) != Role.STREET:
        raise ValidationError(ERR_REOPEN_STREET_ONLY)
    if not reason.strip():
        raise ValidationError({"reason": ERR_REOPEN_REASON})
    period = LedgerPeriod.objects.select_for_update().select_related("book", "committee").get(pk=period.pk)
    if not period.closed:
        raise ValidationError(
            {"period": ERR_PERIOD_NOT_CLOSED.format(label=periods.label(period.book.period, period.key))}
        )
    closed_at, closed_by = period.closed_at, period.closed_by_id
    period.closed, period.closed_at, period.closed_by = False, None, None
    period.full_clean()
    period.save()
    audit.record(
        actor=actor,
        action="ledger_period.reopen",
        obj=period,
        details={
            "book": period.book.code,
            "committee": period.committee.code,
            "period": period.key,
            "reason": reason.strip()[:200],
            "closed_at": closed_at.isoformat(),
            "closed_by": closed_by,
        },
    )
    return period


@transaction.atomic
def entries_import(
    *, actor, book: LedgerBook, committee: Committee, file, file_name: str = "", period_key: str = ""
) -> importers.ImportResult:
    """A workbook in the book's standard layout: all rows or none. The result lists every bad row."""
    _check_manual(book)
    today = timezone.localdate()
    key = periods.clean_key(book, period_key, today=today)
    persons = selectors.linkable_persons(actor, committee)
    result = importers.read_book(file, book=book, persons=persons, today=today)
    if not result.errors and not result.rows:
        result.errors.append(importers.RowError(0, "文件", ERR_NOTHING_TO_IMPORT))
    if result.errors:
        return result
    period = _period_for_write(book=book, committee=committee, key=key)
    entries = LedgerEntry.objects.bulk_create(
        [LedgerEntry(period=period, data=row.data, created_by=actor) for row in result.rows], batch_size=2000
    )
    LedgerEntryRevision.objects.bulk_create(
        [
            LedgerEntryRevision(
                entry=e,
                action=LedgerEntryRevision.Action.IMPORT,
                data=e.data,
                changed=sorted(e.data),
                actor=actor,
            )
            for e in entries
        ],
        batch_size=2000,
    )
    audit.record(
        actor=actor,
        action="ledger_entries.import",
        obj=period,
        details={
            "book": book.code,
            "committee": committee.code,
            "period": key,
            "file": file_name,
            "rows": len(entries),
        },
    )
    result.created = len(entries)
    return result


def book_export(
    *,
    actor,
    book: LedgerBook,
    committees,
    period_key: str,
    path: Path | None = None,
    progress: ProgressFactory = Progress,
) -> ExportFile:
    """The book's standard layout, one sheet per committee, written to `path` (None: a temporary file);
    the export is audited. `committees` must come from `selectors.book_committees(actor, book)`."""
    key = periods.clean_key(book, period_key, today=timezone.localdate()) if not book.is_derived else ""
    exporter = exporters.BookExporter(book=book, user=actor, committees=committees, period_key=key)
    export = exporter.render(path, progress=progress)
    audit.record(
        actor=actor,
        action="ledger_book.export",
        obj=book,
        details={"period": key, "committees": exporter.committee_count, "rows": export.rows},
    )
    return export
