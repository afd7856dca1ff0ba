import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from community_admin.core import idnumbers
from community_admin.core import xlsx as core_xlsx
from community_admin.core.models import AuditLog
from community_admin.residents import importers, services
from community_admin.residents.exporters import TEMPLATE_HEADERS, ImportTemplate
from community_admin.residents.models import Household, Person, RegistrationConflict
from tests import workbooks
from tests.factories import PersonFactory
from tests.residents.conftest import xlsx


def ids(n: int, start: int = 0) -> list[str]:
    return [
        idnumbers.make("370202", date(1970 + (start + i) % 40, 1 + i % 12, 1 + i % 28), (start + i) % 1000)
        for i in range(n)
    ]


def good_rows():
    a, b, c = ids(3)
    return [
        ["0001", "3号楼2单元501", "张三", a, "户主", "户籍人口", "13800000000", "党员、已婚"],
        ["0001", "3号楼2单元501", "李四", b, "配偶", "户籍人口", "", ""],
        ["0002", "5号楼101", "王五", c, "户主", "流动人口", 13900000000, "残疾证:12345678/2"],
    ]


def run_import(world, rows, **kwargs):
    return services.residents_import(
        actor=world.committee_user, committee=world.committee_a1, file=xlsx(rows), **kwargs
    )


def test_a_good_file_imports_every_row(world):
    result = run_import(world, good_rows(), file_name="ok.xlsx")
    assert result.errors == [] and result.created_persons == 3 and result.created_households == 2
    first = Household.objects.get(committee=world.committee_a1, number="0001")
    assert (first.building, first.unit, first.room, first.kind) == ("3号楼", "2", "501", "registered")
    assert Household.objects.get(number="0002").kind == "floating"
    zhang = Person.objects.get(name="张三")
    assert zhang.party_member and zhang.marital_status == "married" and zhang.household == first
    wang = Person.objects.get(name="王五")
    assert (wang.phone, wang.disability_level, wang.status) == ("13900000000", 2, "floating")
    assert AuditLog.objects.get(action="residents.import").details["persons"] == 3
    assert zhang.events.count() == 1


def test_dry_run_writes_nothing(world):
    result = run_import(world, good_rows(), dry_run=True)
    assert result.errors == [] and len(result.rows) == 3
    assert not Person.objects.exists() and not Household.objects.exists()


def test_a_bad_file_is_refused_whole_with_every_error_located(world):
    a, b, c, d = ids(4, start=10)
    rows = [
        ["0001", "3号楼2单元501", "张三", a, "户主", "户籍人口", "", ""],  # fine
        [
            "0001",
            "3号楼2单元501",
            "李四",
            110105194912310000,
            "配偶",
            "户籍人口",
            "",
            "",
        ],  # number, precision lost
        ["0002", "5号楼101", "", b, "户主", "户籍人口", "", ""],  # empty name
        ["0003", "5号楼102", "王五", a, "户主", "户籍人口", "", ""],  # duplicate of row 2
        [
            "0004",
            "某处",
            "赵六",
            c,
            "老板",
            "外星人",
            "phone!",
            "土豪",
        ],  # bad address, unknown values, bad phone, tag
        [
            "0005",
            "6号楼201",
            "钱七",
            d[:-1] + ("0" if d[-1] != "0" else "1"),
            "户主",
            "户籍人口",
            "",
            "",
        ],  # check
    ]
    result = run_import(world, rows)
    located = {(e.row, e.column) for e in result.errors}
    assert {
        (3, "公民身份号码"),
        (4, "姓名"),
        (5, "公民身份号码"),
        (6, "门牌地址"),
        (6, "与户主关系"),
        (6, "居住类型"),
        (6, "联系电话"),
        (6, "标签"),
        (7, "公民身份号码"),
    } <= located
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(3, "公民身份号码")] == importers.ERR_ID_AS_NUMBER
    assert messages[(5, "公民身份号码")] == importers.ERR_DUPLICATE_IN_FILE.format(row=2)
    assert not Person.objects.exists() and not Household.objects.exists()
    assert not AuditLog.objects.filter(action="residents.import").exists()


def test_full_width_characters_stray_spaces_and_legacy_numbers_are_cleaned(world):
    legacy = "370202800304123"
    fullwidth = "".join(chr(ord(ch) + 0xFEE0) if ch.isdigit() else ch for ch in ids(1, start=50)[0])
    rows = [
        [" 0001 ", " 3号楼2单元501 ", " 张三 ", f" {fullwidth} ", "户主", "户籍人口", "", ""],
        ["0001", "3号楼2单元501", "李四", legacy, "配偶", "户籍人口", "", ""],
        ["0002", "7号楼101", "孙八", "370202800305124", "户主", "户籍人口", "", ""],
    ]
    result = run_import(world, rows)
    assert result.errors == []
    assert Person.objects.get(name="李四").id_number == idnumbers.from_legacy(legacy)
    assert Person.objects.get(name="张三").id_number == ids(1, start=50)[0]


def test_a_15_digit_number_stored_as_a_number_converts(world):
    rows = [["0001", "3号楼101", "张三", 370202800304123, "户主", "户籍人口", "", ""]]
    assert run_import(world, rows).errors == []


def test_clashes_with_the_registry_are_reported_without_leaking(world):
    a, b = ids(2, start=70)
    PersonFactory(household__committee=world.committee_b1, id_number=a, name="外社区")
    PersonFactory(household__committee=world.committee_a1, id_number=b, name="本社区")
    rows = [
        ["0001", "3号楼101", "张三", a, "户主", "户籍人口", "", ""],
        ["0002", "3号楼102", "李四", b, "户主", "户籍人口", "", ""],
    ]
    errors = {e.row: e.message for e in run_import(world, rows).errors}
    assert "外社区" not in errors[2] and world.committee_b1.name not in errors[2]
    assert errors[2] == services.ERR_DUPLICATE_HELD.removeprefix("公民身份号码：")
    assert "本社区" in errors[3]


def test_an_existing_household_number_with_another_address_is_refused(world, household_a1):
    rows = [["A1-001", "9号楼909", "张三", ids(1, start=90)[0], "户主", "户籍人口", "", ""]]
    errors = run_import(world, rows).errors
    assert [(e.row, e.column) for e in errors] == [(2, "门牌地址")]
    rows[0][1] = "3号楼2单元501"
    assert run_import(world, rows).errors == []
    assert Household.objects.filter(number="A1-001").count() == 1


def test_missing_headers_and_non_excel_files(world):
    result = services.residents_import(
        actor=world.committee_user, committee=world.committee_a1, file=xlsx([["x"]], headers=["姓名"])
    )
    assert result.errors[0].column == "表头" and "户编号" in result.errors[0].message
    import io

    result = services.residents_import(
        actor=world.committee_user, committee=world.committee_a1, file=io.BytesIO(b"not a workbook")
    )
    assert result.errors[0].message == importers.ERR_FILE


def test_the_downloadable_template_round_trips(world):
    from openpyxl import load_workbook

    template = load_workbook(ImportTemplate().write())
    sheet = template.worksheets[0]
    assert [c.value for c in sheet[1]] == importers.TEMPLATE_HEADERS
    for row in good_rows():
        sheet.append(row)
    import io

    buffer = io.BytesIO()
    template.save(buffer)
    buffer.seek(0)
    result = services.residents_import(actor=world.committee_user, committee=world.committee_a1, file=buffer)
    assert result.errors == [] and result.created_persons == 3


def test_the_command_imports_and_fails_loudly(world, tmp_path):
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(good_rows()).getvalue())
    call_command("import_residents", str(good), committee="A1", dry_run=True)
    assert not Person.objects.exists()
    call_command("import_residents", str(good), committee="A1")
    assert Person.objects.count() == 3
    with pytest.raises(CommandError, match="未导入"):
        call_command("import_residents", str(good), committee="A1")  # every row now clashes
    assert Person.objects.count() == 3
    with pytest.raises(CommandError, match="社区代码不存在"):
        call_command("import_residents", str(good), committee="NOPE")


@pytest.mark.django_db(transaction=True)
def test_the_command_exits_non_zero_with_a_row_report(world, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx([["0001", "3号楼101", "", "123", "户主", "户籍人口", "", ""]]).getvalue())
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("a subprocess cannot see the in-memory SQLite test database")
    db = connection.settings_dict  # the test database, where this transactional test's rows are committed
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    result = subprocess.run(
        [sys.executable, "manage.py", "import_residents", str(bad), "--committee", "A1"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DATABASE_URL": url},
    )
    assert result.returncode != 0
    assert "第 2 行【姓名】" in result.stderr


def test_ten_thousand_rows_import_in_one_go(world, django_assert_max_num_queries):
    rows = []
    numbers = ids(10_000, start=200)
    for i, number in enumerate(numbers):
        rows.append(
            [
                f"{i // 3:05d}",
                f"{i // 300 + 1}号楼{i // 3 % 100 + 1}",
                f"居民{i}",
                number,
                "户主" if i % 3 == 0 else "子女",
                "户籍人口",
                "",
                "",
            ]
        )
    file = xlsx(rows)
    with django_assert_max_num_queries(500):  # batches only (SQLite caps a statement at 999 parameters)
        result = services.residents_import(
            actor=world.committee_user, committee=world.committee_a1, file=file
        )
    assert result.errors == [] and result.created_persons == 10_000
    assert Household.objects.filter(committee=world.committee_a1).count() == 3334


# The import's bounds (issue 23, finding 7) ------------------------------------------------------------


def test_a_sheet_declaring_a1_to_xfd4001_is_read_to_the_template_width(world):
    """20 KB declaring 16,384 columns by 4,001 rows: 65 million cells padded by openpyxl (4.6 s) before."""
    upload = workbooks.declared_extent(TEMPLATE_HEADERS, dimension="A1:XFD4001")
    assert len(upload.getvalue()) < 20_000
    result = services.residents_import(actor=world.committee_user, committee=world.committee_a1, file=upload)
    assert result.errors == [] and result.rows == []
    assert result.rows_read == 4001 and result.cells_read <= 4001 * importers.HEADER_SCAN_COLUMNS


def test_empty_rows_count_against_the_row_limit(world):
    upload = workbooks.empty_rows(TEMPLATE_HEADERS, count=100_000)
    result = services.residents_import(actor=world.committee_user, committee=world.committee_a1, file=upload)
    limit = importers.MAX_ROWS
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (limit + 2, "文件", importers.ERR_TOO_MANY)
    ]
    assert str(limit) in importers.ERR_TOO_MANY and "空行也计入" in importers.ERR_TOO_MANY
    assert result.rows_read == 1 + limit  # the header and the rows allowed, not one more
    assert not Person.objects.exists()


def test_a_valid_row_far_below_is_counted_with_the_gap_before_it(world):
    upload = workbooks.crafted(
        workbooks.sheet_xml(
            workbooks.header_rows(TEMPLATE_HEADERS, good_rows()[0]) + workbooks.row(900_000, good_rows()[2])
        )
    )
    result = services.residents_import(actor=world.committee_user, committee=world.committee_a1, file=upload)
    assert [e.message for e in result.errors] == [importers.ERR_TOO_MANY]
    assert not Person.objects.exists()


def test_an_import_that_takes_too_long_writes_nothing(world, settings, monkeypatch):
    settings.IMPORT_MAX_SECONDS = 30
    clock = iter(range(0, 1_000_000, 1))  # one second each time the reader looks at the clock
    monkeypatch.setattr(core_xlsx, "monotonic", lambda: next(clock))
    result = run_import(
        world,
        good_rows()
        + [
            [f"{n:04d}", "9号楼1单元101", "赵六", i, "户主", "户籍人口", "", ""]
            for n, i in enumerate(ids(40, 10), start=10)
        ],
    )
    assert [e.message for e in result.errors] == [core_xlsx.ERR_TOO_SLOW.format(seconds="30")]
    assert not Person.objects.exists() and not AuditLog.objects.filter(action="residents.import").exists()
    monkeypatch.undo()
    assert run_import(world, good_rows()).created_persons == 3  # the same reader, in time


def test_an_import_says_registered_elsewhere_only_inside_the_importers_view(world):
    """Issue 23, finding 5: street A imports into A1; a number in A2 (its own) is "elsewhere", one in B1 is
    held for checking and recorded, as in a single registration."""
    in_a2, in_b1 = ids(2, start=300)
    PersonFactory(household__committee=world.committee_a2, id_number=in_a2)
    held = PersonFactory(household__committee=world.committee_b1, id_number=in_b1)
    rows = [
        ["0001", "3号楼101", "张三", in_a2, "户主", "户籍人口", "", ""],
        ["0002", "3号楼102", "李四", in_b1, "户主", "户籍人口", "", ""],
    ]
    result = services.residents_import(
        actor=world.street_user,
        committee=world.committee_a1,
        file=xlsx(rows),
        file_name="s.xlsx",
        dry_run=True,
    )
    errors = {e.row: e.message for e in result.errors}
    assert errors == {
        2: services.ERR_DUPLICATE_ELSEWHERE.removeprefix("公民身份号码："),
        3: services.ERR_DUPLICATE_HELD.removeprefix("公民身份号码："),
    }
    conflict = RegistrationConflict.objects.get()
    assert (conflict.person, conflict.source, conflict.submitted_name) == (held, "import", "李四")
    row = AuditLog.objects.get(action="residents.import_dry_run")
    assert row.details["held_numbers"] == [
        {"row": 3, "id_number": idnumbers.mask(in_b1), "registered_in": "B1"}
    ]


def test_every_dry_run_is_audited_with_its_row_count_and_result(world):
    """Issue 23, finding 5: a dry run answered for every number in the file and left no trace."""
    run_import(world, good_rows(), dry_run=True, file_name="check.xlsx")
    bad = [*good_rows(), ["0003", "8号楼1", "", "123", "户主", "户籍人口", "", ""]]
    run_import(world, bad, dry_run=True, file_name="bad.xlsx")
    passed, failed = AuditLog.objects.filter(action="residents.import_dry_run").order_by("id")
    assert passed.actor == world.committee_user and passed.object_id == str(world.committee_a1.pk)
    assert passed.result == AuditLog.Result.OK
    assert {k: passed.details[k] for k in ("file", "rows", "passed", "held")} == {
        "file": "check.xlsx",
        "rows": 3,
        "passed": True,
        "held": 0,
    }
    assert failed.result == AuditLog.Result.FAILED
    assert (failed.details["rows"], failed.details["passed"]) == (4, False) and failed.details["errors"] >= 1
    assert not Person.objects.exists()


def test_a_refused_import_is_audited_too(world):
    """A real import with one bad row answers like a dry run; it is audited like one."""
    bad = [*good_rows(), ["0003", "8号楼1", "", "123", "户主", "户籍人口", "", ""]]
    run_import(world, bad, file_name="bad.xlsx")
    row = AuditLog.objects.get(action="residents.import_refused")
    assert row.result == AuditLog.Result.FAILED and row.details["rows"] == 4
    assert not AuditLog.objects.filter(action="residents.import").exists()


def test_a_dry_run_is_bounded_by_the_import_row_limit(world, monkeypatch):
    monkeypatch.setattr(importers, "MAX_ROWS", 2)
    result = run_import(world, good_rows(), dry_run=True)
    assert [(e.column, e.message) for e in result.errors] == [
        ("文件", core_xlsx.ERR_TOO_MANY_ROWS.format(limit=2))
    ]
    row = AuditLog.objects.get(action="residents.import_dry_run")
    assert row.details["passed"] is False and row.result == AuditLog.Result.FAILED


def test_an_importer_who_may_not_read_sensitive_tags_may_not_import_them(world):
    """Issue 23, finding 4, for the import: 低保 and 残疾证 tags from a role that does not see them are row
    errors (departments hold no import permission today; the service does not rely on that)."""
    rows = good_rows()
    rows[0][7] = "党员、低保"
    result = services.residents_import(
        actor=world.department_user, committee=world.committee_a1, file=xlsx(rows)
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "标签"), (4, "标签")]
    assert "低保" in result.errors[0].message and "残疾证" in result.errors[1].message
    assert not Person.objects.exists()
