"""The report's text, in its own style, with every number taken from the figures (`figures.survey_figures`).
One function per part; each returns a `Part`: a heading, its paragraphs, its charts and its tables."""

from dataclasses import dataclass, field
from decimal import Decimal

from community_admin.community_services.balance import FLAG_BELOW_INDEX
from community_admin.dashboards.reports import charts
from community_admin.dashboards.reports.charts import Series
from community_admin.org import norms
from community_admin.org.selectors import source_text


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


@dataclass
class Part:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    charts: list[tuple[str, str]] = field(default_factory=list)  # (caption, inline SVG)
    tables: list[Table] = field(default_factory=list)


def approx(n: int) -> str:
    """58万 in the report's manner for large figures; small ones exactly."""
    if n >= 100000:
        return f"约{round(n / 10000)}万"
    if n >= 10000:
        return f"约{n / 10000:.1f}万"
    return f"{n}"


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def pct(share: float | Decimal | None) -> str:
    if share is None:
        return "—"
    return f"{float(share) * 100:.0f}%"


def ratio(part, whole) -> str:
    return pct(float(part) / float(whole)) if whole else "—"


def yuan(amount) -> str:
    amount = Decimal(amount or 0)
    if amount >= 10000:
        return f"{amount / 10000:,.2f}万元"
    return f"{amount:,.2f}元"


def listing(pairs, unit: str = "次", limit: int = 3) -> str:
    return "、".join(f"{name}{n}{unit}" for name, n in list(pairs)[:limit])


def basic_situation(f: dict) -> Part:
    """一、基本状况: the district, its service centres and its workers, then the figures as charts."""
    b = f["base"]
    kinds = b["committees_by_kind"]
    committees = b["committees"]
    part = Part("一、基本状况")
    mixed = f"，{kinds['mixed']}个混合型社区居委会" if kinds["mixed"] else ""
    average_h = round(b["households"] / committees) if committees else 0
    average_p = round((b["resident_population"]) / committees) if committees else 0
    part.paragraphs.append(
        f"截止{chinese_date(f['as_of'])}，全区共有{b['streets']}个街道，成立了{committees}个社区居委会，其中"
        f"{kinds['residential']}个纯居型社区居委会，{kinds['unit']}个单位型社区居委会（家委会）{mixed}，"
        f"各社区均成立了社区党组织。社区常住人口{approx(b['resident_population'])}，"
        f"流动人口{approx(b['floating_population'])}，共{b['households']:,}户，"
        f"每个社区平均服务居民{average_h:,}户、{average_p:,}人。{source_text(**b['household_sources'])}。"
        f"全区有{b['village_converted']}个社区居委会由村委会改建（“村改居”），划归有关街道管辖。"
    )
    _service_centres_paragraph(part, b["service_centres"])
    _workers_paragraph(part, f)
    if f["honours"]:
        honours = "；".join(
            f"{h['year']}年{h['holder']}被{h['awarded_by'] or '上级'}评为“{h['title']}”"
            for h in f["honours"][:6]
        )
        part.paragraphs.append(f"{honours}。")
    _basic_charts(part, f["by_street"], b["service_centres"])
    return part


def _service_centres_paragraph(part: Part, c: dict) -> None:
    centres = c["street"] + c["committee"]
    part.paragraphs.append(
        f"截止目前，全区共建设街道服务中心{c['street']}个、社区服务中心{c['committee']}个，"
        f"1000平方米以上服务中心{c['over_1000m2']}个，占中心总数的{ratio(c['over_1000m2'], centres)}，"
        f"500平方米以上共{c['over_500m2']}个。先后打造了{c['boutique']}个精品社区服务中心，"
        f"其中{c['demonstration']}个通过了全市和谐示范社区验收，发挥了典型示范、辐射带动作用。"
    )


def _workers_paragraph(part: Part, f: dict) -> None:
    b = f["base"]
    w = b["workers"]
    s = b["staffing"]
    age = f"平均年龄{f['average_age']}岁，" if f["average_age"] is not None else ""
    part.paragraphs.append(
        f"社区居委会委员职数按照每个社区{norms.MEMBERS_SMALL}-{norms.MEMBERS_LARGE}人，"
        f"{norms.MEMBERS_THRESHOLD_HOUSEHOLDS}户以下{norms.MEMBERS_SMALL}人、"
        f"{norms.MEMBERS_THRESHOLD_HOUSEHOLDS}户以上{norms.MEMBERS_LARGE}人原则配置；社工配置以社区服务对象为主要依据，"
        f"按照每名社工服务{norms.HOUSEHOLDS_PER_SOCIAL_WORKER}户居民原则配置，按此全区应配委员"
        f"{s['members_required']}人、社工{s['social_workers_required']}人。目前，全区共有社区工作者{w['total']}名，"
        f"其中委员{w['members']}人，社工{w['social_workers']}人（{w['both']}人兼任），{age}"
        f"大专以上学历{w['college_or_above']}人，占{ratio(w['college_or_above'], w['total'])}。"
    )


def _basic_charts(part: Part, by_street: list[dict], c: dict) -> None:
    names = [r["name"] for r in by_street]
    part.charts.append(
        (
            "图1 各街道社区居委会类型",
            charts.bar_chart(
                names,
                [
                    Series("纯居型", [r["residential"] for r in by_street]),
                    Series("单位型", [r["unit"] for r in by_street]),
                    Series("混合型", [r["mixed"] for r in by_street]),
                ],
                stacked=True,
            ),
        )
    )
    part.charts.append(
        (
            "图2 各街道常住人口与流动人口",
            charts.bar_chart(
                names,
                [
                    Series("常住人口", [r["population"] for r in by_street]),
                    Series("流动人口", [r["floating"] for r in by_street]),
                ],
            ),
        )
    )
    part.charts.append(
        (
            "图3 服务中心",
            charts.bar_chart(
                ["街道中心", "社区中心", "1000㎡以上", "500㎡以上", "精品", "示范"],
                [
                    Series(
                        "",
                        [
                            c["street"],
                            c["committee"],
                            c["over_1000m2"],
                            c["over_500m2"],
                            c["boutique"],
                            c["demonstration"],
                        ],
                    )
                ],
                height=200,
            ),
        )
    )


def administrative_load(f: dict) -> Part:
    a = f["admin_load"]
    items = a["items"]
    year = f["year"]
    part = Part("（一）社区承担大量行政职能，工作任务繁重")
    pending = f"，另有{items['pending']}项申请待审批" if items.get("pending") else ""
    reasons = f"按任务计，拒绝原因主要为{listing(a['refusal_reasons'], '件')}" if a["refusal_reasons"] else ""
    departments = (
        f"；被拒绝较多的部门有{listing(a['refusing_departments'], '件')}" if a["refusing_departments"] else ""
    )
    refusals = f"{reasons}{departments}。" if reasons else ""
    part.paragraphs.append(
        f"社区公共服务事项准入清单现有事项{items['total']}项，其中依法履行职责事项{items['duty']}项、"
        f"依法协助政府工作事项{items['assist']}项、不应由社区承担的事项{items['excluded']}项{pending}。"
        f"{year}年，各职能部门向社区下派工作任务{a['received']:,}件次，涉及{a['affairs']}类事务；"
        f"其中按准入清单准入{a['admitted']:,}件次，因不在清单内或经费未随事转而拒绝{a['refused']:,}件次，"
        f"占{ratio(a['refused'], a['received'])}；街道办事处代社区拒绝{a['refused_by_street']:,}件次；"
        f"逾期未完成{a['overdue']:,}件次。随任务拨付经费{yuan(a['funding'])}。{refusals}"
    )
    lg = f["ledgers"]
    part.paragraphs.append(
        f"同时，社区需要建立多种台账，按照各个部门的布置，社区需建立的台账有{lg['categories']}类{lg['books']}本。"
        f"其中{lg['derived_books']}本（如低保、残疾人、已婚育龄妇女、流动人口台账）已由户籍台账自动生成，不再重复填报；"
        f"其余{lg['manual_books']}本仍需社区手工填报。{year}年各社区手工录入台账{lg['entries_typed']:,}条，"
        f"平均每个社区{lg['entries_per_committee']}条，平均每个社区在用台账{lg['books_kept_average']}本；"
        f"户籍台账自动生成{lg['registry_rows']:,}行，占台账行数的{pct(lg['registry_share'])}。"
    )
    c = f["certificates"]
    tiers = {t["tier"]: t for t in c["by_tier"]}
    referred = f"拒绝出具的主要告知至{listing(c['referred_to'])}。" if c["referred_to"] else ""
    part.paragraphs.append(
        f"此外，社区需要出具各类证明信、盖章的名目有{c['types']}种。按照工作职能，应由社区出具的有"
        f"{tiers['A']['types']}种；居民提供有关依据可以出具的有{tiers['B']['types']}种；社区无法确认真实性、"
        f"不能出具证明信及盖章的有{tiers['C']['types']}种。{year}年，全区社区出具证明{c['issued']:,}份"
        f"（直接出具{tiers['A']['issued']:,}份，凭证明材料出具{tiers['B']['issued']:,}份），"
        f"拒绝出具并告知办理部门{c['refused']:,}次"
        + (f"，占申请的{pct(c['refused_share'])}。{referred}" if c["issued"] + c["refused"] else "。")
    )
    part.charts.append(
        (
            f"图4 {year}年下派任务准入与拒绝",
            charts.pie_chart([("准入", a["admitted"]), ("拒绝", a["refused"])], width=340, height=150),
        )
    )
    part.charts.append(
        (
            f"图5 证明类别与{year}年出具、拒绝情况",
            charts.bar_chart(
                [f"{t['tier']}类" for t in c["by_tier"]],
                [
                    Series("类别数", [t["types"] for t in c["by_tier"]]),
                    Series("出具", [t["issued"] for t in c["by_tier"]]),
                    Series("拒绝", [t["refused"] for t in c["by_tier"]]),
                ],
                height=200,
            ),
        )
    )
    part.tables.append(
        Table(
            f"表1 证明分类与{year}年出具情况",
            ["类别", "证明种类", "出具（份）", "其中作废", "拒绝（次）"],
            [[t["label"], t["types"], t["issued"], t["voided"], t["refused"]] for t in c["by_tier"]],
        )
    )
    return part


def services(f: dict) -> Part | None:
    s = f["services"]
    part = Part("（二）社区自治功能弱化，行政化倾向明显")
    share = (
        f"行政事务折合工时{s['admin_hours']:,}小时，服务居民工时{s['service_hours']:,}小时，"
        f"服务工作占{pct(s['service_share'])}。"
        if s["service_share"] is not None
        else ""
    )
    part.paragraphs.append(
        f"繁忙的行政和社会管理事务使社区居委会陷于被动应付的境地，出现了“一多三少”的现象。{f['year']}年，"
        f"各社区入户走访{s['visits']:,}次，覆盖{s['households_reached']:,}户，占总户数的{pct(s['reach_share'])}，"
        f"每百户走访{s['visits_per_100_households']}次；组织社区群众活动{s['activities']:,}场、参与"
        f"{s['participants']:,}人次，每千名居民{s['activities_per_1000_residents']}场；志愿服务"
        f"{s['volunteer_hours']:,}小时，扶持社区社会组织{s['organisations_supported']}个。{share}"
        f"服务指数为{s['service_index']}（满分100）"
        + (
            f"，其中{s['committees_flagged']}个社区行政事务工时多于服务工时且服务指数低于{FLAG_BELOW_INDEX}，“一多三少”尤为突出。"
            if s["committees_flagged"]
            else "。"
        )
    )
    if s["service_share"] is not None:
        part.charts.append(
            (
                "图6 工作时间构成",
                charts.pie_chart(
                    [("行政事务", s["admin_hours"]), ("服务居民", s["service_hours"])], width=340, height=150
                ),
            )
        )
    return part


def funding(f: dict) -> Part:
    m = f["funding"]
    year = f["year"]
    part = Part("（三）社区工作经费不足，不能满足社区工作需要")
    if m["committees_funded"]:
        flags = "；".join(f"{label}{n}起" for label, n in m["flags"].items() if n)
        flags = f"经费拨付与使用中发现：{flags}。" if flags else ""
        part.paragraphs.append(
            f"{year}年全区核拨社区工作经费{yuan(m['total'])}，每户{m['per_household']}元，平均每个社区"
            f"{yuan(m['per_committee'])}。以办公用房300平方米、办公设施较为完备的社区为例，每年的费用约需"
            f"{yuan(m['typical'])}；按此测算，{m['committees_short']}个社区的工作经费低于典型年支出，"
            f"缺口合计{yuan(m['shortfall_total'])}。随任务转入社区的经费{yuan(m['task_money'])}。{flags}"
            + (f"经费测算的{m['source_text']}。" if m.get("source_text") else "")
        )
    elif m["typical"]:
        part.paragraphs.append(
            f"{year}年尚未核拨社区工作经费。以办公用房300平方米的社区为例，每年的费用约需{yuan(m['typical'])}。"
        )
    else:
        part.paragraphs.append(f"{year}年尚无采用的经费政策，也未核拨社区工作经费。")
    part.charts.append(
        (
            f"图7 {year}年每个社区平均经费与典型年支出（元）",
            charts.bar_chart(
                ["平均每社区经费", "典型年支出"], [Series("", [m["per_committee"], m["typical"]])], height=180
            ),
        )
    )
    return part


def staff(f: dict) -> Part:
    s = f["staff"]
    w, g = s["workers"], s["staffing"]
    year = f["year"]
    part = Part("（四）社区干部待遇偏低、管理机制不健全、缺乏激励措施")
    pay = s["pay"]
    pay_text = (
        f"{pay['year']}年社区工作人员工资标准为每人每月{pay['base_monthly']}元（如含五险为"
        f"{pay['insured_monthly']}元），全省最低工资标准为{pay['minimum_wage']}元"
        + (
            f"，基本工资低于最低工资标准{pay['minimum_wage'] - pay['base_monthly']}元，须补足。"
            if pay["base_monthly"] < pay["minimum_wage"]
            else "。"
        )
        if pay
        else ""
    )
    if pay and pay["year"] != year:  # the year has no adopted policy yet: the last adopted one applies
        pay_text = f"{year}年度薪酬政策尚未采用，按{pay['year']}年度政策计算：" + pay_text
    reasons = f"主要原因为{listing(s['resignation_reasons'], '人')}。" if s["resignation_reasons"] else ""
    trend = "、".join(f"{t['year']}年{t['resigned']}人" for t in s["turnover"])
    open_secondments = sum(
        n for state, n in s["secondments"].items() if state not in ("active", "ended", "rejected")
    )
    part.paragraphs.append(
        f"{pay_text}近几年社区工作人员辞职人数为：{trend}（{year}年另有退休{s['retired']}人）。"
        f"{reasons}此外，全区社工共{w['social_workers']}人，借调到街道办事处或区直有关部门工作的达"
        f"{w['seconded']}人，占{pct(s['seconded_share'])}，另有{open_secondments}件借调申请正在办理，"
        f"增加了社区人员的工作压力。"
    )
    part.paragraphs.append(
        f"按配置标准，全区应配委员{g['members_required']}人，实际在岗{g['members_present']}人；"
        f"应配社工{g['social_workers_required']}人，实际在岗{g['social_workers_present']}人（借调人员计为缺岗）。"
        f"逐个社区核对，{g['committees_short']}个社区人员配备不足，共缺委员{g['members_gap']}人、"
        f"社工{g['social_workers_gap']}人。"
    )
    e = s["evaluation"]
    if e:
        part.paragraphs.append(
            f"{year}年居民代表对{e['evaluated']}名社工进行德、能、勤、绩、廉测评，{e['below_threshold']}人低于"
            f"{e['threshold']}分问责线，尚有{e['accountability_open']}件问责未办结。"
        )
    part.charts.append(
        (
            "图8 人员配备：应配与在岗",
            charts.bar_chart(
                ["委员", "社工"],
                [
                    Series("应配", [g["members_required"], g["social_workers_required"]]),
                    Series("在岗", [g["members_present"], g["social_workers_present"]]),
                ],
                height=180,
            ),
        )
    )
    part.charts.append(
        (
            "图9 近年辞职与退休人数",
            charts.bar_chart(
                [f"{t['year']}年" for t in s["turnover"]],
                [
                    Series("辞职", [t["resigned"] for t in s["turnover"]]),
                    Series("退休", [t["retired"] for t in s["turnover"]]),
                ],
                height=180,
            ),
        )
    )
    return part


def office(f: dict) -> Part:
    o = f["office"]
    part = Part("（五）社区用房档次参差不齐，发展不平衡")
    total = o["compliant"] + o["short"]
    others = "；".join(
        f"若按{a['norm']}，达标{a['compliant']}个、未达标{a['short']}个" for a in o["alternatives"]
    )
    others = f"{others}。" if others else ""
    worst = "、".join(
        f"{w['committee']}（{w['actual']}平方米，应有{w['required']}平方米）" for w in o["worst"][:3]
    )
    worst = f"差距最大的有{worst}。" if worst else ""
    if o["norm"]:
        part.paragraphs.append(
            f"按照本区采用的标准（{o['norm']}），全区{total}个社区中办公用房达标的{o['compliant']}个，"
            f"未达标的{o['short']}个，占{ratio(o['short'], total)}，面积缺口合计{o['shortfall_m2']:,}平方米。"
            f"{others}{worst}"
        )
    else:
        part.paragraphs.append("本区尚未选定社区办公用房标准，无法核对达标情况。")
    part.charts.append(
        (
            "图10 办公用房达标情况",
            charts.pie_chart([("达标", o["compliant"]), ("未达标", o["short"])], width=340, height=150),
        )
    )
    return part


STREET_HEADERS = [
    "街道",
    "社区数",
    "纯居型",
    "单位型",
    "混合型",
    "户数",
    "常住人口",
    "流动人口",
    "用房未达标",
    "应配委员",
    "在岗委员",
    "应配社工",
    "在岗社工",
    "借调",
    "下派任务",
    "准入",
    "拒绝",
    "出具证明",
    "拒绝出具",
    "服务指数",
]
STREET_KEYS = [
    "name",
    "committees",
    "residential",
    "unit",
    "mixed",
    "households",
    "population",
    "floating",
    "office_short",
    "members_required",
    "members_present",
    "social_workers_required",
    "social_workers_present",
    "seconded",
    "tasks_received",
    "tasks_admitted",
    "tasks_refused",
    "certificates_issued",
    "certificates_refused",
    "service_index",
]


def street_table(f: dict) -> Table:
    rows = [[r[k] for k in STREET_KEYS] for r in f["by_street"]]
    # The service index is a score, not a count: its total is the district's own.
    totals = ["合计"] + [sum(r[i] for r in rows) for i in range(1, len(STREET_KEYS) - 1)]
    totals.append(f["services"]["service_index"])
    return Table(f"附表 各街道{f['year']}年主要指标", STREET_HEADERS, [*rows, totals])


def parts(f: dict) -> list[Part]:
    problems = [administrative_load(f), services(f), funding(f), staff(f), office(f)]
    return [basic_situation(f), *[p for p in problems if p is not None]]
