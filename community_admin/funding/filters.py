"""The funding lists' filter sets (`?year=`): a value they cannot read is a 400 naming it, never every year."""

import django_filters

from community_admin.core.filters import StrictFilterSet
from community_admin.funding.models import Allocation, Disbursement, Expenditure


def _year(field_name: str):
    return django_filters.NumberFilter(label="年度", field_name=field_name, min_value=2000, max_value=2100)


class AllocationFilter(StrictFilterSet):
    year = _year("run__year")

    class Meta:
        model = Allocation
        fields = ["year"]


class DisbursementFilter(StrictFilterSet):
    year = _year("allocation__run__year")

    class Meta:
        model = Disbursement
        fields = ["year"]


class ExpenditureFilter(StrictFilterSet):
    year = _year("year")

    class Meta:
        model = Expenditure
        fields = ["year"]
