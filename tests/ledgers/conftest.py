"""The ledger catalogue over the test world: the report's departments exist, the catalogue is installed."""

import pytest

from community_admin.accounts.models import Role
from community_admin.ledgers import services
from community_admin.ledgers.models import LedgerBook
from community_admin.org.models import Department
from tests.factories import DepartmentFactory, UserFactory

DEPARTMENT_CODES = ["MZ", "RS", "YB", "WJ", "JY", "ZJ", "CG", "ZF", "WL", "KX", "CL", "TJ", "WM", "ZZ", "SJ"]


def install_catalogue() -> dict[str, LedgerBook]:
    for code in DEPARTMENT_CODES:
        DepartmentFactory(code=code, name=f"测试{code}局", kind=Department.Kind.DISTRICT)
    services.catalogue_install()
    return {b.code: b for b in LedgerBook.objects.select_related("owner_department", "category")}


@pytest.fixture
def books(world) -> dict[str, LedgerBook]:
    return install_catalogue()


@pytest.fixture
def disability_user(books):
    """The 残联's account: owns the disabled-persons book, serves the whole district."""
    return UserFactory(username="t-cl", role=Role.DEPARTMENT, department=Department.objects.get(code="CL"))


@pytest.fixture
def labour_user(books):
    return UserFactory(username="t-rs", role=Role.DEPARTMENT, department=Department.objects.get(code="RS"))
