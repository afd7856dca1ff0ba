import io

from django.urls import reverse
from openpyxl import Workbook, load_workbook

from community_admin.jobs import services as job_services
from community_admin.jobs.models import Job
from community_admin.ledgers import importers, services
from community_admin.ledgers.exporters import HEADER_ROW, SERIAL
from community_admin.ledgers.jobs import BOOK_EXPORT
from community_admin.ledgers.models import LedgerEntry
from tests import workbooks
from tests.factories import PersonFactory


def _export(login, user, book, **query) -> Workbook:
    response = login(user).get(reverse("ledgers:book-export", args=[book.pk]), query)
    assert response.status_code == 200
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_export_has_the_standard_layout_and_masks_ids(world, books, login):
    person = PersonFactory(household__committee=world.committee_a1, name="张三")
    services.entry_create(
        actor=world.committee_user,
        book=books["mz_relief"],
        committee=world.committee_a1,
        period_key="2025-03",
        data={"person": person.pk, "reason": "火灾受损", "amount": 800, "granted_on": "2025-03-05"},
    )
    sheet = _export(login, world.committee_user, books["mz_relief"], period="2025-03").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "临时救助台账"
    assert rows[1][:6] == ("社区", "甲一社区居委会", "街道", "甲街道", "期间", "2025年3月")
    assert rows[2][:5] == ("序号", "救助对象", "救助原因", "救助金额（元）", "发放日期")
    assert rows[3][0] == 1 and rows[3][1] == f"张三（{person.id_number_masked}）" and rows[3][3] == 800
    assert person.id_number not in str(rows)


def test_exported_book_imports_back_all_rows_or_none(world, books, login, tmp_path):
    person = PersonFactory(household__committee=world.committee_a1, name="李四")
    book = books["mz_relief"]
    data = {"person": person.pk, "reason": "意外事故", "amount": 300, "granted_on": "2025-02-01"}
    services.entry_create(
        actor=world.committee_user, book=book, committee=world.committee_a1, period_key="2025-02", data=data
    )
    workbook = _export(login, world.committee_user, book, period="2025-02")
    sheet = workbook.worksheets[0]
    sheet.append([2, person.id_number, "突发重病", 500, "2025-02-09"])
    good = io.BytesIO()
    workbook.save(good)
    good.seek(0)
    result = services.entries_import(
        actor=world.committee_user, book=book, committee=world.committee_a1, file=good, period_key="2025-03"
    )
    assert not result.errors and result.created == 2
    assert LedgerEntry.objects.filter(period__key="2025-03").count() == 2

    sheet.append([3, "王五", "x", "很多", "2099-01-01"])
    bad = io.BytesIO()
    workbook.save(bad)
    bad.seek(0)
    result = services.entries_import(
        actor=world.committee_user, book=book, committee=world.committee_a1, file=bad, period_key="2025-01"
    )
    assert {(e.row, e.column) for e in result.errors} == {
        (6, "救助对象"),
        (6, "救助金额（元）"),
        (6, "发放日期"),
    }
    assert result.errors[0].message == importers.ERR_PERSON_REF
    assert not LedgerEntry.objects.filter(period__key="2025-01").exists()


def test_import_refuses_another_layout(world, books):
    workbook = Workbook()
    workbook.active.append(["人口导入模板"])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    result = services.entries_import(
        actor=world.committee_user, book=books["mz_relief"], committee=world.committee_a1, file=out
    )
    assert result.errors[0].message == importers.ERR_TITLE.format(name="临时救助台账")


def test_derived_book_export_and_district_job(
    world, books, login, disability_user, django_capture_on_commit_callbacks
):
    PersonFactory(household__committee=world.committee_a1, disability_certificate="C1", disability_level=1)
    PersonFactory(household__committee=world.committee_b1, disability_certificate="C2", disability_level=3)
    with django_capture_on_commit_callbacks(execute=True):
        started = job_services.job_start(
            actor=disability_user, kind=BOOK_EXPORT, params={"book": "disabled_persons"}
        )
    job = Job.objects.get(pk=started.job.pk)
    assert job.state == Job.State.DONE, job.error
    response = login(disability_user).get(reverse("jobs:download", args=[job.pk]))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [s.title for s in workbook.worksheets] == [
        "A1 甲一社区居委会",
        "A2 甲二社区居委会",
        "B1 乙一社区居委会",
    ]
    levels = [list(s.iter_rows(min_row=4, values_only=True)) for s in workbook.worksheets]
    assert [len(rows) for rows in levels] == [1, 0, 1] and levels[2][0][-1] == 3


# The import's bounds (issue 23, finding 7) ------------------------------------------------------------


def _layout(book) -> list[list]:
    """Rows 1–3 of the book's standard layout: title, committee line, headers."""
    return [[book.name], ["社区", "甲一社区居委会"], [SERIAL, *(c["label"] for c in book.columns)]]


def test_a_sheet_declaring_a1_to_xfd4001_is_read_to_the_book_width(world, books):
    book = books["mz_relief"]
    upload = workbooks.declared_extent(*_layout(book), dimension="A1:XFD4001")
    assert len(upload.getvalue()) < 20_000
    result = services.entries_import(
        actor=world.committee_user, book=book, committee=world.committee_a1, file=upload, period_key="2025-03"
    )
    assert [e.message for e in result.errors] == [services.ERR_NOTHING_TO_IMPORT]  # the far cell is not read
    width = len(book.columns) + 1
    assert result.rows_read == 2 + 4001 - HEADER_ROW and result.cells_read <= result.rows_read * (width + 32)


def test_empty_rows_count_against_the_row_limit(world, books):
    book = books["mz_relief"]
    upload = workbooks.empty_rows(*_layout(book), count=100_000)
    result = services.entries_import(
        actor=world.committee_user, book=book, committee=world.committee_a1, file=upload, period_key="2025-03"
    )
    limit = importers.MAX_ROWS
    assert [(e.row, e.message) for e in result.errors] == [(HEADER_ROW + 1 + limit, importers.ERR_TOO_MANY)]
    assert result.rows_read == 2 + limit  # title and header, then the rows allowed
    assert not LedgerEntry.objects.exists()
