import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from community_admin.jobs import services as job_services
from community_admin.jobs.models import Job
from community_admin.residents.jobs import PERSON_EXPORT
from tests.factories import PersonFactory


@pytest.fixture
def people(world):
    return [
        PersonFactory(household__committee=c, name=f"{c.code}人")
        for c in (world.committee_a1, world.committee_b1)
    ]


def test_a_background_export_is_scoped_filtered_and_masked(world, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        started = job_services.job_start(
            actor=world.street_user, kind=PERSON_EXPORT, params={"query": "status=registered"}
        )
    job = Job.objects.get(pk=started.job.pk)
    assert job.state == Job.State.DONE, job.error
    with job_services.job_result_open(job=job) as handle:
        rows = list(load_workbook(handle, read_only=True).worksheets[0].iter_rows(values_only=True))
    assert [r[3] for r in rows[2:]] == ["A1人"]  # the title, the headers, the rows
    assert people[0].id_number not in str(rows) and people[0].id_number_masked in str(rows)


def test_bad_filters_are_refused_before_a_job_exists(world):
    with pytest.raises(ValidationError):
        job_services.job_start(
            actor=world.bureau, kind=PERSON_EXPORT, params={"query": "age_min=90&age_max=10"}
        )
    with pytest.raises(ValidationError):
        job_services.job_start(actor=world.bureau, kind=PERSON_EXPORT, params={"sql": "drop"})
    assert not Job.objects.exists()
