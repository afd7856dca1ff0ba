"""Reference data of the certificates app (core/reference_data.py): the whitelist as the report has it (2 issued
directly, 6 with evidence, 15 refused and referred) and, as a second dated source, the national list of
certificates committees must not issue (民发〔2020〕20号, issued by 民政部、国家发展改革委、公安部、司法部、
人力资源社会保障部、国家卫生健康委). Conflicts between the two are recorded, not resolved: the bureau adopts the
national rule type by type. Migration 0002 loads the same data on a fresh database."""

from datetime import date

from community_admin.certificates.models import CertificateType, NationalProhibition, PolicySource

REPORT = {
    "code": "district-survey-report",
    "title": "《*区社区工作调研报告》：社区出具证明信及盖章事项",
    "document_number": "",
    "issued_by": "*区民政局",
    "effective_from": date(2012, 1, 1),
    "kind": "district",
}
NATIONAL = {
    "code": "minfa-2020-20",
    "title": "民政部等六部门《关于改进和规范基层群众性自治组织出具证明工作的指导意见》（第一批不应由村（居）委会出具的证明事项）",
    "document_number": "民发〔2020〕20号",
    "issued_by": "民政部、国家发展改革委、公安部、司法部、人力资源社会保障部、国家卫生健康委",
    "effective_from": date(2020, 4, 28),
    "kind": "national",
}

RESIDENCE = (
    "兹证明{name}，{sex}，{birth_date}出生，公民身份号码：{id_number}，"
    "现居住于{address}，系本社区居民。\n特此证明。"
)
CONDUCT = (
    "兹证明{name}，{sex}，{birth_date}出生，公民身份号码：{id_number}，居住于{address}。"
    "经本社区了解，该居民在本社区居住期间未发现修炼、传播xx功等邪教活动。\n"
    "本证明用于：{purpose}。\n特此证明。"
)
WITH_EVIDENCE = (
    "兹证明{name}，{sex}，{birth_date}出生，公民身份号码：{id_number}，居住于{address}。"
    "{body}\n本证明依据当事人提供的证明材料出具，用于：{purpose}。\n特此证明。"
)


def issued(text: str) -> str:
    return WITH_EVIDENCE.replace("{body}", text)


# (code, name, tier, evidence, template, shows_full_id, refer_to, domain, named_in_report, conflicts)
TYPES = [
    ("residence", "居住证明", "A", [], RESIDENCE, True, "", "", True, []),
    ("conduct", "不练xx功证明信", "A", [], CONDUCT, False, "", "", True, []),
    (
        "kinship",
        "亲属关系证明",
        "B",
        ["户口簿或出生医学证明", "双方居民身份证"],
        issued("经核对当事人提供的户口簿等材料，其与所述亲属的关系属实。"),
        True,
        "",
        "",
        True,
        ["亲属关系证明"],
    ),
    (
        "political-review",
        "无工作单位人员政审证明",
        "B",
        ["居民身份证", "户口簿", "政审单位出具的政审函"],
        issued("该居民目前无工作单位，在本社区居住期间遵纪守法，未发现违法违纪行为。"),
        True,
        "",
        "",
        True,
        ["无犯罪记录证明", "居民就业状况证明"],
    ),
    (
        "graduate",
        "毕业生基本信息证明",
        "B",
        ["毕业证书或学校出具的毕业证明", "居民身份证"],
        issued("经核对其毕业证书，该居民为应届（往届）毕业生，以上基本信息与所提供材料一致。"),
        True,
        "",
        "",
        True,
        [],
    ),
    (
        "taxi-inspection",
        "出租车年检证明",
        "B",
        ["机动车行驶证", "道路运输证（出租汽车）"],
        issued("经核对其机动车行驶证与道路运输证，该居民为本社区出租汽车经营者，现办理年检。"),
        False,
        "",
        "",
        True,
        [],
    ),
    (
        "marriage-lost",
        "结婚证遗失时夫妻关系证明",
        "B",
        ["婚姻登记机关出具的婚姻登记档案查询证明", "双方居民身份证", "户口簿"],
        issued("经核对婚姻登记档案查询证明，该居民与其配偶系夫妻关系，结婚证已遗失。"),
        True,
        "",
        "",
        True,
        ["婚姻状况证明"],
    ),
    (
        "hardship",
        "家庭困难证明",
        "B",
        ["家庭收入情况说明（本人签字）", "户口簿", "收入或支出凭证（病历、失业证明等）"],
        issued("经入户核实并核对所提供材料，该居民家庭生活确有困难。"),
        False,
        "",
        "",
        True,
        ["居民财产证明"],
    ),
    (
        "shopfront",
        "开墙破店办营业执照证明",
        "C",
        [],
        "",
        False,
        "区住房和城乡建设局（房屋结构变更）、区市场监督管理局（营业执照）",
        "housing",
        True,
        ["市场主体住所证明"],
    ),
    (
        "only-home",
        "唯一住房证明",
        "C",
        [],
        "",
        False,
        "区不动产登记中心（住房情况查询）",
        "housing",
        True,
        ["居民财产证明"],
    ),
    (
        "sale-fees",
        "卖房各项费用缴清证明",
        "C",
        [],
        "",
        False,
        "区房产交易中心及供水、供电、供气、物业服务单位",
        "housing",
        True,
        [],
    ),
    (
        "hospital",
        "住院证明",
        "C",
        [],
        "",
        False,
        "就诊医院（病案管理部门）",
        "health",
        True,
        ["疾病状况证明"],
    ),
    (
        "id-card-lost",
        "身份证丢失证明",
        "C",
        [],
        "",
        False,
        "户籍所在地派出所",
        "police",
        True,
        ["证件遗失证明", "居民身份信息证明"],
    ),
    ("deposit-lost", "存单丢失证明", "C", [], "", False, "开户银行（存单挂失）", "bank", True, []),
    ("receipt-lost", "其他票据丢失证明", "C", [], "", False, "出票银行或开票单位", "bank", True, []),
    (
        "heirs",
        "法定继承人证明",
        "C",
        [],
        "",
        False,
        "公证机构（继承权公证）",
        "notary",
        True,
        ["遗产继承权证明", "亲属关系证明"],
    ),
    (
        "loan-credit",
        "贷款资质诚信证明",
        "C",
        [],
        "",
        False,
        "贷款银行（个人征信：中国人民银行征信中心）",
        "bank",
        True,
        [],
    ),
    (
        "vehicle-damage",
        "保险公司投保车辆损坏程度证明",
        "C",
        [],
        "",
        False,
        "承保保险公司（车辆定损）",
        "insurance",
        True,
        [],
    ),
    (
        "death",
        "死亡证明",
        "C",
        [],
        "",
        False,
        "医疗机构（《居民死亡医学证明（推断）书》）；非正常死亡由公安机关出具",
        "health",
        True,
        ["死亡证明"],
    ),
    # The report counts 15 refused types but names only 11; these four, from the same domains, complete it.
    (
        "property-title",
        "房屋产权证明",
        "C",
        [],
        "",
        False,
        "区不动产登记中心",
        "housing",
        False,
        ["居民财产证明"],
    ),
    (
        "household-register",
        "户籍证明",
        "C",
        [],
        "",
        False,
        "户籍所在地派出所",
        "police",
        False,
        ["居民身份信息证明"],
    ),
    (
        "birth",
        "出生证明",
        "C",
        [],
        "",
        False,
        "助产医疗机构（《出生医学证明》）",
        "health",
        False,
        ["出生证明"],
    ),
    (
        "insurance-claim",
        "保险理赔事故证明",
        "C",
        [],
        "",
        False,
        "承保保险公司；交通事故由公安交通管理部门出具",
        "insurance",
        False,
        [],
    ),
]

# 民发〔2020〕20号, first batch: (name, where it is handled instead)
PROHIBITIONS = [
    ("亲属关系证明", "公安机关（户口簿、户籍档案）或公证机构"),
    ("居民身份信息证明", "公安机关（居民身份证、户籍档案）"),
    ("户口登记项目内容变更申请证明", "公安机关（户籍档案）"),
    ("居民养犬证明", "犬只管理部门（养犬登记）"),
    ("无犯罪记录证明", "公安机关（无犯罪记录证明）"),
    ("社区戒毒社区康复人员情况证明", "社区戒毒社区康复工作领导小组办公室"),
    ("人员失踪证明", "公安机关（报警回执）；宣告失踪由人民法院判决"),
    ("婚姻状况证明", "婚姻登记机关（婚姻登记档案查询）"),
    ("出生证明", "助产医疗机构（《出生医学证明》）"),
    ("健在证明", "养老保险经办机构（资格认证）"),
    ("死亡证明", "医疗机构或公安机关（死亡医学证明）"),
    ("疾病状况证明", "医疗机构（病历、诊断证明）"),
    ("残疾状况证明", "残疾人联合会（残疾人证）"),
    ("婚育状况证明", "卫生健康部门（生育登记）"),
    ("居民就业状况证明", "人力资源社会保障部门（就业登记）"),
    ("居民个人档案证明", "档案保管单位"),
    ("居民财产证明", "不动产登记、银行等财产登记机构"),
    ("遗产继承权证明", "公证机构或人民法院"),
    ("市场主体住所证明", "市场监督管理部门（住所申报承诺制）"),
    ("证件遗失证明", "证件签发机关（挂失补办）"),
]

SOURCE_FIELDS = ("title", "document_number", "issued_by", "effective_from", "kind")


def install(say) -> None:
    """Sources and the national list follow their published text; a certificate type is created when missing
    and otherwise left as the bureau edited it (tier, template, evidence)."""
    sources = {}
    for spec in (REPORT, NATIONAL):
        sources[spec["code"]], _ = PolicySource.objects.update_or_create(
            code=spec["code"], defaults={f: spec[f] for f in SOURCE_FIELDS}
        )
    rules = {}
    for position, (name, refer_to) in enumerate(PROHIBITIONS, start=1):
        rules[name], _ = NationalProhibition.objects.update_or_create(
            source=sources[NATIONAL["code"]], name=name, defaults={"position": position, "refer_to": refer_to}
        )
    existing = set(CertificateType.objects.values_list("code", flat=True))
    created = 0
    report = sources[REPORT["code"]]
    for position, row in enumerate(TYPES, start=1):
        code, name, tier, evidence, template, full_id, refer_to, domain, named, conflicts = row
        if code in existing:
            continue
        ct = CertificateType.objects.create(
            code=code,
            name=name,
            tier=tier,
            position=position,
            source=report,
            effective_from=report.effective_from,
            named_in_report=named,
            refer_to=refer_to,
            referral_domain=domain,
            required_evidence=evidence,
            template_text=template,
            shows_full_id=full_id,
        )
        ct.conflicts.set([rules[c] for c in conflicts])
        created += 1
    say(
        f"[certificates] 证明事项 {len(TYPES)} 种（新建 {created} 种），"
        f"民发〔2020〕20号清单 {len(PROHIBITIONS)} 项。"
    )
