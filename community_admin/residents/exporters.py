"""Excel files of the registry: the import template and exports of any filtered list (masked, write-only)."""

from io import BytesIO
from pathlib import Path

from django.utils import timezone
from openpyxl.styles import Font

from community_admin.core import xlsx
from community_admin.core.exporters import QUIET, Exporter
from community_admin.core.progress import ProgressFactory
from community_admin.residents.models import Person

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


class ImportTemplate:
    """The import layout: the first sheet holds only the headers (cells formatted as text, so ID numbers keep
    all 18 characters); the example and the rules are on a second sheet, so only the clerk's rows are read."""

    title = "人口导入模板"
    filename = "人口导入模板.xlsx"
    content_type = xlsx.XLSX
    headers = TEMPLATE_HEADERS

    def write(self) -> BytesIO:
        """The template, rewound (not an export of anyone's data: nothing to audit or to print)."""
        workbook = xlsx.new_workbook(write_only=False)
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
        out = BytesIO()
        workbook.save(out)
        out.seek(0)
        return out


class PersonExporter(Exporter):
    identifier = "residents.person_export"
    label = "导出人员名单（Excel，身份证号已遮盖）"
    permission = "residents.export"
    title = "人员名单"

    def __init__(self, persons, *, sensitive: bool, chunk_size: int = 2000):
        self.persons = persons
        self.sensitive = sensitive
        self.chunk_size = chunk_size
        self.columns = [
            xlsx.Column(h, kind)
            for h, kind in [
                ("社区", "text"),
                ("户编号", "id"),
                ("门牌地址", "text"),
                ("姓名", "text"),
                ("公民身份号码", "id"),
                ("性别", "text"),
                ("出生日期", "date"),
                ("与户主关系", "text"),
                ("居住类型", "text"),
                ("联系电话", "id"),
                ("婚姻状况", "text"),
                ("党员", "text"),
                ("退役军人", "text"),
                ("登记失业", "text"),
                *([("残疾证号", "id"), ("残疾等级", "text"), ("低保", "text")] if sensitive else []),
            ]
        ]

    @property
    def filename(self) -> str:
        return f"人员名单-{timezone.localdate():%Y%m%d}.xlsx"

    def count(self) -> int:
        return self.persons.count()

    def write(self, path: Path, *, progress: ProgressFactory = QUIET) -> int:
        workbook = xlsx.new_workbook()
        sheet = workbook.create_sheet(self.title)
        bar = progress(self.title, self.count())
        written = xlsx.write_table(
            sheet, heading=self.title, columns=self.columns, rows=self.rows(), progress=bar
        )
        bar.finish()
        workbook.save(path)
        return written

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
