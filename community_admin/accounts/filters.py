"""The account list's one filter set (the page's; there is no account API)."""

import django_filters
from django import forms
from django.db.models import Q

from community_admin.accounts import lockouts, scoping
from community_admin.accounts.models import Role
from community_admin.core.filters import StrictFilterSet
from community_admin.core.forms import StyledForm
from community_admin.org.models import Committee, Street

STATUS = {"active": ("在用", True), "inactive": ("已停用", False)}
LOCKED_CHOICES = [("", "全部"), ("true", "已锁定"), ("false", "未锁定")]


class AccountFilter(StrictFilterSet):
    q = django_filters.CharFilter(label="姓名或用户名", method="filter_q", max_length=150)
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices, empty_label="全部")
    street = django_filters.ModelChoiceFilter(
        label="街道", queryset=Street.objects.none(), method="filter_street", empty_label="全部"
    )
    committee = django_filters.ModelChoiceFilter(
        label="社区", queryset=Committee.objects.none(), field_name="committee", empty_label="全部"
    )
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=[(k, label) for k, (label, _) in STATUS.items()],
        method="filter_status",
        empty_label="全部",
    )
    locked = django_filters.BooleanFilter(
        label="登录锁定", method="filter_locked", widget=forms.Select(choices=LOCKED_CHOICES)
    )

    class Meta:
        fields = ["q", "role", "street", "committee", "status", "locked"]
        form = StyledForm

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Set on the fields themselves: a street office picks among its own street and committees only.
        self.filters["street"].field.queryset = scoping.visible_streets(user).order_by("code")
        self.filters["committee"].field.queryset = scoping.visible_committees(user).order_by("code")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(username__icontains=value) | Q(first_name__icontains=value))

    def filter_street(self, queryset, name, value):
        return queryset.filter(Q(street=value) | Q(committee__street=value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=STATUS[value][1])

    def filter_locked(self, queryset, name, value):
        locked = Q(username__in=lockouts.locked_usernames_query())
        return queryset.filter(locked if value else ~locked)
