"""Exports of the district structure behind core.exporters' interface, called by the job kind and the
management command alike; views never build workbooks."""

import time
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet

from community_admin.core import xlsx
from community_admin.core.exporters import Exporter
from community_admin.core.progress import Progress, ProgressFactory
from community_admin.org import selectors
from community_admin.org.models import Committee


class CommitteeExporter(Exporter):
    """The committees of a (scoped) queryset with their figures and norms, one row each."""

    identifier = "dashboards.committee_export"
    label = "导出社区居委会名册（Excel）"
    permission = "org.view"
    filename = "社区居委会名册.xlsx"
    headers = [
        "社区代码",
        "社区居委会",
        "街道",
        "类型",
        "村改居",
        "社区党组织",
        "户数",
        "常住人口",
        "流动人口",
        "应配委员",
        "应配社工",
        "应有办公面积（平方米）",
        "实有办公面积（平方米）",
        "办公用房达标",
    ]

    def __init__(self, committees: QuerySet[Committee]) -> None:
        self.committees = committees.order_by("street__code", "code")

    def write(self, path: Path, *, progress: ProgressFactory = Progress) -> int:
        # Write-only: rows stream to disk, so a district-wide export stays small in memory.
        workbook = xlsx.new_workbook()
        sheet = workbook.create_sheet("社区居委会")
        bar = progress("导出社区居委会", self.committees.count())
        columns = [xlsx.Column(h, "id" if h == "社区代码" else "") for h in self.headers]
        rows = xlsx.write_table(sheet, heading="社区居委会名册", columns=columns, rows=self.rows(bar))
        bar.finish()
        workbook.save(path)
        return rows

    def rows(self, bar):
        delay = settings.JOBS_EXPORT_ROW_DELAY_MS / 1000
        for committee, figures in selectors.committees_with_figures(self.committees):
            office = figures.office
            yield [
                committee.code,
                committee.name,
                committee.street.name,
                committee.get_kind_display(),
                "是" if committee.village_converted else "否",
                committee.party_organisation,
                figures.households,
                figures.population,
                figures.floating,
                figures.members_required,
                figures.social_workers_required,
                float(office.required_m2) if office else None,
                float(committee.office_area_m2),
                ("是" if office.compliant else "否") if office else "",
            ]
            bar.advance()
            if delay:
                time.sleep(delay)
