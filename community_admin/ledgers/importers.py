"""Reading a manual book back from its standard layout (see `exporters`): the title in row 1, the headers in
row 3, the rows from row 4. Every row is checked before anything is written (`services.entries_import`)."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from community_admin.core import idnumbers, xlsx
from community_admin.ledgers.exporters import HEADER_ROW, SERIAL
from community_admin.ledgers.fields import ERR_PERSON, clean_fields
from community_admin.ledgers.models import LedgerBook

MAX_ROWS = 20_000  # rows after the header, empty ones included
ERR_FILE = xlsx.ERR_UNREADABLE
ERR_TITLE = "第 1 行应为台账名称“{name}”：请使用本台账导出的版式。"
ERR_HEADER_UNKNOWN = "第 3 行表头“{header}”不是本台账的栏目。"
ERR_HEADER_MISSING = "第 3 行缺少栏目：{missing}。"
ERR_TOO_MANY = xlsx.ERR_TOO_MANY_ROWS.format(limit=MAX_ROWS)
ERR_PERSON_REF = "请填写公民身份号码，或导出文件中的“姓名（脱敏号码）”。"
ERR_PERSON_AMBIGUOUS = "本社区有多人与“{value}”相符，请填写公民身份号码。"
EXPORTED_PERSON = re.compile(r"^(?P<name>.+?)[（(](?P<masked>\d{6}\*{8}\d{3}[\dX])[）)]$")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行【{self.column}】{self.message}"


@dataclass
class ParsedRow:
    row: int
    data: dict


@dataclass
class ImportResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    rows_read: int = 0  # rows and cells the reader went through, empty ones included
    cells_read: int = 0


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def read_book(file, *, book: LedgerBook, persons, today: date) -> ImportResult:
    """The rows of the first sheet, read within bounds (core.xlsx.open_import): the title and header rows up
    to HEADER_SCAN_COLUMNS, the rows only up to the last column of the book found, at most MAX_ROWS rows after
    the header, empty ones included. Headers are looked for among the book's columns and xlsx.EXTRA_COLUMNS
    more."""
    result = ImportResult()
    try:
        with xlsx.open_import(file) as sheet:
            try:
                raw = _read_rows(sheet, book, result)
            finally:
                result.rows_read, result.cells_read = sheet.rows_read, sheet.cells_read
    except xlsx.WorkbookRefused as refused:
        result.errors = [RowError(refused.row, "文件", refused.message)]
        return result
    if result.errors:
        return result
    _check_rows(raw, book=book, persons=persons, today=today, result=result)
    return result


def _read_rows(sheet: xlsx.ImportSheet, book: LedgerBook, result: ImportResult) -> list[tuple[int, dict]]:
    title = sheet.row(1, width=1)
    if not title or _text(title[0]) != book.name:
        result.errors.append(RowError(1, "标题", ERR_TITLE.format(name=book.name)))
        return []
    # row 2: committee, period, owner (the target comes from the form, not the file)
    header = [_text(h) for h in sheet.row(HEADER_ROW, width=len(book.columns) + 1 + xlsx.EXTRA_COLUMNS)]
    labels = {_text(c["label"]): c["key"] for c in book.columns}  # headers are read NFKC-normalised too
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name or name == SERIAL:
            continue
        if name not in labels:
            result.errors.append(RowError(HEADER_ROW, name, ERR_HEADER_UNKNOWN.format(header=name)))
        else:
            positions[labels[name]] = index
    missing = [c["label"] for c in book.columns if c["key"] not in positions]
    if missing:
        result.errors.append(
            RowError(HEADER_ROW, "表头", ERR_HEADER_MISSING.format(missing="、".join(missing)))
        )
    if result.errors:
        return []
    width = max(positions.values()) + 1
    raw = []
    for number, values in sheet.rows(start=HEADER_ROW + 1, limit=MAX_ROWS, width=width):
        cells = {key: values[i] for key, i in positions.items()}
        if all(v is None or _text(v) == "" for v in cells.values()):
            continue
        raw.append((number, cells))
    return raw


def _check_rows(raw, *, book: LedgerBook, persons, today: date, result: ImportResult) -> None:
    label_of = {c["key"]: c["label"] for c in book.columns}
    person_keys = [c["key"] for c in book.columns if c["type"] == "person"]
    resolve = _person_resolver(raw, person_keys, persons)
    for number, cells in raw:
        errors: dict[str, str] = {}
        for key in person_keys:
            if cells.get(key) is not None and _text(cells[key]):
                person_id, error = resolve(_text(cells[key]))
                if error:
                    errors[key] = error
                    cells[key] = None
                else:
                    cells[key] = person_id
        cleaned, field_errors = clean_fields(book, cells, today=today)
        for key, message in {**field_errors, **errors}.items():
            result.errors.append(RowError(number, label_of.get(key, key), message))
        if not field_errors and not errors:
            result.rows.append(ParsedRow(number, cleaned))
    order = {c["key"]: i for i, c in enumerate(book.columns)}
    label_order = {label_of[k]: i for k, i in order.items()}
    result.errors.sort(key=lambda e: (e.row, label_order.get(e.column, -1)))


def _person_resolver(raw, person_keys, persons):
    """Person cells name someone by full ID number or as the export writes them ("姓名（masked ID）");
    both resolve only among `persons` (the committee's people the importing user sees), in two queries."""
    refs = {_text(cells[k]) for _, cells in raw for k in person_keys if cells.get(k) is not None}
    refs.discard("")
    numbers, names = {}, set()
    for ref in refs:
        try:
            numbers[ref] = idnumbers.parse(ref, allow_legacy=True).value
        except idnumbers.InvalidIdNumber:
            match = EXPORTED_PERSON.match(ref)
            if match:
                names.add(match["name"])
    by_number = (
        dict(persons.filter(id_number__in=set(numbers.values())).values_list("id_number", "pk"))
        if numbers
        else {}
    )
    by_name: dict[tuple[str, str], list[int]] = {}
    if names:
        for pk, name, number in persons.filter(name__in=names).values_list("pk", "name", "id_number"):
            by_name.setdefault((name, idnumbers.mask(number)), []).append(pk)

    def resolve(ref: str) -> tuple[int | None, str | None]:
        if ref in numbers:
            pk = by_number.get(numbers[ref])
            return (pk, None) if pk else (None, ERR_PERSON)
        match = EXPORTED_PERSON.match(ref)
        if not match:
            return None, ERR_PERSON_REF
        found = by_name.get((match["name"], match["masked"]), [])
        if len(found) > 1:
            return None, ERR_PERSON_AMBIGUOUS.format(value=ref)
        return (found[0], None) if found else (None, ERR_PERSON)

    return resolve
