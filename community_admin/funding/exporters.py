"""Exports of the funding app: small classes behind one interface (`export(...) -> bytes`), called by services."""

from io import BytesIO

from openpyxl.styles import Font

from community_admin.core import xlsx

XLSX = xlsx.XLSX
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
        workbook = xlsx.new_workbook()
        sheet = workbook.create_sheet("经费方案比较")
        bold = Font(bold=True)
        sheet.append([xlsx.cell(sheet, "社区工作经费方案比较", font=bold)])
        sheet.append([f"方案甲：{comparison.policy_a}"])
        sheet.append([f"方案乙：{comparison.policy_b}"])
        sheet.append([xlsx.cell(sheet, label, font=bold) for label in self.header])
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
        total = xlsx.cell(
            sheet,
            f"合计（{len(comparison.rows)} 个社区；增加 {comparison.gainers}，减少 {comparison.losers}）",
            font=bold,
        )
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
        return xlsx.cell(sheet, value, number_format=MONEY_FORMAT)
