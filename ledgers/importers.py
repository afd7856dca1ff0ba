"""Reading a manual book back from its standard layout (see `exporters`): the title in row 1, the headers in
row 3, the rows from row 4. Every row is checked before anything is written (`services.entries_import`)."""

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from community_admin.core import idnumbers
from ledgers.exporters import HEADER_ROW, SERIAL
from ledgers.fields import ERR_PERSON, clean_fields
from ledgers.models import LedgerBook

MAX_ROWS = 20_000
ERR_FILE = "文件无法读取：请上传 Excel（.xlsx）文件。"
ERR_TITLE = "第 1 行应为台账名称“{name}”：请使用本台账导出的版式。"
ERR_HEADER_UNKNOWN = "第 3 行表头“{header}”不是本台账的栏目。"
ERR_HEADER_MISSING = "第 3 行缺少栏目：{missing}。"
ERR_TOO_MANY = f"一次最多导入 {MAX_ROWS} 行，请分批导入。"
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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def read_book(file, *, book: LedgerBook, persons, today: date) -> ImportResult:
    result = ImportResult()
    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        result.errors.append(RowError(0, "文件", ERR_FILE))
        return result
    try:
        raw = _read_rows(workbook, book, result)
    finally:
        workbook.close()
    if result.errors:
        return result
    _check_rows(raw, book=book, persons=persons, today=today, result=result)
    return result


def _read_rows(workbook, book: LedgerBook, result: ImportResult) -> list[tuple[int, dict]]:
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    title = next(rows, ())
    if not title or _text(title[0]) != book.name:
        result.errors.append(RowError(1, "标题", ERR_TITLE.format(name=book.name)))
        return []
    next(rows, None)  # row 2: committee, period, owner (the target comes from the form, not the file)
    header = [_text(h) for h in next(rows, ())]
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
    raw = []
    for number, values in enumerate(rows, start=HEADER_ROW + 1):
        cells = {key: values[i] if i < len(values) else None for key, i in positions.items()}
        if all(v is None or _text(v) == "" for v in cells.values()):
            continue
        if len(raw) >= MAX_ROWS:
            result.errors.append(RowError(number, "文件", ERR_TOO_MANY))
            return []
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
