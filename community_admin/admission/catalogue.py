"""The district's admission list as seeded from the survey report: the 13 affairs the report says
committees should handle, the difficult ones it says belong to departments, the month of work it
describes, the duties of the Organic Law it quotes, and further affairs of its 13 areas (marked as not
named in the report) up to the "80 多项" it counts."""

from datetime import date
from decimal import Decimal

from community_admin.admission.models import Area, ServiceItem

DUTY = ServiceItem.Category.DUTY
ASSIST = ServiceItem.Category.ASSIST
EXCLUDED = ServiceItem.Category.EXCLUDED

SOURCE_DOCUMENT = "区社区公共服务事项准入清单（依据《社区工作调研汇报》整理，区民政局发布）"
EFFECTIVE_FROM = date(2024, 1, 1)

ORGANIC_LAW = "《中华人民共和国城市居民委员会组织法》第三条"
EXCLUDED_BASIS = "中共中央、国务院《关于加强和完善城乡社区治理的意见》（2017年）：依法厘清基层政府与社区组织权责边界；属主管部门法定职责"

# The statute under which a committee assists the government in each area.
ASSIST_BASIS = {
    Area.PARTY_BUILDING: "《中国共产党支部工作条例（试行）》",
    Area.CIVILISATION: f"{ORGANIC_LAW}（宣传教育、文明创建）",
    Area.CIVIL_AFFAIRS: "《社会救助暂行办法》；" + ORGANIC_LAW,
    Area.SOCIAL_SECURITY: "《中华人民共和国社会保险法》",
    Area.MEDICAL_INSURANCE: "《中华人民共和国社会保险法》；《医疗保障基金使用监督管理条例》",
    Area.REEMPLOYMENT: "《中华人民共和国就业促进法》",
    Area.FAMILY_PLANNING: "《中华人民共和国人口与计划生育法》；" + ORGANIC_LAW,
    Area.EDUCATION: "《中华人民共和国未成年人保护法》；" + ORGANIC_LAW,
    Area.PUBLIC_SECURITY: f"{ORGANIC_LAW}（协助维护社会治安）",
    Area.URBAN_MANAGEMENT: "《城市市容和环境卫生管理条例》",
    Area.HEALTH: "《中华人民共和国基本医疗卫生与健康促进法》；" + ORGANIC_LAW,
    Area.CULTURE_SPORTS: "《中华人民共和国公共文化服务保障法》；《全民健身条例》",
    Area.SCIENCE: "《中华人民共和国科学技术普及法》",
    Area.OTHER: "《全国人口普查条例》",
}

BASIS_OVERRIDES = {
    "MZ08": "《中华人民共和国残疾人保障法》",
    "MZ09": "《中华人民共和国残疾人保障法》",
    "MZ10": "《经济适用住房管理办法》",
    "ZZ01": "《中华人民共和国人民调解法》；" + ORGANIC_LAW,
    "ZZ03": "《中华人民共和国社区矫正法》",
}

# (code, name, area, category, owning department code, unit, yuan per unit, named in the report)
ITEMS: list[tuple[str, str, str, str, str, str, str, bool]] = [
    # 党建
    ("DJ01", "社区党组织建设与党员教育管理", Area.PARTY_BUILDING, DUTY, "ZZ", "次", "0", True),
    ("DJ02", "党员信息采集与统计", Area.PARTY_BUILDING, ASSIST, "ZZ", "人", "2", False),
    ("DJ03", "流动党员登记管理", Area.PARTY_BUILDING, ASSIST, "ZZ", "人", "5", False),
    ("DJ04", "党建台账建立与维护", Area.PARTY_BUILDING, ASSIST, "ZZ", "本", "100", True),
    ("DJ05", "党员志愿服务活动组织", Area.PARTY_BUILDING, ASSIST, "ZZ", "次", "200", False),
    ("DJ06", "“两新”组织党建情况摸排统计", Area.PARTY_BUILDING, EXCLUDED, "ZZ", "次", "0", False),
    # 精神文明建设
    ("WM01", "宣传宪法、法律、法规和国家政策", Area.CIVILISATION, DUTY, "WM", "次", "0", True),
    ("WM02", "开展文明创建活动", Area.CIVILISATION, DUTY, "WM", "次", "0", True),
    ("WM03", "城镇面貌提升入户宣传", Area.CIVILISATION, ASSIST, "WM", "户", "2", True),
    ("WM04", "文明家庭评选推荐", Area.CIVILISATION, ASSIST, "WM", "户", "5", False),
    ("WM05", "志愿者注册登记", Area.CIVILISATION, ASSIST, "WM", "人", "2", False),
    ("WM06", "各类考核、检查、达标升级迎检材料", Area.CIVILISATION, EXCLUDED, "WM", "次", "0", True),
    ("WM07", "部门要求的制度上墙与展板制作", Area.CIVILISATION, EXCLUDED, "WM", "块", "0", True),
    # 民政
    ("MZ01", "最低生活保障的办理与审核", Area.CIVIL_AFFAIRS, ASSIST, "MZ", "户", "30", True),
    ("MZ02", "老龄困难补助", Area.CIVIL_AFFAIRS, ASSIST, "MZ", "人次", "10", True),
    ("MZ03", "各类救济", Area.CIVIL_AFFAIRS, ASSIST, "MZ", "人次", "10", True),
    ("MZ04", "优抚对象走访与优待金发放协助", Area.CIVIL_AFFAIRS, ASSIST, "MZ", "人次", "10", True),
    ("MZ05", "高龄津贴申报", Area.CIVIL_AFFAIRS, ASSIST, "MZ", "人", "5", False),
    ("MZ06", "召集居民会议与居务公开", Area.CIVIL_AFFAIRS, DUTY, "MZ", "次", "0", False),
    ("MZ07", "办理本居住地区居民的公共事务和公益事业", Area.CIVIL_AFFAIRS, DUTY, "MZ", "次", "0", True),
    ("MZ08", "残疾证的办理", Area.CIVIL_AFFAIRS, ASSIST, "CL", "件", "20", True),
    ("MZ09", "残疾人台账", Area.CIVIL_AFFAIRS, ASSIST, "CL", "人", "3", True),
    ("MZ10", "经济适用住房的申报", Area.CIVIL_AFFAIRS, ASSIST, "ZJ", "户", "20", True),
    ("MZ11", "开展便民利民的社区服务活动", Area.CIVIL_AFFAIRS, DUTY, "MZ", "次", "0", False),
    ("MZ12", "临时救助对象入户核查", Area.CIVIL_AFFAIRS, ASSIST, "MZ", "户", "20", False),
    # 社保
    ("SB01", "社保补助的审核与发放", Area.SOCIAL_SECURITY, ASSIST, "RS", "人次", "10", True),
    ("SB02", "灵活就业人员养老保险的代办", Area.SOCIAL_SECURITY, ASSIST, "RS", "人", "10", True),
    ("SB03", "退休人员社会化管理服务", Area.SOCIAL_SECURITY, ASSIST, "RS", "人", "5", False),
    ("SB04", "城乡居民养老保险参保登记", Area.SOCIAL_SECURITY, ASSIST, "RS", "人", "5", False),
    ("SB05", "养老金领取资格认证协助", Area.SOCIAL_SECURITY, ASSIST, "RS", "人", "2", False),
    ("SB06", "社保缴费基数入户核定", Area.SOCIAL_SECURITY, EXCLUDED, "RS", "户", "0", False),
    # 医保
    ("YB01", "城镇居民医疗保险的收缴", Area.MEDICAL_INSURANCE, ASSIST, "YB", "人", "5", True),
    ("YB02", "医保参保信息登记与变更", Area.MEDICAL_INSURANCE, ASSIST, "YB", "人", "3", False),
    ("YB03", "大病医疗救助申报", Area.MEDICAL_INSURANCE, ASSIST, "YB", "人次", "15", False),
    ("YB04", "医保政策宣传", Area.MEDICAL_INSURANCE, ASSIST, "YB", "次", "200", False),
    ("YB05", "医保基金稽核入户调查", Area.MEDICAL_INSURANCE, EXCLUDED, "YB", "户", "0", False),
    # 再就业
    ("JY01", "失业证的办理及年审", Area.REEMPLOYMENT, ASSIST, "RS", "件", "20", True),
    ("JY02", "就业困难人员认定申报", Area.REEMPLOYMENT, ASSIST, "RS", "人", "15", False),
    ("JY03", "就业失业登记", Area.REEMPLOYMENT, ASSIST, "RS", "人", "5", False),
    ("JY04", "公益性岗位人员日常管理", Area.REEMPLOYMENT, ASSIST, "RS", "人", "10", False),
    ("JY05", "职业技能培训报名组织", Area.REEMPLOYMENT, ASSIST, "RS", "人次", "5", False),
    ("JY06", "劳动力资源入户调查统计", Area.REEMPLOYMENT, EXCLUDED, "RS", "户", "0", True),
    # 计生
    ("JS01", "计生证的办理", Area.FAMILY_PLANNING, ASSIST, "WJ", "件", "15", True),
    ("JS02", "人口系统的录入", Area.FAMILY_PLANNING, ASSIST, "WJ", "条", "1", True),
    ("JS03", "已婚育龄妇女台账", Area.FAMILY_PLANNING, ASSIST, "WJ", "人", "1", True),
    ("JS04", "流动人口计划生育服务", Area.FAMILY_PLANNING, ASSIST, "WJ", "人", "2", False),
    ("JS05", "计划生育奖励扶助对象申报", Area.FAMILY_PLANNING, ASSIST, "WJ", "人", "10", False),
    ("JS06", "出生人口入户核查", Area.FAMILY_PLANNING, EXCLUDED, "WJ", "户", "0", False),
    # 教育
    ("ED01", "青少年校外教育活动", Area.EDUCATION, ASSIST, "JY", "次", "300", True),
    ("ED02", "适龄儿童入学信息摸排", Area.EDUCATION, ASSIST, "JY", "人", "2", False),
    ("ED03", "社区教育（市民学校）办班", Area.EDUCATION, DUTY, "JY", "期", "0", False),
    ("ED04", "留守、困境儿童关爱", Area.EDUCATION, ASSIST, "JY", "人", "10", False),
    ("ED05", "家长学校活动", Area.EDUCATION, ASSIST, "JY", "次", "200", False),
    ("ED06", "学前教育资源入户调查", Area.EDUCATION, EXCLUDED, "JY", "户", "0", False),
    # 综治
    ("ZZ01", "调解民间纠纷", Area.PUBLIC_SECURITY, DUTY, "ZF", "件", "0", True),
    ("ZZ02", "协助维护社会治安", Area.PUBLIC_SECURITY, DUTY, "ZF", "次", "0", True),
    ("ZZ03", "社区矫正对象帮教协助", Area.PUBLIC_SECURITY, ASSIST, "ZF", "人", "20", False),
    ("ZZ04", "网格化信息采集", Area.PUBLIC_SECURITY, ASSIST, "ZF", "户", "1", False),
    ("ZZ05", "平安创建宣传", Area.PUBLIC_SECURITY, ASSIST, "ZF", "次", "200", False),
    ("ZZ06", "禁毒宣传", Area.PUBLIC_SECURITY, ASSIST, "ZF", "次", "200", False),
    ("ZZ07", "流入流出人口登记", Area.PUBLIC_SECURITY, EXCLUDED, "ZF", "人", "0", True),
    ("ZZ08", "流动人口台账（暂住证在派出所办理）", Area.PUBLIC_SECURITY, EXCLUDED, "ZF", "本", "0", True),
    ("ZZ09", "辖区经营商户安全生产检查", Area.PUBLIC_SECURITY, EXCLUDED, "SJ", "户", "0", True),
    ("ZZ10", "出租房屋信息登记核查", Area.PUBLIC_SECURITY, EXCLUDED, "ZF", "户", "0", False),
    # 城管
    ("CG01", "开墙建店治理", Area.URBAN_MANAGEMENT, EXCLUDED, "CG", "处", "0", True),
    ("CG02", "拆违拆迁等状况统计及问卷调查", Area.URBAN_MANAGEMENT, EXCLUDED, "CG", "户", "0", True),
    ("CG03", "常态化小广告清理", Area.URBAN_MANAGEMENT, ASSIST, "CG", "次", "100", True),
    ("CG04", "小区绿地认养入户调查", Area.URBAN_MANAGEMENT, ASSIST, "CG", "户", "2", True),
    ("CG05", "非物业小区转准物业小区问卷调查", Area.URBAN_MANAGEMENT, ASSIST, "ZJ", "户", "3", True),
    ("CG06", "垃圾分类宣传引导", Area.URBAN_MANAGEMENT, ASSIST, "CG", "户", "1", False),
    ("CG07", "违法建设巡查报告", Area.URBAN_MANAGEMENT, EXCLUDED, "CG", "次", "0", False),
    # 卫生
    ("WS01", "卫生费收缴", Area.HEALTH, ASSIST, "CG", "户", "2", True),
    ("WS02", "日常环境卫生治理", Area.HEALTH, ASSIST, "CG", "次", "200", True),
    ("WS03", "爱国卫生运动", Area.HEALTH, ASSIST, "WJ", "次", "300", True),
    ("WS04", "禁烟调查", Area.HEALTH, ASSIST, "WJ", "份", "3", True),
    ("WS05", "老年人健康体检组织", Area.HEALTH, ASSIST, "WJ", "人", "5", False),
    ("WS06", "病媒生物防制", Area.HEALTH, ASSIST, "WJ", "次", "200", False),
    ("WS07", "餐饮单位食品安全检查", Area.HEALTH, EXCLUDED, "SJ", "户", "0", False),
    # 文体
    ("WT01", "社区文化体育活动", Area.CULTURE_SPORTS, DUTY, "WL", "次", "0", False),
    ("WT02", "全民健身活动组织", Area.CULTURE_SPORTS, ASSIST, "WL", "次", "500", False),
    ("WT03", "文化惠民演出组织", Area.CULTURE_SPORTS, ASSIST, "WL", "场", "500", False),
    ("WT04", "社区图书室管理", Area.CULTURE_SPORTS, ASSIST, "WL", "月", "100", False),
    ("WT05", "健身器材巡查报修", Area.CULTURE_SPORTS, ASSIST, "WL", "处", "20", False),
    ("WT06", "文化市场巡查", Area.CULTURE_SPORTS, EXCLUDED, "WL", "次", "0", False),
    # 科普
    ("KP01", "科普宣传周活动", Area.SCIENCE, ASSIST, "KX", "次", "300", False),
    ("KP02", "科普宣传栏更新", Area.SCIENCE, ASSIST, "KX", "期", "100", False),
    ("KP03", "科普志愿者组织", Area.SCIENCE, ASSIST, "KX", "人", "5", False),
    ("KP04", "防灾减灾知识宣传", Area.SCIENCE, ASSIST, "KX", "次", "200", False),
    ("KP05", "公民科学素质入户调查", Area.SCIENCE, EXCLUDED, "KX", "户", "0", False),
    # 其他（统计、住建等）
    ("QT01", "经济普查", Area.OTHER, EXCLUDED, "TJ", "户", "0", True),
    ("QT02", "住房状况调查", Area.OTHER, EXCLUDED, "ZJ", "户", "0", True),
    ("QT03", "人口普查入户登记协助", Area.OTHER, ASSIST, "TJ", "户", "5", False),
    ("QT04", "代收各类费用", Area.OTHER, EXCLUDED, "ZJ", "户", "0", True),
    ("QT05", "替部门填表格、建档案", Area.OTHER, EXCLUDED, "TJ", "份", "0", True),
    ("QT06", "向政府反映居民的意见、要求和建议", Area.OTHER, DUTY, "MZ", "次", "0", False),
]


def legal_basis(code: str, area: str, category: str) -> str:
    if code in BASIS_OVERRIDES:
        return BASIS_OVERRIDES[code]
    if category == DUTY:
        return ORGANIC_LAW
    if category == EXCLUDED:
        return EXCLUDED_BASIS
    return ASSIST_BASIS[area]


def rate(value: str) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
