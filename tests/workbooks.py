"""Crafted workbooks for the import's bounds: a real .xlsx whose first sheet's XML is replaced by hand, as an
attacker would (a declared dimension, empty rows, gaps, wide rows) — openpyxl would never write these."""

import io
import zipfile
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def text_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'


def row(number: int, values=()) -> str:
    """A row of inline strings from column A."""
    cells = "".join(text_cell(f"{get_column_letter(i)}{number}", str(v)) for i, v in enumerate(values, 1))
    return f'<row r="{number}">{cells}</row>'


def sheet_xml(rows: str, *, dimension: str | None = None, prolog: str = "") -> bytes:
    """A sheet of `rows`; without `dimension` it declares none (openpyxl then reads the rows' real width)."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<worksheet xmlns="{MAIN}">{declared}<sheetData>{rows}</sheetData></worksheet>'
    ).encode()


def crafted(xml: bytes, *, name: str = "crafted.xlsx") -> io.BytesIO:
    """A valid workbook whose first sheet is `xml`."""
    base = io.BytesIO()
    Workbook().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, xml if info.filename == SHEET else src.read(info.filename))
    out.seek(0)
    out.name = name
    return out


def header_rows(*rows_before_data: list) -> str:
    """The rows 1… of a layout (the import template's header, or a ledger's title, info and header rows)."""
    return "".join(row(n, values) for n, values in enumerate(rows_before_data, start=1))


def declared_extent(*layout: list, dimension: str = "A1:XFD4001") -> io.BytesIO:
    """The attack of the finding: a 20 KB sheet declaring A1:XFD4001, its last cell at XFD4001."""
    last = int(dimension.rsplit(":", 1)[-1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    rows = header_rows(*layout) + f'<row r="{last}">{text_cell(f"XFD{last}", "x")}</row>'
    return crafted(sheet_xml(rows, dimension=dimension))


def empty_rows(*layout: list, count: int = 100_000) -> io.BytesIO:
    """The layout followed by `count` empty rows, each present in the XML."""
    first = len(layout) + 1
    empties = "".join(f'<row r="{n}"/>' for n in range(first, first + count))
    return crafted(sheet_xml(header_rows(*layout) + empties))
