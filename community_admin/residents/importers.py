"""Reading the registry's Excel layout. All rows are checked before anything is written: the caller
(`services.residents_import`) writes nothing unless every row is valid."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from community_admin.core import idnumbers, xlsx
from community_admin.residents.exporters import TEMPLATE_HEADERS
from community_admin.residents.models import Person

REQUIRED = ("户编号", "门牌地址", "姓名", "公民身份号码", "与户主关系", "居住类型")
ADDRESS = re.compile(
    r"^(?P<building>.+?(?:号楼|栋|幢|座|号))(?:(?P<unit>[0-9一二三四五六七八九十]+)单元)?(?P<room>[^\s].*)$"
)
PHONE = re.compile(r"^[0-9+\-() ]{5,20}$")
TAG_SPLIT = re.compile(r"[、,，;；\s]+")
STATUSES = {
    "户籍人口": Person.Status.REGISTERED,
    "常住未落户": Person.Status.RESIDENT,
    "流动人口": Person.Status.FLOATING,
}
RELATIONSHIPS = {str(label): value for value, label in Person.Relationship.choices}
MARITAL = {str(label): value for value, label in Person.Marital.choices if value}
FLAGS = {
    "党员": "party_member",
    "退役军人": "veteran",
    "低保": "minimum_allowance",
    "登记失业": "registered_unemployed",
}
MAX_ROWS = 50_000  # rows after the header, empty ones included
HEADER_SCAN_COLUMNS = len(TEMPLATE_HEADERS) + xlsx.EXTRA_COLUMNS

ERR_FILE = xlsx.ERR_UNREADABLE
ERR_HEADERS = "缺少表头：{missing}（请使用导入模板）。"
ERR_TOO_MANY = xlsx.ERR_TOO_MANY_ROWS.format(limit=MAX_ROWS)
ERR_REQUIRED = "必填项为空。"
ERR_ID_AS_NUMBER = (
    "以数字形式保存，末几位已丢失（Excel 只保留 15 位有效数字）：请把该列设为“文本”后重新录入。"
)
ERR_ADDRESS = "无法识别楼栋与门牌号，格式如“3号楼2单元501”。"
ERR_UNKNOWN = "无法识别“{value}”，可填：{allowed}。"
ERR_PHONE = "联系电话格式不正确。"
ERR_TAG = "无法识别标签“{value}”。"
ERR_DISABILITY = "残疾证标签格式应为“残疾证:证号/等级”，等级为 1–4。"
ERR_DUPLICATE_IN_FILE = "与第 {row} 行的公民身份号码重复。"
ERR_ADDRESS_MISMATCH = "同一户编号的门牌地址不一致（第 {row} 行为“{address}”）。"
ERR_EXISTING_HOUSEHOLD = "户编号已存在，登记的门牌地址为“{address}”，与本行不一致。"
ERR_TOO_LONG = "内容过长（最多 {limit} 个字）。"


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行【{self.column}】{self.message}"


@dataclass
class ParsedRow:
    row: int
    household_number: str
    address: str
    building: str
    unit: str
    room: str
    person: dict


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    seen: int = 0
    rows_read: int = 0  # rows and cells the reader went through, empty ones included
    cells_read: int = 0
    created_households: int = 0
    created_persons: int = 0


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def read_workbook(file) -> ParseResult:
    """Every row of the first sheet, read within bounds (core.xlsx.open_import): the header row up to
    HEADER_SCAN_COLUMNS, the rows only up to the last template column found, at most MAX_ROWS rows after the
    header, empty ones included."""
    result = ParseResult()
    try:
        with xlsx.open_import(file) as sheet:
            try:
                _read_rows(sheet, result)
            finally:
                result.rows_read, result.cells_read = sheet.rows_read, sheet.cells_read
    except xlsx.WorkbookRefused as refused:
        result.rows, result.seen = [], 0
        result.errors = [RowError(refused.row, "文件", refused.message)]
    return result


def _read_rows(sheet: xlsx.ImportSheet, result: ParseResult) -> None:
    header = [text(h) for h in sheet.row(1, width=HEADER_SCAN_COLUMNS)]
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        result.errors.append(RowError(1, "表头", ERR_HEADERS.format(missing="、".join(missing))))
        return
    columns = {name: header.index(name) for name in TEMPLATE_HEADERS if name in header}
    width = max(columns.values()) + 1
    for number, values in sheet.rows(start=2, limit=MAX_ROWS, width=width):
        if not any(v not in (None, "") for v in values):
            continue
        result.seen += 1
        _parse_row(result, number, {name: values[i] for name, i in columns.items()})


def _parse_row(result: ParseResult, row: int, cells: dict) -> None:
    errors: list[RowError] = []

    def fail(column, message):
        errors.append(RowError(row, column, message))

    values = {name: text(cells.get(name)) for name in TEMPLATE_HEADERS}
    for name in REQUIRED:
        if not values[name]:
            fail(name, ERR_REQUIRED)
    for name, limit in (("户编号", 30), ("姓名", 50), ("门牌地址", 90)):
        if len(values[name]) > limit:
            fail(name, ERR_TOO_LONG.format(limit=limit))

    id_number, sex, birth_date = _parse_id_cell(cells.get("公民身份号码"), fail)

    building = unit = room = ""
    if values["门牌地址"]:
        match = ADDRESS.match(values["门牌地址"])
        if match is None:
            fail("门牌地址", ERR_ADDRESS)
        else:
            building, unit, room = match["building"], match["unit"] or "", match["room"].strip()

    relationship = RELATIONSHIPS.get(values["与户主关系"])
    if values["与户主关系"] and relationship is None:
        fail("与户主关系", ERR_UNKNOWN.format(value=values["与户主关系"], allowed="、".join(RELATIONSHIPS)))
    status = STATUSES.get(values["居住类型"])
    if values["居住类型"] and status is None:
        fail("居住类型", ERR_UNKNOWN.format(value=values["居住类型"], allowed="、".join(STATUSES)))
    if values["联系电话"] and not PHONE.match(values["联系电话"]):
        fail("联系电话", ERR_PHONE)

    person = {
        "name": values["姓名"],
        "id_number": id_number,
        "sex": sex,
        "birth_date": birth_date,
        "relationship": relationship,
        "status": status,
        "phone": values["联系电话"],
        "marital_status": "",
        "disability_certificate": "",
        "disability_level": None,
    }
    _apply_tags(person, values["标签"], fail)

    if errors:
        result.errors.extend(errors)
        return
    result.rows.append(ParsedRow(row, values["户编号"], values["门牌地址"], building, unit, room, person))


def _parse_id_cell(raw_id, fail) -> tuple[str, str, date | None]:
    """(number, sex, birth date) from the ID cell, or empty ones after `fail`. A number typed as a number has
    lost its last digits (Excel keeps 15), unless it is an old 15-digit number."""
    id_number, sex, birth_date = "", "", None
    if isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
        digits = text(raw_id)
        if len(digits) == 15:
            raw_id = digits
        else:
            fail("公民身份号码", ERR_ID_AS_NUMBER)
            raw_id = None
    elif isinstance(raw_id, str) and re.search(r"[eE][+]\d+$", raw_id.strip()):
        fail("公民身份号码", ERR_ID_AS_NUMBER)
        raw_id = None
    if raw_id not in (None, ""):
        try:
            parsed = idnumbers.parse(text(raw_id), allow_legacy=True)
            id_number, sex, birth_date = parsed.value, parsed.sex, parsed.birth_date
        except idnumbers.InvalidIdNumber as exc:
            fail("公民身份号码", str(exc))
    return id_number, sex, birth_date


def _apply_tags(person: dict, tags: str, fail) -> None:
    """The 标签 cell: flags, a marital status, a disability certificate with its level."""
    for tag in filter(None, TAG_SPLIT.split(tags)):
        if tag in FLAGS:
            person[FLAGS[tag]] = True
        elif tag in MARITAL:
            person["marital_status"] = MARITAL[tag]
        elif tag.startswith(("残疾证:", "残疾证：")):
            match = re.fullmatch(r"残疾证[:：](?P<number>[0-9A-Za-z]{6,30})/(?P<level>[1-4])级?", tag)
            if match is None:
                fail("标签", ERR_DISABILITY)
            else:
                person["disability_certificate"] = match["number"].upper()
                person["disability_level"] = int(match["level"])
        else:
            fail("标签", ERR_TAG.format(value=tag))
