"""Exports of the funding app, behind core.exporters' interface, called by services."""

from pathlib import Path

from community_admin.core import xlsx
from community_admin.core.exporters import QUIET, Exporter
from community_admin.core.progress import ProgressFactory

MONEY = "money"


class ComparisonExporter(Exporter):
    """Two policies side by side for every committee: amounts, per household, the difference."""

    identifier = "funding.policy_comparison_export"
    label = "导出社区工作经费方案比较（Excel）"
    permission = "funding.compare"
    columns = (
        xlsx.Column("社区代码"),
        xlsx.Column("社区"),
        xlsx.Column("户数", "integer"),
        xlsx.Column("方案甲（元）", MONEY),
        xlsx.Column("方案甲每户", MONEY),
        xlsx.Column("方案乙（元）", MONEY),
        xlsx.Column("方案乙每户", MONEY),
        xlsx.Column("差额（元）", MONEY),
        xlsx.Column("增减"),
    )

    def __init__(self, *, comparison) -> None:
        self.comparison = comparison

    @property
    def filename(self) -> str:
        c = self.comparison
        return f"funding-compare-{c.policy_a.pk}-{c.policy_b.pk}.xlsx"

    def write(self, path: Path, *, progress: ProgressFactory = QUIET) -> int:
        c = self.comparison
        workbook = xlsx.new_workbook()
        sheet = workbook.create_sheet("经费方案比较")
        rows = (
            [
                r.committee.code,
                r.committee.name,
                r.households,
                r.a.amount,
                r.a_per_household,
                r.b.amount,
                r.b_per_household,
                r.difference,
                "增加" if r.difference > 0 else "减少" if r.difference < 0 else "不变",
            ]
            for r in c.rows
        )
        total = [
            f"合计（{len(c.rows)} 个社区；增加 {c.gainers}，减少 {c.losers}）",
            "",
            c.households,
            c.total_a,
            c.per_household_a,
            c.total_b,
            c.per_household_b,
            c.total_b - c.total_a,
            "",
        ]
        written = xlsx.write_table(
            sheet,
            heading="社区工作经费方案比较",
            lead=[[f"方案甲：{c.policy_a}"], [f"方案乙：{c.policy_b}"], [c.source_text]],
            columns=self.columns,
            rows=rows,
            totals=[total],
        )
        workbook.save(path)
        return written
