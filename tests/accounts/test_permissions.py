"""A department's browser session is bound by the scopes the bureau granted the department (the union of its
tokens in force), like its API tokens: the session of a department holding only `tasks:submit` reads no
people."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community_admin.accounts import services
from community_admin.accounts.models import ApiToken, Role
from community_admin.accounts.permissions import has_permission
from community_admin.core.models import AuditLog
from tests.factories import DepartmentFactory, HouseholdFactory, PersonFactory, UserFactory


@pytest.fixture
def civil(world):
    """A department serving street A, with a person's browser account, granted nothing yet (its tokens
    belong to its system account, `services.department_account`)."""
    department = DepartmentFactory(code="MZK", name="区民政局救助科")
    department.streets.set([world.street_a])
    return UserFactory(username="t-civil", role=Role.DEPARTMENT, department=department, granted=[])


def _grant(world, user, *scopes, days=30):
    return services.api_token_create(
        actor=world.bureau, department=user.department, name="对接", scopes=list(scopes), days_valid=days
    )[0]


def _person_routes(world):
    person = PersonFactory(household=HouseholdFactory(committee=world.committee_a1))
    return [
        reverse("person-list"),
        reverse("person-detail", args=[person.pk]),
        reverse("residents:person-list"),
        reverse("residents:person-detail", args=[person.pk]),
    ]


def test_a_session_with_only_the_tasks_scope_reads_no_people_until_granted(world, civil, login):
    _grant(world, civil, ApiToken.Scope.TASKS_SUBMIT)
    routes = _person_routes(world)
    client = login(civil)
    assert [client.get(url).status_code for url in routes] == [403, 403, 403, 403]
    assert client.get(reverse("task-list")).status_code == 200  # what it was granted still works
    assert AuditLog.objects.filter(action="access.denied", actor=civil).count() == 4
    _grant(world, civil, ApiToken.Scope.RESIDENTS_READ)
    assert [client.get(url).status_code for url in routes] == [200, 200, 200, 200]


def test_revoked_and_expired_tokens_grant_nothing(world, civil, login):
    revoked = _grant(world, civil, ApiToken.Scope.RESIDENTS_READ)
    services.api_token_revoke(actor=world.bureau, token=revoked)
    expired = _grant(world, civil, ApiToken.Scope.RESIDENTS_READ)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert login(civil).get(reverse("person-list")).status_code == 403
    assert login(civil).get(reverse("residents:person-list")).status_code == 403


def test_the_grant_binds_every_decision_not_only_the_route(world, civil):
    assert not has_permission(civil, "residents.view")
    assert not has_permission(civil, "jobs.start")  # nor can it start a job it may not read the rows of
    assert has_permission(civil, "tasks.catalogue.apply")  # no token scope for it: the page's own action
    _grant(world, civil, ApiToken.Scope.JOBS)
    civil = type(civil).objects.get(pk=civil.pk)  # the grant is read once per loaded user
    assert has_permission(civil, "jobs.start") and not has_permission(civil, "residents.view")


def test_a_token_is_still_bound_by_its_own_scopes_within_the_grant(world, civil, client):
    _grant(world, civil, ApiToken.Scope.RESIDENTS_READ)
    _, key = services.api_token_create(
        actor=world.bureau, department=civil.department, name="任务", scopes=["tasks:submit"], days_valid=1
    )
    assert client.get(reverse("person-list"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 403


def test_other_roles_are_not_concerned(world, login):
    assert login(world.committee_user).get(reverse("person-list")).status_code == 200
