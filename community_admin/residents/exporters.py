"""Excel files of the registry: the import template and exports of any filtered list (masked, write-only)."""

import tempfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl.styles import Font

from community_admin.core import xlsx
from community_admin.core.progress import ProgressFactory
from community_admin.residents.models import Person

XLSX = xlsx.XLSX

TEMPLATE_HEADERS = [
    "户编号",
    "门牌地址",
    "姓名",
    "公民身份号码",
    "与户主关系",
    "居住类型",
    "联系电话",
    "标签",
]
TEMPLATE_EXAMPLE = [
    "0001",
    "3号楼2单元501",
    "张三",
    "11010519491231002X",
    "户主",
    "户籍人口",
    "13800000000",
    "党员、退役军人",
]
TEMPLATE_HELP = [
    "只导入第一张工作表；第一行为表头，从第二行起每行一人；同一户的成员填写相同的户编号与门牌地址。",
    "必填：户编号、门牌地址、姓名、公民身份号码、与户主关系、居住类型；选填：联系电话、标签。",
    "门牌地址格式：楼栋+单元+门牌，如“3号楼2单元501”“幸福里12号楼101”。",
    "公民身份号码：18 位（15 位旧号码会自动转换）；请保持“文本”格式，否则 Excel 会丢失末三位。",
    "与户主关系：" + "、".join(str(label) for label in Person.Relationship.labels),
    "居住类型：户籍人口、常住未落户、流动人口",
    "标签（用顿号或逗号分隔）：党员、退役军人、低保、登记失业、未婚、已婚、离婚、丧偶、残疾证:证号/等级（如 残疾证:1101051949123100204/2）",
    "整个文件全部通过校验才会导入；有任何一行出错则不导入，并列出每一处错误的行号、列名与原因。",
]


class XlsxExporter:
    """A workbook written to `target` (a path), or to a rewound temporary file that is returned for the caller
    to stream and close. Exports use write-only mode: rows go straight to disk and memory stays flat. The
    workbook is core.xlsx's: typed text is never written as a formula."""

    title = ""
    headers: list[str] = []
    write_only = True
    filename = "export.xlsx"
    content_type = XLSX

    def rows(self) -> Iterable[list]:
        return []

    def count(self) -> int:
        return 0

    def fill(self, workbook: xlsx.SafeWorkbook, progress: ProgressFactory | None = None) -> None:
        sheet = workbook.create_sheet(self.title[:31])
        bold = Font(bold=True)
        sheet.append([xlsx.cell(sheet, text, font=bold) for text in self.headers])
        bar = progress(self.title, self.count()) if progress else None
        for row in self.rows():
            sheet.append(row)
            if bar:
                bar.advance()
        if bar:
            bar.finish()

    def write(self, target: Path | None = None, *, progress: ProgressFactory | None = None):
        workbook = xlsx.new_workbook(write_only=self.write_only)
        self.fill(workbook, progress)
        if target is not None:
            workbook.save(target)
            return target
        out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 -- handed to the caller
        workbook.save(out)
        out.seek(0)
        return out


class ImportTemplate(XlsxExporter):
    """The import layout: the first sheet holds only the headers (cells formatted as text, so ID numbers keep
    all 18 characters); the example and the rules are on a second sheet, so only the clerk's rows are read."""

    title = "人口导入模板"
    headers = TEMPLATE_HEADERS
    write_only = False

    def fill(self, workbook: xlsx.SafeWorkbook, progress: ProgressFactory | None = None) -> None:
        sheet = workbook.active
        sheet.title = self.title
        sheet.append(self.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column in sheet.iter_cols(min_col=1, max_col=len(self.headers), min_row=2, max_row=2000):
            for cell in column:
                cell.number_format = "@"
        help_sheet = workbook.create_sheet("填写说明")
        for line in [["示例"], self.headers, TEMPLATE_EXAMPLE, [], *[[line] for line in TEMPLATE_HELP]]:
            help_sheet.append(line)


class PersonExporter(XlsxExporter):
    title = "人员名单"
    filename = "人员名单.xlsx"

    def __init__(self, persons, *, sensitive: bool, chunk_size: int = 2000):
        self.persons = persons
        self.sensitive = sensitive
        self.chunk_size = chunk_size
        self.headers = [
            "社区",
            "户编号",
            "门牌地址",
            "姓名",
            "公民身份号码",
            "性别",
            "出生日期",
            "与户主关系",
            "居住类型",
            "联系电话",
            "婚姻状况",
            "党员",
            "退役军人",
            "登记失业",
        ] + (["残疾证号", "残疾等级", "低保"] if sensitive else [])

    def count(self) -> int:
        return self.persons.count()

    def rows(self):
        yes = {True: "是", False: ""}
        for p in self.persons.iterator(chunk_size=self.chunk_size):
            row = [
                p.committee.name,
                p.household.number,
                p.household.address,
                p.name,
                p.id_number_masked,
                p.get_sex_display(),
                p.birth_date,
                p.get_relationship_display(),
                p.get_status_display(),
                p.phone,
                p.get_marital_status_display() if p.marital_status else "",
                yes[p.party_member],
                yes[p.veteran],
                yes[p.registered_unemployed],
            ]
            if self.sensitive:
                row += [p.disability_certificate_masked, p.disability_level or "", yes[p.minimum_allowance]]
            yield row
