"""Exports of the funding app: small classes behind one interface (`export(...) -> bytes`), called by services."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0.00"


class ComparisonXlsxExporter:
    """Two policies side by side for every committee: amounts, per household, the difference."""

    content_type = XLSX
    header = (
        "社区代码",
        "社区",
        "户数",
        "方案甲（元）",
        "方案甲每户",
        "方案乙（元）",
        "方案乙每户",
        "差额（元）",
        "增减",
    )

    def export(self, *, comparison) -> bytes:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("经费方案比较")
        bold = Font(bold=True)
        title = WriteOnlyCell(sheet, value="社区工作经费方案比较")
        title.font = bold
        sheet.append([title])
        sheet.append([f"方案甲：{comparison.policy_a}"])
        sheet.append([f"方案乙：{comparison.policy_b}"])
        cells = []
        for label in self.header:
            cell = WriteOnlyCell(sheet, value=label)
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for r in comparison.rows:
            change = "增加" if r.difference > 0 else "减少" if r.difference < 0 else "不变"
            sheet.append(
                [r.committee.code, r.committee.name, r.households]
                + [
                    self._money(sheet, v)
                    for v in (r.a.amount, r.a_per_household, r.b.amount, r.b_per_household, r.difference)
                ]
                + [change]
            )
        total = WriteOnlyCell(
            sheet,
            value=f"合计（{len(comparison.rows)} 个社区；增加 {comparison.gainers}，减少 {comparison.losers}）",
        )
        total.font = bold
        sheet.append(
            [total, "", comparison.households]
            + [
                self._money(sheet, v)
                for v in (
                    comparison.total_a,
                    comparison.per_household_a,
                    comparison.total_b,
                    comparison.per_household_b,
                    comparison.total_b - comparison.total_a,
                )
            ]
        )
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def _money(sheet, value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT
        return cell
