"""Jobs recorded before the masking (issue 23): a finished job's parameters and every job's error keep only
the masked ID numbers (a failed job keeps its parameters whole: a retry runs them again)."""

from django.db import migrations

from community_admin.jobs import masking


def mask_stored(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    for job in Job.objects.only("pk", "state", "params", "error").iterator(chunk_size=500):
        params = masking.mask_value(job.params) if job.state == "done" else job.params
        error = masking.mask_text(job.error)
        if params != job.params or error != job.error:
            Job.objects.filter(pk=job.pk).update(params=params, error=error)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [migrations.RunPython(mask_stored, migrations.RunPython.noop)]
