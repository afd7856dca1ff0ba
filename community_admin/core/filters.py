"""The API's filter backend: django-filter's, with filter sets that refuse a yes/no filter given anything but
true/false (django-filter reads `?active=42` as "no filter" and answers every row)."""

import django_filters
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters

BOOLEAN_VALUES = {"", "true", "false", "True", "False", "1", "0"}


class StrictFilterSet(filters.FilterSet):
    def is_valid(self):
        valid = super().is_valid()
        for name, declared in self.filters.items():
            if (
                isinstance(declared, django_filters.BooleanFilter)
                and self.data.get(name, "") not in BOOLEAN_VALUES
            ):
                self.form.add_error(name, _("请填写 true 或 false。"))
                valid = False
        return valid


class DjangoFilterBackend(filters.DjangoFilterBackend):
    filterset_base = StrictFilterSet
