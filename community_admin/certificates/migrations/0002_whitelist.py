"""The whitelist as the report has it (2 issued directly, 6 with evidence, 15 refused and referred) and,
as a second dated source, the national list of certificates committees must not issue (民发〔2020〕20号).
Conflicts between the two are recorded, not resolved: the bureau adopts the national rule type by type."""

from django.db import migrations

from community_admin.certificates.reference import NATIONAL, PROHIBITIONS, REPORT, TYPES

# The fields a source had when this migration was written; the data may grow, this load does not.
SOURCE_FIELDS = ("code", "title", "document_number", "issued_by", "effective_from", "kind")


def load(apps, schema_editor):
    PolicySource = apps.get_model("certificates", "PolicySource")
    NationalProhibition = apps.get_model("certificates", "NationalProhibition")
    CertificateType = apps.get_model("certificates", "CertificateType")
    report = PolicySource.objects.create(**{f: REPORT[f] for f in SOURCE_FIELDS})
    national = PolicySource.objects.create(**{f: NATIONAL[f] for f in SOURCE_FIELDS})
    rules = {
        name: NationalProhibition.objects.create(source=national, position=i, name=name, refer_to=refer_to)
        for i, (name, refer_to) in enumerate(PROHIBITIONS, start=1)
    }
    for position, row in enumerate(TYPES, start=1):
        code, name, tier, evidence, template, full_id, refer_to, domain, named, conflicts = row
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


def unload(apps, schema_editor):
    for model in ("CertificateType", "NationalProhibition", "PolicySource"):
        apps.get_model("certificates", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
