"""One filter set for the person list, used by the pages, the API and the exports."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from community_admin.core.filters import StrictFilterSet
from community_admin.core.forms import StyledForm
from community_admin.residents import selectors
from community_admin.residents.models import Person

TAGS = {
    "disabled": ("残疾", {"disability_certificate__gt": ""}),
    "minimum_allowance": ("低保", {"minimum_allowance": True}),
    "veteran": ("退役军人", {"veteran": True}),
    "party_member": ("党员", {"party_member": True}),
    "registered_unemployed": ("登记失业", {"registered_unemployed": True}),
}
SENSITIVE_TAGS = {"disabled", "minimum_allowance"}
ERR_AGE_RANGE = "年龄：最小年龄不能大于最大年龄。"


class PersonFilter(StrictFilterSet):
    name = django_filters.CharFilter(label="姓名", method="filter_name")
    address = django_filters.CharFilter(label="门牌地址", method="filter_address")
    tag = django_filters.ChoiceFilter(
        label="标签", method="filter_tag", choices=[(k, label) for k, (label, _) in TAGS.items()]
    )
    status = django_filters.MultipleChoiceFilter(label="居住状态", choices=Person.Status.choices)
    age_min = django_filters.NumberFilter(label="最小年龄", method="filter_noop", min_value=0, max_value=150)
    age_max = django_filters.NumberFilter(label="最大年龄", method="filter_noop", min_value=0, max_value=150)
    household = django_filters.NumberFilter(label="户", field_name="household_id")
    committee = django_filters.CharFilter(label="社区代码", field_name="committee__code")
    ordering = django_filters.OrderingFilter(
        label="排序",
        fields=(("name", "name"), ("birth_date", "birth_date"), ("id", "id")),
        field_labels={"name": "姓名", "birth_date": "出生日期", "id": "登记顺序"},
    )

    class Meta:
        model = Person
        fields = [
            "name",
            "address",
            "tag",
            "status",
            "age_min",
            "age_max",
            "household",
            "committee",
        ]
        form = StyledForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        visible = (
            TAGS
            if selectors.can_see_sensitive(user)
            else {k: v for k, v in TAGS.items() if k not in SENSITIVE_TAGS}
        )
        # Set on the field itself: it may already be built (and copied from the class) with every choice.
        self.filters["tag"].field.choices = [(k, label) for k, (label, _) in visible.items()]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not data.get("status"):  # the registry's list is its current residents unless asked otherwise
            queryset = queryset.filter(status__in=Person.ACTIVE_STATUSES)
        age_min, age_max = data.get("age_min"), data.get("age_max")
        if age_min is not None or age_max is not None:
            latest, earliest = selectors.birth_date_bounds(
                age_min=int(age_min) if age_min is not None else None,
                age_max=int(age_max) if age_max is not None else None,
                today=timezone.localdate(),
            )
            if latest:
                queryset = queryset.filter(birth_date__lte=latest)
            if earliest:
                queryset = queryset.filter(birth_date__gt=earliest)
        return queryset

    def is_valid(self):
        valid = super().is_valid()
        data = self.form.cleaned_data if valid else {}
        if (
            data.get("age_min") is not None
            and data.get("age_max") is not None
            and data["age_min"] > data["age_max"]
        ):
            self.form.add_error("age_max", ERR_AGE_RANGE)
            return False
        return valid

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__startswith=value.strip())

    def filter_address(self, queryset, name, value):
        for part in value.split():
            queryset = queryset.filter(
                Q(household__building__contains=part)
                | Q(household__unit=part)
                | Q(household__room__contains=part)
            )
        return queryset

    def filter_tag(self, queryset, name, value):
        return queryset.filter(**TAGS[value][1])
