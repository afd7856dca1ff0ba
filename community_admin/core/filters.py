"""The one kind of filter set, for the pages and the API of a list: a value it cannot read is an error that
names the parameter (400), never "no filter". django-filter reads `?active=42` as "no filter" and answers
every row; a StrictFilterSet refuses it. Every FilterSet of the project derives from StrictFilterSet
(tests/core/test_filters.py walks them), and the API's backend builds `filterset_fields` on it too."""

import django_filters
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters

BOOLEAN_VALUES = {"", "true", "false", "True", "False", "1", "0"}
ERR_BOOLEAN = "请填写 true 或 false。"


class StrictFilterSet(filters.FilterSet):
    def is_valid(self):
        valid = super().is_valid()
        for name, declared in self.filters.items():
            if (
                isinstance(declared, django_filters.BooleanFilter)
                and self.data.get(name, "") not in BOOLEAN_VALUES
            ):
                self.form.add_error(name, _(ERR_BOOLEAN))
                valid = False
        return valid


class DjangoFilterBackend(filters.DjangoFilterBackend):
    filterset_base = StrictFilterSet

    def get_filterset_class(self, view, queryset=None):
        filterset_class = super().get_filterset_class(view, queryset)
        if filterset_class is not None and not issubclass(filterset_class, StrictFilterSet):
            # a FilterSet that would read a bad value as "no filter" is a mistake of ours, not the caller's
            raise TypeError(f"{filterset_class.__qualname__} must derive from core.filters.StrictFilterSet")
        return filterset_class


def page_filter(filterset_class, request, queryset, **kwargs):
    """A list page's filter set over `queryset`: bound to the query string when there is one. The page
    answers 400 with the form's errors when `filterset.errors`, and shows no rows."""
    return filterset_class(request.GET or None, queryset=queryset, request=request, **kwargs)
