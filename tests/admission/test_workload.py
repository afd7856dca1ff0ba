from datetime import timedelta

import pytest
from django.utils import timezone

from community_admin.admission import services
from community_admin.admission.workload import HOURS_PER_TASK
from community_admin.community_services import selectors as service_selectors
from community_admin.community_services.balance import Period
from community_admin.core import workload

pytestmark = pytest.mark.django_db


def test_tasks_received_count_as_load_and_a_refused_one_does_not(world, items, submit):
    task = submit()
    assignment_a2 = task.assignments.get(committee=world.committee_a2)
    services.task_assignment_refuse(
        actor=world.street_user, assignment=assignment_a2, reason="不属于社区职责"
    )
    today = timezone.localdate()
    ids = [world.committee_a1.pk, world.committee_a2.pk, world.committee_b1.pk]

    assert workload.counts(ids, today, today)["tasks.assignments"] == {world.committee_a1.pk: 1}
    yesterday = today - timedelta(days=1)
    assert workload.counts(ids, yesterday, yesterday)["tasks.assignments"] == {}


def test_the_balance_counts_task_hours_as_administration(world, items, submit):
    submit()
    submit(title="高龄津贴核查")
    period = Period.year(timezone.localdate().year)
    rows = dict(service_selectors.committee_balances(world.committee_a1.street.committees.all(), period))
    balance = rows[world.committee_a1]
    assert balance.admin["tasks.assignments"] == 2
    assert balance.admin_hours == 2 * HOURS_PER_TASK


def test_the_balance_page_names_every_registered_source(world, login, items, submit):
    submit()
    page = login(world.bureau).get("/services/balance/", {"year": timezone.localdate().year})
    text = page.content.decode()
    assert page.status_code == 200
    for label in ("派发任务（每件 4 小时）", "出具证明（每件 0.5 小时）", "台账登记（每件 0.25 小时）"):
        assert label in text
    assert "尚未接入" not in text
