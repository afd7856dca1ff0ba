"""Fixtures per role over a small world: two streets, three committees, a police station serving street A.

street A ── committee A1 (committee user), committee A2
street B ── committee B1
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from community_admin.accounts import services as account_services
from community_admin.accounts.models import ApiToken, Role, User
from community_admin.org.models import Committee, Department, Street
from tests.factories import CommitteeFactory, DepartmentFactory, StreetFactory, UserFactory


@dataclass
class World:
    street_a: Street
    street_b: Street
    committee_a1: Committee
    committee_a2: Committee
    committee_b1: Committee
    police: Department
    bureau: User
    street_user: User
    committee_user: User
    department_user: User

    def user(self, role: str) -> User:
        return {
            Role.BUREAU: self.bureau,
            Role.STREET: self.street_user,
            Role.COMMITTEE: self.committee_user,
            Role.DEPARTMENT: self.department_user,
        }[role]


@pytest.fixture(autouse=True)
def _dashboards_uncached(settings):
    """Every test sees the dashboards' figures as its own data make them (the cache is per process, and ids
    repeat between tests); tests/dashboards/test_cache.py turns the cache on."""
    settings.DASHBOARD_CACHE_SECONDS = 0
    settings.COUNT_CACHE_SECONDS = 0  # likewise the lists' totals; tests/core/test_counting.py turns it on


def build_world() -> World:
    """The small world (module docstring); the `world` fixture per test, tests/fuzz once per module."""
    street_a = StreetFactory(code="A", name="甲街道")
    street_b = StreetFactory(code="B", name="乙街道")
    a1 = CommitteeFactory(street=street_a, code="A1", name="甲一社区居委会")
    a2 = CommitteeFactory(street=street_a, code="A2", name="甲二社区居委会", recorded_households=2400)
    b1 = CommitteeFactory(street=street_b, code="B1", name="乙一社区居委会")
    police = DepartmentFactory(code="PSA", name="甲街派出所", kind=Department.Kind.POLICE)
    police.streets.set([street_a])
    return World(
        street_a=street_a,
        street_b=street_b,
        committee_a1=a1,
        committee_a2=a2,
        committee_b1=b1,
        police=police,
        bureau=UserFactory(username="t-bureau", role=Role.BUREAU),
        street_user=UserFactory(username="t-street", role=Role.STREET, street=street_a),
        committee_user=UserFactory(username="t-committee", role=Role.COMMITTEE, committee=a1),
        department_user=UserFactory(username="t-police", role=Role.DEPARTMENT, department=police),
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def login():
    """login(user) -> a test client with that user's session."""

    def _login(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return _login


@pytest.fixture
def department_token(world):
    """(token, key) for the police station, with read access to the district structure."""
    return account_services.api_token_create(
        actor=world.bureau,
        department=world.police,
        name="户籍系统对接",
        scopes=[ApiToken.Scope.ORG_READ],
        days_valid=30,
    )
