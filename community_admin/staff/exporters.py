"""Exports of the staff app, behind core.exporters' interface, called by services."""

from pathlib import Path

from community_admin.core import xlsx
from community_admin.core.exporters import QUIET, Exporter
from community_admin.core.progress import ProgressFactory
from community_admin.staff import yearly

MONEY = "money"


class PayrollExporter(Exporter):
    """A committee's month of pay, one worker a row, the totals last."""

    identifier = "staff.payroll_export"
    label = "导出社区工作者工资表（Excel）"
    permission = "staff.pay.view"
    columns = (
        (xlsx.Column("姓名"), None),
        (xlsx.Column("职务"), None),
        (xlsx.Column("基本工资", MONEY), "base"),
        (xlsx.Column("职务津贴", MONEY), "position_allowance"),
        (xlsx.Column("职业资格津贴", MONEY), "qualification_allowance"),
        (xlsx.Column("特殊荣誉津贴", MONEY), "honour"),
        (xlsx.Column("最低工资补足", MONEY), "floor_top_up"),
        (xlsx.Column("应发合计", MONEY), "gross"),
        (xlsx.Column("单位缴纳五险", MONEY), "employer_insurance"),
        (xlsx.Column("低于最低工资"), None),
    )

    def __init__(self, *, payroll, lines) -> None:
        self.payroll = payroll
        self.lines = list(lines)

    @property
    def filename(self) -> str:
        p = self.payroll
        return f"payroll-{p.committee.code}-{p.year}{p.month:02d}.xlsx"

    def write(self, path: Path, *, progress: ProgressFactory = QUIET) -> int:
        payroll, money = self.payroll, [field for _, field in self.columns[2:-1]]
        workbook = xlsx.new_workbook()
        sheet = workbook.create_sheet(f"{payroll.year}年{payroll.month}月")
        totals = dict.fromkeys(money, 0)
        rows = []
        for line in self.lines:
            values = [getattr(line, field) for field in money]
            for field, value in zip(money, values, strict=True):
                totals[field] += value
            rows.append([line.worker.name, line.posts, *values, "是（已补足）" if line.below_floor else ""])
        written = xlsx.write_table(
            sheet,
            heading=f"{payroll.committee.name} {payroll.year}年{payroll.month}月社区工作者工资表",
            lead=[
                [
                    f"依据：{payroll.policy}；全省最低工资标准 {payroll.policy.minimum_wage} 元/月；"
                    f"含五险合计 {payroll.policy.insured_monthly} 元/月"
                    + "".join(f"；{n}" for n in yearly.payroll_notices(payroll))
                ]
            ],
            columns=[column for column, _ in self.columns],
            rows=rows,
            totals=[[f"合计（{len(self.lines)} 人）", "", *(totals[f] for f in money), ""]],
        )
        workbook.save(path)
        return written
