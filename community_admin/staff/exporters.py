"""Exports of the staff app: small classes behind one interface (`export(...) -> bytes`), called by services."""

from io import BytesIO

from openpyxl.styles import Font

from community_admin.core import xlsx

XLSX = xlsx.XLSX
MONEY_FORMAT = "#,##0.00"


class PayrollXlsxExporter:
    content_type = XLSX
    columns = (
        ("姓名", None),
        ("职务", None),
        ("基本工资", "base"),
        ("职务津贴", "position_allowance"),
        ("职业资格津贴", "qualification_allowance"),
        ("特殊荣誉津贴", "honour"),
        ("最低工资补足", "floor_top_up"),
        ("应发合计", "gross"),
        ("单位缴纳五险", "employer_insurance"),
        ("低于最低工资", None),
    )

    def export(self, *, payroll, lines) -> bytes:
        workbook = xlsx.new_workbook()
        sheet = workbook.create_sheet(f"{payroll.year}年{payroll.month}月")
        bold = Font(bold=True)
        title = f"{payroll.committee.name} {payroll.year}年{payroll.month}月社区工作者工资表"
        sheet.append([xlsx.cell(sheet, title, font=bold)])
        sheet.append(
            [
                f"依据：{payroll.policy}；全省最低工资标准 {payroll.policy.minimum_wage} 元/月；"
                f"含五险合计 {payroll.policy.insured_monthly} 元/月"
            ]
        )
        sheet.append([xlsx.cell(sheet, label, font=bold) for label, _ in self.columns])
        totals = {field: 0 for _, field in self.columns if field}
        for line in lines:
            row = [line.worker.name, line.posts]
            for _, field in self.columns[2:-1]:
                value = getattr(line, field)
                totals[field] += value
                row.append(self._money(sheet, value))
            row.append("是（已补足）" if line.below_floor else "")
            sheet.append(row)
        total_label = xlsx.cell(sheet, f"合计（{len(lines)} 人）", font=bold)
        sheet.append([total_label, ""] + [self._money(sheet, totals[f]) for _, f in self.columns[2:-1]])
        buffer = BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    @staticmethod
    def _money(sheet, value) -> xlsx.Cell:
        return xlsx.cell(sheet, value, number_format=MONEY_FORMAT)
