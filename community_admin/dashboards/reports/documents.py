"""The annual survey report as a file: small classes behind one interface (`write(path, progress=...)`,
`filename`, `content_type`), called by the job kind and the management command alike.

The PDF uses the certificates' shipped GB 2312 subset of Noto Serif CJK (see certificates/pdf.py for why it is
shipped rather than taken from the system), in the body and in the charts' SVG text alike."""

from abc import ABC, abstractmethod
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from openpyxl.styles import Alignment, Font
from weasyprint import HTML

from community_admin.certificates.pdf import FONT_FACE, FONT_FAMILY
from community_admin.core import xlsx
from community_admin.core.exporters import PDF, XLSX
from community_admin.core.progress import Progress, ProgressFactory
from community_admin.dashboards.reports import narrative
from community_admin.dashboards.reports.figures import survey_figures

TITLE = "社区工作调研报告"
STEPS = 3  # figures, text, file


class SurveyReport(ABC):
    """The report of `year` over what `user` sees (the bureau: the whole district)."""

    extension = ""
    content_type = ""

    def __init__(self, *, year: int, user) -> None:
        self.year = year
        self.user = user

    @property
    def filename(self) -> str:
        return f"{self.year}年{TITLE}.{self.extension}"

    def write(self, path: Path, *, progress: ProgressFactory = Progress) -> dict:
        bar = progress(f"生成{self.year}年{TITLE}", STEPS)
        figures = survey_figures(year=self.year, user=self.user)
        bar.advance()
        parts = narrative.parts(figures)
        bar.advance()
        self._write(Path(path), figures, parts)
        bar.advance()
        bar.finish()
        return figures

    @abstractmethod
    def _write(self, path: Path, figures: dict, parts: list[narrative.Part]) -> None:
        """Write the document in this class's format (PDF or xlsx)."""


class SurveyReportPdf(SurveyReport):
    extension = "pdf"
    content_type = PDF
    template = "dashboards/report/survey_report.html"

    def html(self, figures: dict, parts: list[narrative.Part]) -> str:
        return render_to_string(
            self.template,
            {
                "title": TITLE,
                "year": self.year,
                "as_of": narrative.chinese_date(figures["as_of"]),
                "parts": parts,
                "street_table": narrative.street_table(figures),
                "font_face": FONT_FACE,
                "font_family": FONT_FAMILY,
            },
        )

    def _write(self, path: Path, figures: dict, parts: list[narrative.Part]) -> None:
        HTML(string=self.html(figures, parts), base_url=str(settings.BASE_DIR)).write_pdf(path)


def _cell(value):
    # Numbers stay numbers in the workbook: money as float (yuan, two decimals), counts as int.
    if isinstance(value, Decimal):
        return float(value)
    return value


class SurveyReportXlsx(SurveyReport):
    """One sheet per part (its text, then indicator/value rows), and the per-street table. A normal (not
    write-only) core.xlsx workbook for the merged cells: it escapes every text cell when saved."""

    extension = "xlsx"
    content_type = XLSX

    def _write(self, path: Path, figures: dict, parts: list[narrative.Part]) -> None:
        workbook = xlsx.new_workbook(write_only=False)
        workbook.remove(workbook.active)
        sections = indicator_sections(figures)
        for part, (sheet_name, rows) in zip(parts, sections, strict=True):
            sheet = workbook.create_sheet(sheet_name)
            sheet.append([part.heading])
            sheet["A1"].font = Font(bold=True)
            for paragraph in part.paragraphs:
                sheet.append([paragraph])
                sheet.cell(sheet.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
                sheet.merge_cells(
                    start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=4
                )
                sheet.row_dimensions[sheet.max_row].height = 15 * (len(paragraph) // 60 + 1)
            sheet.append([])
            sheet.append(["指标", "数值", "单位"])
            for label, value, unit in rows:
                sheet.append([label, _cell(value), unit])
            for table in part.tables:
                sheet.append([])
                sheet.append([table.title])
                sheet.append(table.headers)
                for row in table.rows:
                    sheet.append([_cell(v) for v in row])
            xlsx.print_layout(sheet, widths=[36, 16, 12, 12], header_row=None)
        table = narrative.street_table(figures)
        sheet = workbook.create_sheet("各街道")
        xlsx.write_table(sheet, columns=table.headers, rows=[[_cell(v) for v in row] for row in table.rows])
        workbook.save(path)


Rows = list[tuple[str, object, str]]


def indicator_sections(f: dict) -> list[tuple[str, Rows]]:
    """(sheet name, [(indicator, value, unit)]) per part, in the order of `narrative.parts`."""
    return [
        ("一、基本状况", _basic(f)),
        ("二（一）行政事务", _admin(f)),
        ("二（二）一多三少", _services(f)),
        ("二（三）经费", _funding(f)),
        ("二（四）人员", _staff(f)),
        ("二（五）用房", _office(f)),
    ]


def _basic(f: dict) -> Rows:
    """一、基本状况."""
    b = f["base"]
    sc, w, g = b["service_centres"], b["workers"], b["staffing"]
    basic = [
        ("街道", b["streets"], "个"),
        ("社区居委会", b["committees"], "个"),
        ("纯居型社区居委会", b["committees_by_kind"]["residential"], "个"),
        ("单位型社区居委会（家委会）", b["committees_by_kind"]["unit"], "个"),
        ("混合型社区居委会", b["committees_by_kind"]["mixed"], "个"),
        ("村改居社区", b["village_converted"], "个"),
        ("户数", b["households"], "户"),
        ("常住人口", b["resident_population"], "人"),
        ("流动人口", b["floating_population"], "人"),
        ("街道服务中心", sc["street"], "个"),
        ("社区服务中心", sc["committee"], "个"),
        ("1000平方米以上服务中心", sc["over_1000m2"], "个"),
        ("500平方米以上服务中心", sc["over_500m2"], "个"),
        ("精品社区服务中心", sc["boutique"], "个"),
        ("通过全市示范验收", sc["demonstration"], "个"),
        ("社区工作者", w["total"], "人"),
        ("其中委员", w["members"], "人"),
        ("其中社工", w["social_workers"], "人"),
        ("委员兼社工", w["both"], "人"),
        ("大专以上学历", w["college_or_above"], "人"),
        ("平均年龄", f["average_age"], "岁"),
        ("应配委员", g["members_required"], "人"),
        ("应配社工", g["social_workers_required"], "人"),
    ]
    return basic


def _admin(f: dict) -> Rows:
    """二（一）: the admission list, the tasks, the ledgers and the certificates."""
    a, lg, c = f["admin_load"], f["ledgers"], f["certificates"]
    tiers = {t["tier"]: t for t in c["by_tier"]}
    admin = [
        ("准入清单事项", a["items"]["total"], "项"),
        ("依法履行职责事项", a["items"]["duty"], "项"),
        ("依法协助政府工作事项", a["items"]["assist"], "项"),
        ("不应由社区承担的事项", a["items"]["excluded"], "项"),
        ("下派任务", a["received"], "件次"),
        ("涉及事务", a["affairs"], "类"),
        ("准入", a["admitted"], "件次"),
        ("拒绝", a["refused"], "件次"),
        ("街道代社区拒绝", a["refused_by_street"], "件次"),
        ("逾期", a["overdue"], "件次"),
        ("随事转经费", a["funding"], "元"),
        ("台账类别", lg["categories"], "类"),
        ("台账", lg["books"], "本"),
        ("自动生成台账", lg["derived_books"], "本"),
        ("手工台账", lg["manual_books"], "本"),
        ("手工录入条目", lg["entries_typed"], "条"),
        ("平均每社区录入条目", lg["entries_per_committee"], "条"),
        ("自动生成行数", lg["registry_rows"], "行"),
        ("证明种类", c["types"], "种"),
        ("A类 直接出具", tiers["A"]["types"], "种"),
        ("B类 凭证明材料出具", tiers["B"]["types"], "种"),
        ("C类 不予出具", tiers["C"]["types"], "种"),
        ("出具证明", c["issued"], "份"),
        ("拒绝出具", c["refused"], "次"),
    ]
    return admin


def _services(f: dict) -> Rows:
    """二（二）: services against administration."""
    v = f["services"]
    services = [
        ("入户走访", v["visits"], "次"),
        ("走访覆盖户数", v["households_reached"], "户"),
        ("走访覆盖率", v["reach_share"], "比例"),
        ("每百户走访", v["visits_per_100_households"], "次"),
        ("社区活动", v["activities"], "场"),
        ("活动参与", v["participants"], "人次"),
        ("志愿服务", v["volunteer_hours"], "小时"),
        ("扶持社会组织", v["organisations_supported"], "个"),
        ("服务工时", v["service_hours"], "小时"),
        ("行政事务工时", v["admin_hours"], "小时"),
        ("服务工时占比", v["service_share"], "比例"),
        ("服务指数", v["service_index"], "分"),
    ]
    return services


def _funding(f: dict) -> Rows:
    """二（三）: money."""
    m = f["funding"]
    funding = [
        ("社区工作经费", m["total"], "元"),
        ("每户经费", m["per_household"], "元"),
        ("获拨经费社区", m["committees_funded"], "个"),
        ("平均每社区经费", m["per_committee"], "元"),
        ("典型年支出（300平方米社区）", m["typical"], "元"),
        ("低于典型年支出的社区", m["committees_short"], "个"),
        ("缺口合计", m["shortfall_total"], "元"),
        ("随事转经费", m["task_money"], "元"),
        *[(label, n, "起") for label, n in m["flags"].items()],
    ]
    return funding


def _staff(f: dict) -> Rows:
    """二（四）: people."""
    s, w, g = f["staff"], f["base"]["workers"], f["base"]["staffing"]
    pay = s["pay"] or {}
    staff = [
        ("社工", w["social_workers"], "人"),
        ("借调在岗", w["seconded"], "人"),
        ("借调占社工比例", s["seconded_share"], "比例"),
        (f"{f['year']}年辞职", s["resigned"], "人"),
        (f"{f['year']}年退休", s["retired"], "人"),
        ("在岗委员", g["members_present"], "人"),
        ("委员缺口", g["members_gap"], "人"),
        ("在岗社工", g["social_workers_present"], "人"),
        ("社工缺口", g["social_workers_gap"], "人"),
        ("人员不足的社区", g["committees_short"], "个"),
        ("月工资", pay.get("base_monthly"), "元"),
        ("含五险", pay.get("insured_monthly"), "元"),
        ("全省最低工资", pay.get("minimum_wage"), "元"),
    ]
    if s["evaluation"]:
        e = s["evaluation"]
        staff += [
            ("测评社工", e["evaluated"], "人"),
            ("低于问责线", e["below_threshold"], "人"),
            ("问责未办结", e["accountability_open"], "件"),
        ]
    return staff


def _office(f: dict) -> Rows:
    """二（五）: office space."""
    o = f["office"]
    office = [
        ("办公用房标准", o["norm"] or "未选定", ""),
        ("达标社区", o["compliant"], "个"),
        ("未达标社区", o["short"], "个"),
        ("面积缺口合计", o["shortfall_m2"], "平方米"),
        *[(f"按{alt['norm']}未达标", alt["short"], "个") for alt in o["alternatives"]],
    ]
    return office


FORMATS = {"pdf": SurveyReportPdf, "xlsx": SurveyReportXlsx}


def survey_report(*, year: int, user, fmt: str = "pdf") -> SurveyReport:
    return FORMATS[fmt](year=year, user=user)
