"""The two office-space norms every district holds: the survey report's (the district's choice at first)
and the current national planning figure. Policy reference data, so a migration rather than the demo seed."""

from django.db import migrations

from community_admin.org.reference import NORMS  # one copy of the data: org/reference.py

# The fields the norm had when this migration was written; the data may grow, this load does not.
FIELDS = (
    "code",
    "name",
    "source_document",
    "effective_from",
    "m2_per_100_households",
    "minimum_m2",
    "district_choice",
)


def forward(apps, schema_editor):
    OfficeAreaNorm = apps.get_model("org", "OfficeAreaNorm")
    for norm in NORMS:
        OfficeAreaNorm.objects.update_or_create(code=norm["code"], defaults={f: norm[f] for f in FIELDS})


def backward(apps, schema_editor):
    apps.get_model("org", "OfficeAreaNorm").objects.filter(code__in=[n["code"] for n in NORMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
