from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from community_admin.admission import catalogue
from community_admin.admission.models import Area, ServiceItem, Task, TaskAssignment, TaskFundingLine

pytestmark = pytest.mark.django_db


def test_demo_admission_list_and_a_year_of_tasks():
    call_command("seed_district", scale="small", seed=7, stdout=StringIO(), stderr=StringIO())
    listed = ServiceItem.objects.filter(code__in=[c for c, *_ in catalogue.ITEMS])
    assert listed.count() >= 80
    assert set(listed.values_list("area", flat=True)) == set(Area.values)
    assert listed.filter(named_in_report=True).count() >= 13 + 6
    assert set(ServiceItem.objects.values_list("status", flat=True)) >= {
        "admitted",
        "applied",
        "approved",
        "rejected",
    }
    tasks = Task.objects.all()
    assert tasks.count() == 40
    assert tasks.filter(decision="refused").exists() and tasks.filter(decision="admitted").exists()
    assert tasks.values("department").distinct().count() >= 5
    for task in tasks.filter(decision="admitted").annotate(total=Sum("funding_lines__amount")):
        assert task.total == task.funding and task.funding >= task.required_funding
    assert not TaskFundingLine.objects.filter(task__decision="refused").exists()
    assert TaskAssignment.objects.values("status").annotate(n=Count("id")).count() >= 3
    before = (ServiceItem.objects.count(), Task.objects.count())
    call_command("seed_district", scale="small", seed=7, stdout=StringIO(), stderr=StringIO())
    assert (ServiceItem.objects.count(), Task.objects.count()) == before
