"""Excel files of the ledgers in the standard layout every book shares:

    row 1  the book's title
    row 2  社区 | <committee> | 街道 | <street> | 期间 | <period> | 责任部门 | <owner>
    row 3  the headers, in Chinese (序号 first)
    row 4… the rows

Written in openpyxl's write-only mode from streamed querysets: rows go straight to disk, memory stays flat
whatever the size of the book. One sheet per committee; a district export is the same sheets, 151 of them.
The workbook is core.xlsx's: what was typed into a book is written as text, never as a formula."""

from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from django.utils import timezone

from community_admin.core import xlsx
from community_admin.core.exporters import Exporter
from community_admin.core.progress import Progress, ProgressFactory
from community_admin.ledgers import periods, selectors
from community_admin.ledgers.derived import DERIVATIONS
from community_admin.ledgers.models import LedgerBook
from community_admin.org.models import Committee

HEADER_ROW = 3
SERIAL = "序号"
CHUNK = 2000


def layout_headers(book: LedgerBook) -> list[str]:
    if book.is_derived:
        return [SERIAL, *DERIVATIONS[book.derived_key].headers]
    return [SERIAL, *(c["label"] for c in book.columns)]


def manual_rows(entries, book: LedgerBook, *, chunk_size: int = CHUNK) -> Iterator[list]:
    """Rows of manual entries in column order, streamed by chunks; person links read "姓名（masked ID）"."""
    columns = [(c["key"], c["type"]) for c in book.columns]
    person_keys = [k for k, t in columns if t == "person"]
    date_keys = {k for k, t in columns if t == "date"}
    chunk: list[dict] = []

    def flush():
        labels = selectors.person_labels(d.get(k) for d in chunk for k in person_keys) if person_keys else {}
        for data in chunk:
            row = []
            for key, kind in columns:
                value = data.get(key)
                if value is None:
                    row.append(None)
                elif key in date_keys:
                    row.append(date.fromisoformat(value))
                elif kind == "person":
                    row.append(labels.get(value, ""))
                else:
                    row.append(value)
            yield row

    for data in entries.values_list("data", flat=True).iterator(chunk_size=chunk_size):
        chunk.append(data)
        if len(chunk) >= chunk_size:
            yield from flush()
            chunk = []
    yield from flush()


class BookExporter(Exporter):
    identifier = "ledgers.book_export"
    label = "导出台账（Excel，所辖全部社区）"
    permission = "ledgers.export"

    def __init__(self, *, book: LedgerBook, user, committees: Iterable[Committee], period_key: str) -> None:
        self.book = book
        self.user = user
        self.committees = list(committees)
        self.period_key = period_key
        self.today = timezone.localdate()
        self.rows = 0

    @property
    def committee_count(self) -> int:
        return len(self.committees)

    @property
    def period_label(self) -> str:
        if self.book.is_derived:
            return f"截至 {self.today:%Y-%m-%d}（人口库实时生成）"
        return periods.label(self.book.period, self.period_key)

    @property
    def filename(self) -> str:
        unit = self.committees[0].name if len(self.committees) == 1 else "全区"
        period = "" if self.book.is_derived else f"-{periods.label(self.book.period, self.period_key)}"
        return f"{self.book.name}-{unit}{period}.{self.extension}"

    def columns(self) -> list[xlsx.Column]:
        """序号, then the book's columns: a number in yuan ("（元）") is money, a date a date."""
        if self.book.is_derived:
            labels = DERIVATIONS[self.book.derived_key].headers
            return [
                xlsx.Column(SERIAL, "integer"),
                *(xlsx.Column(h, DERIVED_KINDS.get(h, "")) for h in labels),
            ]
        return [xlsx.Column(SERIAL, "integer"), *(_column(c) for c in self.book.columns)]

    def source(self, committee: Committee):
        """(row count, row iterator) of one committee's copy of the book."""
        if self.book.is_derived:
            derivation = DERIVATIONS[self.book.derived_key]
            base = selectors.derived_base(self.user, self.book, committee)
            return derivation.queryset(base, self.today).count(), derivation.rows(base, self.today)
        entries = selectors.book_entries(self.user, self.book, committee, self.period_key).order_by("id")
        return entries.count(), manual_rows(entries, self.book)

    def write(self, path: Path, *, progress: ProgressFactory = Progress) -> int:
        workbook = xlsx.new_workbook()
        columns = self.columns()
        sources = []
        for committee in self.committees:
            sources.append((committee, *self.source(committee)))
        bar = progress(f"导出{self.book.name}", sum(n for _, n, _ in sources))
        written = 0
        for committee, _, rows in sources:
            sheet = workbook.create_sheet(f"{committee.code} {committee.name}"[:31])
            written += xlsx.write_table(
                sheet,
                heading=self.book.name,
                lead=[
                    [
                        "社区",
                        committee.name,
                        "街道",
                        committee.street.name,
                        "期间",
                        self.period_label,
                        "责任部门",
                        self._owner(committee),
                    ]
                ],
                columns=columns,
                rows=([serial, *row] for serial, row in enumerate(rows, start=1)),
                progress=bar,
            )
        bar.finish()
        workbook.save(path)
        self.rows = written
        return written

    def _owner(self, committee: Committee) -> str:
        if self.book.owner_department_id:
            return self.book.owner_department.name
        stations = [d.name for d in committee.street.departments.all() if d.kind == "police"]
        return "、".join(stations) or "社区所在街道派出所"


# The derived books' columns whose kind the values alone do not say (an ID number must stay whole).
DERIVED_KINDS = {
    "公民身份号码": "id",
    "户编号": "id",
    "联系电话": "id",
    "出生日期": "date",
    "年龄": "integer",
    "居住证签发日期": "date",
    "居住证有效期至": "date",
}
_KINDS = {"date": "date", "text": "text", "choice": "text", "person": "text"}


def _column(column: dict) -> xlsx.Column:
    if column["type"] == "number":
        return xlsx.Column(column["label"], "money" if "元" in column["label"] else "number")
    return xlsx.Column(column["label"], _KINDS.get(column["type"], ""))
