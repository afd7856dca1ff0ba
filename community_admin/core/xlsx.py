"""Excel workbooks, written and read one way everywhere.

Writing (every export goes through `new_workbook`): text is written as text, never as a formula. A cell of
an exported list holds what someone typed (a resident's name, a ledger note), and openpyxl turns any string
starting with "=" into a formula: a name like `=HYPERLINK("http://…"&J2,"点此")` would leak the row to a
server when clicked, `=cmd|'/c calc'!A0` would start a program (DDE). So text that begins with "=", "+",
"-", "@", a tab or a carriage return (OWASP, CSV/formula injection) is written as a string cell with the
`quotePrefix` style: exactly what Excel does when a clerk types `'=…`. Excel, WPS and LibreOffice show the
text as typed, with no visible apostrophe, and keep it text when the cell is edited; the file reads back with
the same text (the ledger import takes its own exports back). Numbers, dates and booleans stay what they
are (a negative number is a number). Strings Excel would take for an error value ("#N/A") are text too, and
characters XML cannot hold (NUL and other C0 controls but tab, LF, CR) are dropped instead of failing the
whole export.

Reading (every import goes through `open_import`): an upload is read within bounds, whatever the sheet
declares. The archive's unpacked size is checked from its directory before anything is inflated (zipfile
never inflates past the declared size), the sheets are scanned for their real width (no row may exceed
Excel's 16,384 columns, no DTD), rows are read only up to the importer's width and row limit (empty rows and
gaps count, they cost as much to read), and the whole read stops after IMPORT_MAX_SECONDS."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from time import monotonic
from unicodedata import east_asian_width

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from community_admin.core import uploads
from community_admin.core.uploads import MB, megabytes

XLSX = uploads.XLSX.content_type  # the one spelling of the xlsx MIME type

# ---------------------------------------------------------------------------------------------- writing

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_ERROR_CODES = frozenset(ERROR_CODES)


def _risky(value: str) -> bool:
    return value[:1] in FORMULA_TRIGGERS or value in _ERROR_CODES or ILLEGAL_CHARACTERS_RE.search(value)


def escape(cell: Cell) -> Cell:
    """`cell` made safe in place: a string is stored as a string (quote-prefixed if it starts like a
    formula); anything else is left as it is."""
    value = cell.value
    if not isinstance(value, str):
        return cell
    if ILLEGAL_CHARACTERS_RE.search(value):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
    if cell.data_type != "s":  # openpyxl made it a formula ("=…") or an error value ("#N/A")
        cell.data_type = "s"
    if value[:1] in FORMULA_TRIGGERS:
        cell.quotePrefix = True
    return cell


def cell(sheet, value, *, font=None, alignment=None, number_format: str | None = None) -> Cell:
    """A styled cell for a write-only sheet's `append` (a header in bold, money with its format), escaped."""
    c = Cell(sheet, row=1, column=1, value=_clean(value))
    if font is not None:
        c.font = font
    if alignment is not None:
        c.alignment = alignment
    if number_format is not None:
        c.number_format = number_format
    return escape(c)


def _clean(value):
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def escaped(sheet, row) -> list:
    """The values of one row, the risky strings replaced by escaped cells; other values untouched."""
    row = list(row)
    for i, value in enumerate(row):
        if value.__class__ is str:
            if value and _risky(value):
                row[i] = escape(Cell(sheet, row=1, column=1, value=_clean(value)))
        elif isinstance(value, Cell):
            escape(value)
    return row


class SafeWriteOnlyWorksheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows are escaped as they are appended (the only way to write one)."""

    def append(self, row):
        if isinstance(row, dict):  # openpyxl refuses these in write-only mode; let it say so
            return super().append(row)
        return super().append(escaped(self, row))


_TITLE_FORBIDDEN = re.compile(r"[\\/*?:\[\]]")
SHEET_TITLE_MAX = 31


def sheet_title(text: str | None) -> str | None:
    """A sheet title Excel accepts made of `text` (a committee's name may hold "/"): the characters it forbids
    replaced, no apostrophe at either end, at most 31 characters."""
    if text is None:
        return None
    title = _TITLE_FORBIDDEN.sub("_", ILLEGAL_CHARACTERS_RE.sub("", text))[:SHEET_TITLE_MAX].strip("'")
    return title or None


class SafeWorkbook(Workbook):
    """openpyxl's Workbook whose text is never a formula: write-only sheets escape each appended row;
    a normal workbook (small reports, the import template) escapes every cell when it is saved, however the
    cell was set (`append`, `sheet["A1"] = …`, `sheet.cell(...)`). Sheet titles are made ones Excel takes."""

    def create_sheet(self, title=None, index=None):
        title = sheet_title(title)
        if not self.write_only:
            return super().create_sheet(title, index)
        sheet = SafeWriteOnlyWorksheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet

    def save(self, filename):
        if not self.write_only:
            for sheet in self.worksheets:
                # _cells holds the cells that exist; iter_rows() would create every empty one of the range.
                for c in sheet._cells.values():
                    if isinstance(c.value, str):
                        escape(c)
        return super().save(filename)


def new_workbook(*, write_only: bool = True) -> SafeWorkbook:
    """The one way the project creates a workbook to write (tests/core/test_xlsx.py keeps it so)."""
    return SafeWorkbook(write_only=write_only)


# ------------------------------------------------------------------------------------- print-ready tables

MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "0"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"
KINDS = ("text", "id", "money", "integer", "number", "date", "datetime")
WIDTH_SAMPLE = (
    500  # rows whose content sets the widths (a write-only sheet is written before its end is known)
)
WIDTH_MIN = 6
WIDTH_MAX = 50  # longer text wraps in its cell
LANDSCAPE_FROM = 100  # total width (characters) above which a page is printed landscape
PAPER_A4 = 9
PAGE_FOOTER = "第 &P 页，共 &N 页"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADING_FONT = Font(bold=True, size=14)
BOLD = Font(bold=True)
_FORMATS = {
    "id": TEXT_FORMAT,
    "money": MONEY_FORMAT,
    "integer": INTEGER_FORMAT,
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
}


@dataclass(frozen=True)
class Column:
    """A column of a print-ready table. `kind` sets the number format and how wide a value shows ("id": text
    kept whole, such as an ID number; "" infers it from the sampled values: a Decimal is money)."""

    header: str
    kind: str = ""
    width: float | None = None  # fixed; None: from the header and the sampled values

    def __post_init__(self):
        if self.kind and self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def display_width(text: str) -> int:
    """How many character cells `text` takes in a fixed-width reckoning: a CJK (wide) character is two."""
    if text.isascii():
        return len(text)
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


def _kind_of(value) -> str:
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, Decimal):
        return "money"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "text"


def _shown(value, kind: str) -> str:
    """`value` as a sheet shows it (for its width)."""
    if isinstance(value, Cell):
        value = value.value
    if value is None:
        return ""
    if kind == "money" and isinstance(value, int | float | Decimal):
        return f"{value:,.2f}"
    if isinstance(value, datetime):
        return "0000-00-00 00:00"
    if isinstance(value, date):
        return "0000-00-00"
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def column_kinds(columns: Sequence[Column], sample: Sequence[Sequence]) -> list[str]:
    kinds = []
    for index, column in enumerate(columns):
        kind = column.kind
        if not kind:
            seen = {_kind_of(row[index]) for row in sample if index < len(row)} - {""}
            kind = seen.pop() if len(seen) == 1 else "text"
        kinds.append(kind)
    return kinds


def column_widths(columns: Sequence[Column], kinds: Sequence[str], rows: Iterable[Sequence]) -> list[float]:
    """Widths (Excel's unit: about one digit) that show the header and every sampled value whole, up to
    WIDTH_MAX (text beyond wraps). A wide character counts as two; a little room for the cell's padding."""
    widest = [display_width(c.header) for c in columns]
    for row in rows:
        for index, value in enumerate(row[: len(columns)]):
            shown = display_width(_shown(value, kinds[index]))
            if shown > widest[index]:
                widest[index] = shown
    return [
        column.width if column.width is not None else max(WIDTH_MIN, min(WIDTH_MAX, w * 1.1 + 2))
        for column, w in zip(columns, widest, strict=True)
    ]


def print_layout(sheet, *, widths: Sequence[float], header_row: int | None) -> None:
    """Widths, A4 one page wide (as many pages down as it takes), landscape when wide, the header row
    repeated on every printed page and frozen on screen, page numbers in the footer. On a write-only sheet
    this must come before the first row (widths, the fit and the frozen pane are written at the top)."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = round(width, 1)
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.paperSize = PAPER_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_setup.orientation = "landscape" if sum(widths) > LANDSCAPE_FROM else "portrait"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    sheet.oddFooter.center.text = PAGE_FOOTER
    if header_row:
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.freeze_panes = f"A{header_row + 1}"


def _style(sheet, *, font=None, alignment=None, number_format=None, border=True) -> StyleArray:
    c = Cell(sheet, row=1, column=1)
    if border:
        c.border = BORDER
    if font is not None:
        c.font = font
    if alignment is not None:
        c.alignment = alignment
    if number_format is not None:
        c.number_format = number_format
    return c._style


class _TableCell(Cell):
    """A data cell of a print-ready table wearing its column's style, registered once (`style_id`): built
    without openpyxl's per-cell style bookkeeping, so a styled row costs about what a plain one does."""

    __slots__ = ("_style_id",)

    @property
    def style_id(self) -> int:
        return self._style_id

    @property
    def has_style(self) -> bool:
        return True


_new_cell = object.__new__
_PLAIN = frozenset({int, float, Decimal, bool, type(None)})
_DATES = frozenset({date, datetime})


def _table_cell(sheet, value, style: StyleArray, style_id: int) -> Cell:
    c = _new_cell(_TableCell)
    c.parent = sheet
    c.row = c.column = 1
    c._hyperlink = c._comment = None
    c._style = style  # shared and never changed: risky text and stray dates take the ordinary path
    c._style_id = style_id
    c._bind_value(value)
    return c


class TableWriter:
    """Rows of one print-ready table into a sheet (write-only or not), each value a bordered cell in its
    column's format; risky text escaped as everywhere."""

    def __init__(self, sheet, kinds: Sequence[str], widths: Sequence[float]):
        self.sheet = sheet
        wrap = [w >= WIDTH_MAX and k == "text" for w, k in zip(widths, kinds, strict=True)]
        # (index, characters a line holds) of the columns whose text wraps: their rows get the height it takes
        self.wrapping = [(i, max(1, int(widths[i]))) for i, wraps in enumerate(wrap) if wraps]
        self.styles = [
            _style(
                sheet,
                number_format=_FORMATS.get(kind),
                alignment=Alignment(wrap_text=True, vertical="top") if wraps else None,
            )
            for kind, wraps in zip(kinds, wrap, strict=True)
        ]
        self.bold = [_style(sheet, font=BOLD, number_format=_FORMATS.get(kind)) for kind in kinds]
        registered = sheet.parent._cell_styles
        self.fast = [(style, registered.add(style)) for style in self.styles]
        self.dates = [kind in ("date", "datetime") for kind in kinds]
        self.header_style = _style(
            sheet, font=BOLD, alignment=Alignment(horizontal="center", vertical="center", wrap_text=True)
        )

    def cells(self, values: Sequence, *, bold: bool = False) -> list[Cell]:
        if bold:
            return [self._cell(value, self.bold[i]) for i, value in enumerate(values)]
        fast, dates, sheet = self.fast, self.dates, self.sheet
        row = []
        for index, value in enumerate(values):
            kind = value.__class__
            if (kind is str and not _risky(value)) or kind in _PLAIN or (kind in _DATES and dates[index]):
                row.append(_table_cell(sheet, value, *fast[index]))
            else:
                row.append(self._cell(value, self.styles[index]))
        return row

    def _cell(self, value, style: StyleArray) -> Cell:
        """A cell with its own copy of the style (risky text is quote-prefixed, a stray date gets its format)."""
        if isinstance(value, Cell):
            value = value.value
        if value.__class__ is str and value and _risky(value):
            c = escape(Cell(self.sheet, row=1, column=1, value=_clean(value)))
            quote = c.quotePrefix
            c._style = copy(style)
            c.quotePrefix = quote
            return c
        c = Cell(self.sheet, row=1, column=1, value=value)
        number_format = c.number_format if c.is_date else None
        c._style = copy(style)
        if number_format and not c.is_date:
            c.number_format = number_format
        return c

    def height(self, values: Sequence) -> float | None:
        """The height of a row whose wrapped text takes more than one line (None: the default)."""
        lines = 1
        for index, per_line in self.wrapping:
            if index < len(values) and values[index] is not None:
                lines = max(lines, -(-display_width(_shown(values[index], "text")) // per_line))
        return 15 * lines if lines > 1 else None

    def header(self, headers: Sequence[str]) -> list[Cell]:
        row = []
        for text in headers:
            c = escape(Cell(self.sheet, row=1, column=1, value=_clean(text)))
            c._style = copy(self.header_style)
            row.append(c)
        return row


def write_table(
    sheet,
    *,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence],
    heading: str | None = None,
    lead: Sequence[Sequence] = (),
    totals: Sequence[Sequence] = (),
    progress=None,
    sample: int = WIDTH_SAMPLE,
) -> int:
    """The one print-ready table (see `print_layout`): `heading` in bold across the columns (merged), the
    `lead` rows (a one-value row, such as a note, is merged across too; others are written as they are), the
    header row, the rows (streamed: only the first `sample` are held, to set the widths), then `totals` in
    bold. `progress` is a bar (`advance(n)`, `finish()`). Returns the number of rows written (totals aside)."""
    columns = [c if isinstance(c, Column) else Column(c) for c in columns]
    rows = iter(rows)
    held = list(islice(rows, sample))
    kinds = column_kinds(columns, held)
    multi_lead = [r for r in lead if len(r) > 1]
    widths = column_widths(columns, kinds, [*held, *multi_lead, *totals])
    header_row = (1 if heading else 0) + len(lead) + 1
    print_layout(sheet, widths=widths, header_row=header_row)
    last = get_column_letter(len(columns))
    writer = TableWriter(sheet, kinds, widths)
    line = 0
    if heading:
        line += 1
        c = cell(
            sheet, heading, font=HEADING_FONT, alignment=Alignment(horizontal="center", vertical="center")
        )
        sheet.row_dimensions[line].height = 24
        sheet.append([c])
        if len(columns) > 1:
            sheet.merged_cells.add(f"A{line}:{last}{line}")
    total_width = sum(widths)
    for values in lead:
        line += 1
        if len(values) == 1 and len(columns) > 1:
            text = str(values[0])
            lines = -(-display_width(text) // max(1, int(total_width))) or 1
            if lines > 1:
                sheet.row_dimensions[line].height = 15 * lines
            sheet.append([cell(sheet, text, alignment=Alignment(wrap_text=True, vertical="top"))])
            sheet.merged_cells.add(f"A{line}:{last}{line}")
        else:
            sheet.append(list(values))
    sheet.append(writer.header([c.header for c in columns]))
    count = 0
    append, cells, dimensions = sheet.append, writer.cells, sheet.row_dimensions
    for count, values in enumerate(chain(held, rows), start=1):
        if writer.wrapping and (height := writer.height(values)):
            line = header_row + count
            dimensions[line].height = height
            append(cells(values))
            if sheet.__class__ is SafeWriteOnlyWorksheet:
                del dimensions[line]  # written: memory stays flat
            continue
        append(cells(values))
        if progress is not None and count % 1000 == 0:
            progress.advance(1000)
    if progress is not None:
        progress.advance(count % 1000)
    for values in totals:
        append(cells(values, bold=True))
    return count


# ---------------------------------------------------------------------------------------------- reading

# Stray columns a clerk may add before or between a template's: headers are looked for there too.
EXTRA_COLUMNS = 32
EXCEL_MAX_COLUMNS = 16_384  # XFD: a row with more cells is not an Excel sheet
WHOLE_PART_MAX_BYTES = 10 * MB  # parts openpyxl reads whole into memory (styles, workbook, rels…)
STREAMED_PARTS = re.compile(r"^xl/(worksheets/[^/]+\.xml|sharedStrings\.xml)$")
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|si)[\s/>]|<!(DOCTYPE|ENTITY)")
_CHUNK = 1024 * 1024

ERR_UNREADABLE = "文件无法读取：请上传 Excel（.xlsx）文件。"
ERR_UNPACKED = "解压后超过 {mb} MB（多余的空行、空列或工作表过多）：请删除多余的内容或分批导入。"
ERR_MALFORMED = "结构异常（{why}），不像 Excel 保存的工作簿：请用 Excel 或 WPS 另存为 .xlsx 后重新上传。"
ERR_TOO_WIDE = f"工作表有一行超过 {EXCEL_MAX_COLUMNS} 列，不是有效的 Excel 工作表。"
ERR_TOO_MANY_ROWS = "一次最多读取 {limit} 行（空行也计入）：请删除多余的空行或分批导入。"
ERR_TOO_SLOW = "未能在 {seconds} 秒内读完，未导入任何内容：请删除多余的行列或分批导入。"


class WorkbookRefused(Exception):
    """An upload that is not read (further): `message` is the Chinese reason, `row` where it was found
    (0: the file as a whole)."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.message = message
        self.row = row


def unpacked_limit() -> int:
    return settings.IMPORT_MAX_UNPACKED_BYTES


def check_archive(upload) -> zipfile.ZipFile:
    """The upload as an open zip whose parts, by its directory, unpack within IMPORT_MAX_UNPACKED_BYTES in
    all and WHOLE_PART_MAX_BYTES for the parts read whole. Cheap: nothing is inflated. The caller closes it."""
    _rewind(upload)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRefused(ERR_UNREADABLE) from exc
    limit = unpacked_limit()
    infos = archive.infolist()
    too_big = sum(i.file_size for i in infos) > limit or any(
        i.file_size > WHOLE_PART_MAX_BYTES and not STREAMED_PARTS.match(i.filename) for i in infos
    )
    if too_big:
        archive.close()
        raise WorkbookRefused(ERR_UNPACKED.format(mb=megabytes(limit)))
    return archive


def _rewind(upload) -> None:
    if hasattr(upload, "seek"):  # a path is opened afresh each time
        upload.seek(0)


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = monotonic() + seconds

    def check(self) -> None:
        if monotonic() > self.at:
            raise WorkbookRefused(ERR_TOO_SLOW.format(seconds=f"{self.seconds:g}"))


def scan(archive: zipfile.ZipFile, deadline: Deadline) -> int:
    """The sheets' and shared strings' real extent, read as bytes (a tenth of openpyxl's parse): no row wider
    than Excel allows, no DTD (its entities could expand into cells no scan sees), no more shared strings than
    cells. Returns the number of cells."""
    cells = strings = 0
    parts = [i for i in archive.infolist() if STREAMED_PARTS.match(i.filename)]
    parts.sort(key=lambda i: i.filename.endswith("sharedStrings.xml"))  # sheets first
    for info in parts:
        in_row = 0

        def count(data: bytes) -> None:
            nonlocal cells, strings, in_row
            for match in _TAG.finditer(data):
                tag = match.group(1)
                if tag == b"c":
                    cells += 1
                    in_row += 1
                    if in_row > EXCEL_MAX_COLUMNS:
                        raise WorkbookRefused(ERR_TOO_WIDE)
                elif tag == b"row":
                    in_row = 0
                elif tag == b"si":
                    strings += 1
                else:
                    raise WorkbookRefused(ERR_MALFORMED.format(why="含有 DTD 声明"))

        tail = b""
        with archive.open(info) as src:
            while chunk := src.read(_CHUNK):
                deadline.check()
                data = tail + chunk
                # A tag cut by the chunk's end is counted with the next chunk.
                cut = data.rfind(b"<", max(0, len(data) - 64))
                data, tail = (data, b"") if cut < 0 else (data[:cut], data[cut:])
                count(data)
        count(tail + b" ")
    if strings > cells + 1000:  # Excel, WPS and openpyxl keep only the strings their cells use
        raise WorkbookRefused(ERR_MALFORMED.format(why="共享字符串多于单元格"))
    return cells


class ImportSheet:
    """The first sheet of an upload, read within bounds; `rows_read` and `cells_read` say how much was."""

    def __init__(self, sheet, deadline: Deadline):
        self.sheet = sheet
        self.deadline = deadline
        self.rows_read = 0
        self.cells_read = 0

    def row(self, number: int, *, width: int) -> tuple:
        """The values of row `number`, its first `width` columns."""
        return next(self.rows(start=number, limit=1, width=width, refuse_more=False), (number, ()))[1]

    def rows(
        self, *, start: int, limit: int, width: int, refuse_more: bool = True
    ) -> Iterator[tuple[int, tuple]]:
        """(row number, values) of rows `start`… — empty rows and gaps included, each `width` values —
        at most `limit` of them; a row beyond the limit raises ERR_TOO_MANY_ROWS (with `refuse_more`)."""
        last = start + limit  # one more than allowed, to know whether the sheet goes on
        numbered = enumerate(
            self.sheet.iter_rows(min_row=start, max_row=last, max_col=max(1, width), values_only=True),
            start=start,
        )
        for number, values in numbered:
            if number >= last:
                if refuse_more:
                    raise WorkbookRefused(ERR_TOO_MANY_ROWS.format(limit=limit), row=number)
                return
            self.rows_read += 1
            self.cells_read += len(values)
            self.deadline.check()
            yield number, values


@contextmanager
def open_import(upload, *, seconds: float | None = None) -> Iterator[ImportSheet]:
    """The first sheet of an uploaded workbook, checked and bounded (see the module's docstring); raises
    WorkbookRefused with the reason, before anything is written."""
    deadline = Deadline(settings.IMPORT_MAX_SECONDS if seconds is None else seconds)
    with check_archive(upload) as archive:
        try:
            scan(archive, deadline)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            raise WorkbookRefused(ERR_UNREADABLE) from exc  # corrupt, encrypted or oddly packed parts
    _rewind(upload)
    deadline.check()
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise WorkbookRefused(ERR_UNREADABLE) from exc
    try:
        if not workbook.worksheets:
            raise WorkbookRefused(ERR_UNREADABLE)
        yield ImportSheet(workbook.worksheets[0], deadline)
    finally:
        workbook.close()
