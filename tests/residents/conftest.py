import io

import pytest
from openpyxl import Workbook

from community_admin.residents.exporters import TEMPLATE_HEADERS
from tests.factories import HouseholdFactory


def xlsx(rows, headers=TEMPLATE_HEADERS) -> io.BytesIO:
    """An in-memory workbook in the import layout; cell values keep their Python types (numbers stay numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "test.xlsx"
    return out


@pytest.fixture
def household_a1(world):
    return HouseholdFactory(
        committee=world.committee_a1, number="A1-001", building="3号楼", unit="2", room="501"
    )
