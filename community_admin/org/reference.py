"""Reference data of the organisation layer (core/reference_data.py): the two office-space norms every district holds
(the survey report's, the district's choice at first, and the current national planning figure) and the
district-level departments that own the admission list's items and the ledger books. Migration 0002 loads the
same norms on a fresh database."""

from datetime import date
from decimal import Decimal

from community_admin.org.models import Department, OfficeAreaNorm

NORMS = [
    {
        "code": "report-20-per-100",
        "name": "调研报告标准：每百户 20 m²，不足 300 m² 按 300 m² 提供",
        "source_document": "《*区社区工作调研报告》（引上级文件规定）",
        "effective_from": date(2012, 1, 1),
        "m2_per_100_households": Decimal("20"),
        "minimum_m2": Decimal("300"),
        "district_choice": True,
    },
    {
        "code": "national-2021-56",
        "name": "国家规划标准：每百户不低于 30 m²",
        "source_document": "国办发〔2021〕56号《“十四五”城乡社区服务体系建设规划》",
        "effective_from": date(2021, 12, 27),
        "m2_per_100_households": Decimal("30"),
        "minimum_m2": Decimal("0"),
        "district_choice": False,
    },
]

# The district's own bureaus, by the codes the admission list and the ledger catalogue name as owners. A district
# renames them on the admin page; the code stays. Police stations are the district's own and not listed here.
DEPARTMENTS = [
    ("MZ", "区民政局", "district"),
    ("RS", "区人力资源和社会保障局", "district"),
    ("YB", "区医疗保障局", "district"),
    ("WJ", "区卫生健康局", "district"),
    ("JY", "区教育局", "district"),
    ("ZJ", "区住房和城乡建设局", "district"),
    ("CG", "区城市管理局", "district"),
    ("ZF", "区委政法委（综治中心）", "district"),
    ("WL", "区文化和旅游局", "district"),
    ("KX", "区科学技术协会", "district"),
    ("CL", "区残疾人联合会", "district"),
    ("TJ", "区统计局", "district"),
    ("WM", "区委宣传部（文明办）", "district"),
    ("ZZ", "区委组织部", "district"),
    ("SJ", "区市场监督管理局", "district"),
]


def install(say) -> None:
    for norm in NORMS:  # a published norm's figures follow its source; the district's choice stays its own
        fields = {k: v for k, v in norm.items() if k not in ("code", "district_choice")}
        OfficeAreaNorm.objects.update_or_create(code=norm["code"], defaults=fields, create_defaults=norm)
    existing = set(Department.objects.values_list("code", flat=True))
    missing = [Department(code=c, name=n, kind=k) for c, n, k in DEPARTMENTS if c not in existing]
    Department.objects.bulk_create(missing)
    say(f"[org] 办公用房标准 {len(NORMS)} 项；区级部门 {len(DEPARTMENTS)} 个（新建 {len(missing)} 个）。")
