"""The district's ledger catalogue as the survey report lists it: 15 categories, 40+ books ("小区需建立的台帐有
15项40多本"). Installed by `services.catalogue_install`; afterwards the bureau edits the books."""

POLICE = "POLICE"  # the station serving the committee's street
REPORT = "区民政局《社区工作调研汇报》：社区需建立的台账有 15 项 40 多本"


def text(key, label, required=False, max_length=200):
    return {"key": key, "label": label, "type": "text", "required": required, "max_length": max_length}


def number(key, label, required=False):
    return {"key": key, "label": label, "type": "number", "required": required}


def day(key, label, required=True):
    return {"key": key, "label": label, "type": "date", "required": required}


def choice(key, label, choices, required=True):
    return {"key": key, "label": label, "type": "choice", "required": required, "choices": list(choices)}


def person(key="person", label="人员", required=True):
    return {"key": key, "label": label, "type": "person", "required": required}


def derived(code, name, key, owner):
    return {"code": code, "name": name, "owner": owner, "period": "none", "derived_key": key, "columns": []}


def manual(code, name, owner, period, columns):
    return {
        "code": code,
        "name": name,
        "owner": owner,
        "period": period,
        "derived_key": "",
        "columns": columns,
    }


# (category code, category name, books)
CATALOGUE = [
    (
        "DJ",
        "党建",
        [
            derived("party_members", "党员花名册", "party_members", "ZZ"),
            manual(
                "dj_meetings",
                "“三会一课”记录台账",
                "ZZ",
                "monthly",
                [
                    day("held_on", "日期"),
                    choice("kind", "类型", ["支部党员大会", "支部委员会", "党小组会", "党课"]),
                    text("topic", "主题", required=True),
                    number("attendees", "参加人数", required=True),
                    text("host", "主持人"),
                ],
            ),
            manual(
                "dj_dues",
                "党费收缴台账",
                "ZZ",
                "monthly",
                [
                    person(label="党员"),
                    number("amount", "金额（元）", required=True),
                    day("paid_on", "缴纳日期"),
                ],
            ),
            manual(
                "dj_service",
                "党员志愿服务活动台账",
                "ZZ",
                "quarterly",
                [
                    day("held_on", "日期"),
                    text("activity", "活动", required=True),
                    number("participants", "参加人数"),
                ],
            ),
        ],
    ),
    (
        "WM",
        "精神文明建设",
        [
            manual(
                "wm_activities",
                "文明创建活动台账",
                "WM",
                "quarterly",
                [
                    day("held_on", "日期"),
                    text("title", "活动名称", required=True),
                    choice("kind", "类别", ["文明家庭", "文明楼院", "移风易俗", "宣传教育", "其他"]),
                    number("participants", "参加人数"),
                ],
            ),
            manual(
                "wm_good_deeds",
                "好人好事登记台账",
                "WM",
                "yearly",
                [person(label="当事人"), text("deed", "事迹", required=True), day("happened_on", "日期")],
            ),
            manual(
                "wm_volunteers",
                "社区志愿者登记台账",
                "WM",
                "none",
                [person(label="志愿者"), text("skill", "服务特长"), day("joined_on", "加入日期")],
            ),
        ],
    ),
    (
        "MZ",
        "民政",
        [
            derived("minimum_allowance", "城乡居民最低生活保障对象台账", "minimum_allowance", "MZ"),
            derived("disabled_persons", "残疾人台账", "disabled_persons", "CL"),
            derived("elderly_60", "60 岁以上老年人台账", "elderly_60", "MZ"),
            derived("elderly_80", "80 岁以上高龄老人台账", "elderly_80", "MZ"),
            derived("veterans", "退役军人及优抚对象台账", "veterans", "MZ"),
            manual(
                "mz_relief",
                "临时救助台账",
                "MZ",
                "monthly",
                [
                    person(label="救助对象"),
                    text("reason", "救助原因", required=True),
                    number("amount", "救助金额（元）", required=True),
                    day("granted_on", "发放日期"),
                ],
            ),
            manual(
                "mz_elderly_subsidy",
                "老龄困难补助发放台账",
                "MZ",
                "quarterly",
                [
                    person(label="老人"),
                    number("amount", "补助金额（元）", required=True),
                    day("paid_on", "发放日期"),
                ],
            ),
            manual(
                "mz_affordable_housing",
                "经济适用房申报台账",
                "ZJ",
                "yearly",
                [
                    person(label="申请人"),
                    number("family_size", "家庭人口", required=True),
                    choice("status", "办理情况", ["受理", "初审通过", "已上报", "不予受理"]),
                    day("applied_on", "申请日期"),
                ],
            ),
            manual(
                "mz_disability_cards",
                "残疾证办理台账",
                "CL",
                "monthly",
                [
                    person(label="申请人"),
                    choice("kind", "事项", ["新办", "换证", "迁移", "注销"]),
                    day("handled_on", "受理日期"),
                ],
            ),
        ],
    ),
    (
        "SB",
        "社保",
        [
            manual(
                "sb_flexible_pension",
                "灵活就业人员养老保险代办台账",
                "RS",
                "monthly",
                [
                    person(label="参保人"),
                    number("base", "缴费基数（元）", required=True),
                    day("handled_on", "代办日期"),
                ],
            ),
            manual(
                "sb_subsidies",
                "社保补助审核发放台账",
                "RS",
                "quarterly",
                [
                    person(label="补助对象"),
                    text("item", "补助项目", required=True),
                    number("amount", "金额（元）", required=True),
                    day("paid_on", "发放日期"),
                ],
            ),
            manual(
                "sb_retirees",
                "退休人员社会化管理台账",
                "RS",
                "none",
                [person(label="退休人员"), day("retired_on", "退休日期"), text("employer", "原工作单位")],
            ),
        ],
    ),
    (
        "YB",
        "医保",
        [
            manual(
                "yb_resident_insurance",
                "城镇居民医疗保险收缴台账",
                "YB",
                "yearly",
                [
                    person(label="参保人"),
                    choice("group", "参保类别", ["成年居民", "学生儿童", "老年居民", "低保及重度残疾人员"]),
                    number("amount", "缴费金额（元）", required=True),
                    day("paid_on", "缴费日期"),
                ],
            ),
            manual(
                "yb_serious_illness",
                "大病医疗救助台账",
                "YB",
                "quarterly",
                [
                    person(label="救助对象"),
                    text("illness", "病种", required=True),
                    number("amount", "救助金额（元）"),
                ],
            ),
        ],
    ),
    (
        "ZY",
        "再就业",
        [
            derived("registered_unemployed", "登记失业人员台账", "registered_unemployed", "RS"),
            manual(
                "zy_unemployment_cards",
                "失业证办理及年审台账",
                "RS",
                "monthly",
                [
                    person(label="失业人员"),
                    choice("kind", "事项", ["新办", "年审", "注销"]),
                    day("handled_on", "办理日期"),
                ],
            ),
            manual(
                "zy_placements",
                "就业援助与岗位推荐台账",
                "RS",
                "monthly",
                [
                    person(label="求职人员"),
                    text("employer", "用人单位", required=True),
                    choice("kind", "就业形式", ["公益性岗位", "企业就业", "灵活就业", "自主创业"]),
                    day("placed_on", "上岗日期"),
                ],
            ),
            manual(
                "zy_training",
                "职业技能培训台账",
                "RS",
                "quarterly",
                [
                    person(label="学员"),
                    text("course", "培训项目", required=True),
                    day("trained_on", "培训日期"),
                ],
            ),
        ],
    ),
    (
        "JS",
        "计生",
        [
            derived("childbearing_women", "已婚育龄妇女台账", "childbearing_women", "WJ"),
            manual(
                "js_birth_registration",
                "生育服务登记台账",
                "WJ",
                "monthly",
                [
                    person(label="登记人"),
                    number("child_order", "孩次", required=True),
                    day("registered_on", "登记日期"),
                ],
            ),
            manual(
                "js_follow_up",
                "避孕节育随访服务台账",
                "WJ",
                "quarterly",
                [
                    person(label="服务对象"),
                    choice(
                        "method", "措施", ["宫内节育器", "皮下埋植", "口服避孕药", "避孕套", "绝育", "其他"]
                    ),
                    day("visited_on", "随访日期"),
                ],
            ),
            manual(
                "js_only_child_reward",
                "独生子女父母奖励发放台账",
                "WJ",
                "yearly",
                [
                    person(label="领取人"),
                    number("amount", "金额（元）", required=True),
                    day("paid_on", "发放日期"),
                ],
            ),
        ],
    ),
    (
        "JY",
        "教育",
        [
            manual(
                "jy_school_entry",
                "适龄儿童入学登记台账",
                "JY",
                "yearly",
                [
                    person(label="儿童"),
                    text("school", "入读学校", required=True),
                    choice("grade", "学段", ["小学", "初中"]),
                ],
            ),
            manual(
                "jy_youth_activities",
                "青少年校外教育活动台账",
                "JY",
                "quarterly",
                [
                    day("held_on", "日期"),
                    text("activity", "活动", required=True),
                    number("participants", "参加人数"),
                ],
            ),
        ],
    ),
    (
        "ZZ",
        "综治",
        [
            manual(
                "zz_disputes",
                "矛盾纠纷排查调解台账",
                "ZF",
                "monthly",
                [
                    day("found_on", "日期"),
                    text("parties", "当事人", required=True),
                    choice("kind", "纠纷类型", ["邻里纠纷", "家庭纠纷", "物业纠纷", "其他"]),
                    choice("result", "调处结果", ["调解成功", "调解中", "移交有关部门"]),
                ],
            ),
            manual(
                "zz_patrols",
                "治安巡逻台账",
                "ZF",
                "monthly",
                [
                    day("patrolled_on", "日期"),
                    text("area", "巡逻区域", required=True),
                    number("patrollers", "巡逻人数", required=True),
                    text("findings", "发现问题"),
                ],
            ),
            manual(
                "zz_special_groups",
                "社区矫正与安置帮教人员台账",
                "ZF",
                "none",
                [
                    person(label="人员"),
                    choice("kind", "类别", ["社区矫正", "安置帮教"]),
                    day("since", "起始日期"),
                ],
            ),
            manual(
                "zz_rented_housing",
                "出租房屋登记台账",
                POLICE,
                "none",
                [
                    text("address", "房屋地址", required=True),
                    text("landlord", "房主", required=True),
                    number("tenants", "承租人数", required=True),
                    day("registered_on", "登记日期"),
                ],
            ),
        ],
    ),
    (
        "CG",
        "城管",
        [
            manual(
                "cg_small_ads",
                "小广告清理台账",
                "CG",
                "monthly",
                [
                    day("cleaned_on", "日期"),
                    text("location", "地点", required=True),
                    number("count", "清理数量（处）"),
                ],
            ),
            manual(
                "cg_illegal_building",
                "违法建设巡查台账",
                "CG",
                "monthly",
                [
                    day("found_on", "发现日期"),
                    text("address", "地址", required=True),
                    text("description", "情况"),
                    choice("status", "处置情况", ["已上报", "已拆除", "整改中"]),
                ],
            ),
            manual(
                "cg_storefronts",
                "开墙建店治理台账",
                "CG",
                "quarterly",
                [
                    text("address", "地址", required=True),
                    text("operator", "经营者"),
                    choice("status", "治理情况", ["已劝阻", "已恢复", "已移交执法"]),
                    day("handled_on", "处理日期"),
                ],
            ),
        ],
    ),
    (
        "WS",
        "卫生",
        [
            manual(
                "ws_sanitation",
                "环境卫生整治台账",
                "WJ",
                "monthly",
                [
                    day("worked_on", "日期"),
                    text("area", "区域", required=True),
                    text("work", "整治内容", required=True),
                ],
            ),
            manual(
                "ws_sanitation_fees",
                "卫生费收缴台账",
                "CG",
                "yearly",
                [
                    text("household", "户（门牌）", required=True),
                    number("amount", "金额（元）", required=True),
                    day("paid_on", "缴费日期"),
                ],
            ),
            manual(
                "ws_chronic_follow_up",
                "慢性病患者随访台账",
                "WJ",
                "quarterly",
                [
                    person(label="患者"),
                    choice("disease", "病种", ["高血压", "糖尿病", "其他"]),
                    day("visited_on", "随访日期"),
                ],
            ),
            manual(
                "ws_smoking_survey",
                "控烟入户调查台账",
                "WJ",
                "yearly",
                [
                    text("household", "户（门牌）", required=True),
                    number("smokers", "吸烟人数", required=True),
                    day("surveyed_on", "调查日期"),
                ],
            ),
        ],
    ),
    (
        "WT",
        "文体",
        [
            manual(
                "wt_activities",
                "群众文体活动台账",
                "WL",
                "quarterly",
                [
                    day("held_on", "日期"),
                    text("title", "活动名称", required=True),
                    number("participants", "参加人数"),
                ],
            ),
            manual(
                "wt_teams",
                "群众文体团队台账",
                "WL",
                "none",
                [
                    text("team", "团队名称", required=True),
                    text("leader", "负责人"),
                    number("members", "人数"),
                ],
            ),
        ],
    ),
    (
        "KP",
        "科普",
        [
            manual(
                "kp_lectures",
                "科普讲座与宣传台账",
                "KX",
                "quarterly",
                [
                    day("held_on", "日期"),
                    text("topic", "主题", required=True),
                    number("audience", "受众人数"),
                ],
            ),
            manual(
                "kp_gallery",
                "科普宣传栏更新台账",
                "KX",
                "quarterly",
                [day("updated_on", "更新日期"), text("theme", "内容", required=True)],
            ),
        ],
    ),
    (
        "RK",
        "人口管理（流动人口）",
        [
            derived("floating_population", "流动人口台账", "floating_population", POLICE),
            manual(
                "rk_residence_permits",
                "居住证办理登记台账",
                POLICE,
                "monthly",
                [person(label="申请人"), text("permit", "居住证号码"), day("handled_on", "办理日期")],
            ),
            manual(
                "rk_in_out",
                "流入流出人口登记台账",
                POLICE,
                "monthly",
                [
                    person(label="人员"),
                    choice("direction", "流向", ["流入", "流出"]),
                    text("place", "来源地或去向", required=True),
                    day("moved_on", "日期"),
                ],
            ),
        ],
    ),
    (
        "AQ",
        "安全生产",
        [
            manual(
                "aq_business_checks",
                "辖区经营商户安全生产检查台账",
                "SJ",
                "monthly",
                [
                    day("checked_on", "检查日期"),
                    text("business", "商户名称", required=True),
                    text("hazards", "发现隐患"),
                    choice("rectified", "是否整改", ["是", "否", "无隐患"]),
                ],
            ),
            manual(
                "aq_fire_hazards",
                "消防安全隐患排查台账",
                POLICE,
                "quarterly",
                [
                    day("checked_on", "排查日期"),
                    text("location", "部位", required=True),
                    text("hazard", "隐患", required=True),
                    choice("status", "处置", ["已整改", "整改中", "已上报"]),
                ],
            ),
        ],
    ),
]
