"""The two office-space norms every district holds: the survey report's (the district's choice at first)
and the current national planning figure. Policy reference data, so a migration rather than the demo seed."""

from datetime import date
from decimal import Decimal

from django.db import migrations

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


def forward(apps, schema_editor):
    OfficeAreaNorm = apps.get_model("org", "OfficeAreaNorm")
    for norm in NORMS:
        OfficeAreaNorm.objects.update_or_create(code=norm["code"], defaults=norm)


def backward(apps, schema_editor):
    apps.get_model("org", "OfficeAreaNorm").objects.filter(code__in=[n["code"] for n in NORMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
