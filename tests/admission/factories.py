from datetime import date
from decimal import Decimal

import factory

from community_admin.admission.models import Area, ServiceItem
from tests.factories import DepartmentFactory


class ServiceItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceItem

    code = factory.Sequence(lambda n: f"IT{n:03d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    area = Area.CIVIL_AFFAIRS
    category = ServiceItem.Category.ASSIST
    department = factory.SubFactory(DepartmentFactory)
    legal_basis = "《社会救助暂行办法》"
    source_document = "测试清单"
    effective_from = date(2024, 1, 1)
    unit = "户"
    unit_rate = Decimal("30.00")
    status = ServiceItem.Status.ADMITTED
    applied_on = date(2023, 10, 1)
    decision_due = date(2023, 10, 20)
