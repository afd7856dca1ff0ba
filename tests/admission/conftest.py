from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken
from community_admin.admission import services
from community_admin.admission.models import ServiceItem
from tests.admission.factories import ServiceItemFactory


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


@dataclass
class Items:
    assist: ServiceItem  # 30 yuan a household
    duty: ServiceItem  # no rate
    excluded: ServiceItem
    applied: ServiceItem
    revoked: ServiceItem
    future: ServiceItem


@pytest.fixture
def items(world) -> Items:
    """The list's items, all owned by the police station (the `submit` fixture's department)."""
    own = {"department": world.police}
    return Items(
        assist=ServiceItemFactory(code="MZ01", name="最低生活保障的办理与审核", **own),
        duty=ServiceItemFactory(
            code="ZZ01",
            name="调解民间纠纷",
            category=ServiceItem.Category.DUTY,
            unit="件",
            unit_rate=0,
            **own,
        ),
        excluded=ServiceItemFactory(
            code="QT01",
            name="经济普查",
            category=ServiceItem.Category.EXCLUDED,
            unit_rate=Decimal("0"),
            **own,
        ),
        applied=ServiceItemFactory(
            code="SQ001", name="垃圾分类入户督导", status=ServiceItem.Status.APPLIED, **own
        ),
        revoked=ServiceItemFactory(code="RV01", name="已撤销事项", status=ServiceItem.Status.REVOKED, **own),
        future=ServiceItemFactory(
            code="FU01", name="尚未生效事项", effective_from=timezone.localdate() + timedelta(days=30), **own
        ),
    )


@pytest.fixture
def due():
    return timezone.localdate() + timedelta(days=20)


@pytest.fixture
def submit(world, due):
    """submit(**overrides) -> Task, as the police station, to A1 and A2, 10 households each, 600 yuan."""

    def _submit(**overrides):
        kwargs = {
            "actor": world.department_user,
            "service_item_code": "MZ01",
            "title": "低保入户复核",
            "due_date": due,
            "quantity": 10,
            "funding": Decimal("600.00"),
            "committee_codes": ["A1", "A2"],
        }
        kwargs.update(overrides)
        return services.task_submit(**kwargs)

    return _submit


@pytest.fixture
def task_token(world):
    """(token, key) for the police station with the tasks:submit scope."""
    return account_services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="任务派发",
        scopes=[ApiToken.Scope.TASKS_SUBMIT],
        days_valid=30,
    )


@pytest.fixture
def shared_task(world, items, submit):
    """A task pushed onto A1, A2 (street A) and B1 (street B) by a district-wide department, each committee
    having reported its own work: (task, the department's user)."""
    from community_admin.accounts.models import Role
    from tests.factories import DepartmentFactory, UserFactory

    civil = DepartmentFactory(code="MZ", name="区民政局业务科")
    civil.streets.set([world.street_a, world.street_b])
    items.assist.co_departments.add(civil)  # it may push the item as its co-owner
    user = UserFactory(username="t-civil", role=Role.DEPARTMENT, department=civil)
    task = submit(actor=user, committee_codes=["A1", "A2", "B1"], funding=Decimal("900.00"))
    for assignment in task.assignments.select_related("committee"):
        services.task_assignment_complete(
            actor=world.bureau, assignment=assignment, report=f"{assignment.committee.code} 的完成报告"
        )
    return task, user
