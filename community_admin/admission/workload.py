"""The administrative load of tasks pushed onto committees, for the services' balance (core/workload.py)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from community_admin.core import workload

from .models import TaskAssignment

# A task a committee takes on costs, by the report's account of pushed-down work, about half a working day.
HOURS_PER_TASK = Decimal("4")


def assignments_received(committee_ids: list[int], start, end) -> dict[int, int]:
    """Tasks submitted to each committee in the period and not refused on its behalf."""
    since, until = workload.moments(start, end)
    return workload.per_committee(
        TaskAssignment.objects.filter(
            committee_id__in=committee_ids, task__submitted_at__gte=since, task__submitted_at__lt=until
        ).exclude(status=TaskAssignment.Status.REFUSED)
    )


workload.register(
    workload.LoadCounter(
        name="tasks.assignments",
        label=_("派发任务"),
        count=assignments_received,
        hours_each=HOURS_PER_TASK,
    )
)
