from decimal import Decimal

import pytest

from community_admin.org import norms

REPORT = {"per_100": Decimal("20"), "minimum": Decimal("300")}
NATIONAL = {"per_100": Decimal("30"), "minimum": Decimal("0")}


@pytest.mark.parametrize(
    ("households", "members"), [(0, 3), (1, 3), (1999, 3), (2000, 5), (2001, 5), (9000, 5)]
)
def test_members_three_below_2000_households_five_from_2000(households, members):
    assert norms.required_members(households) == members


@pytest.mark.parametrize(
    ("households", "workers"), [(0, 0), (1, 1), (499, 1), (500, 1), (501, 2), (1000, 2), (1001, 3), (2500, 5)]
)
def test_one_social_worker_per_500_households_rounded_up(households, workers):
    assert norms.required_social_workers(households) == workers


@pytest.mark.parametrize(
    ("households", "area"),
    [(0, "300"), (1000, "300"), (1499, "300"), (1500, "300"), (1501, "300.2"), (1505, "301"), (2000, "400")],
)
def test_report_office_norm_20_per_100_households_never_below_300(households, area):
    assert norms.required_office_area(households, **REPORT) == Decimal(area)


def test_national_norm_has_no_floor_and_30_per_100():
    assert norms.required_office_area(1000, **NATIONAL) == Decimal("300")
    assert norms.required_office_area(100, **NATIONAL) == Decimal("30")


def test_office_check_compliance_and_shortfall():
    short = norms.OfficeAreaCheck("n", "n", required_m2=Decimal("400"), actual_m2=Decimal("350"))
    exact = norms.OfficeAreaCheck("n", "n", required_m2=Decimal("400"), actual_m2=Decimal("400"))
    assert not short.compliant and short.shortfall_m2 == Decimal("50")
    assert exact.compliant and exact.shortfall_m2 == 0
