"""One filter set for the certificate list, used by the page and the API (`?status=`, `?tier=`, `?year=`,
`?q=`): a value it cannot read is a 400 naming it, never the unfiltered list."""

import django_filters
from django import forms
from django.db.models import Q

from community_admin.certificates.models import Certificate, CertificateType
from community_admin.core.filters import StrictFilterSet
from community_admin.core.forms import StyledForm


class CertificateFilter(StrictFilterSet):
    q = django_filters.CharFilter(
        label="编号或姓名",
        method="filter_q",
        widget=forms.TextInput(attrs={"placeholder": "编号或姓名", "class": "form-control-sm"}),
    )
    status = django_filters.ChoiceFilter(
        label="状态",
        choices=Certificate.Status.choices,
        empty_label="全部状态",
        widget=forms.Select(attrs={"class": "form-select-sm"}),
    )
    tier = django_filters.ChoiceFilter(
        label="类别",
        choices=CertificateType.Tier.choices,
        empty_label="全部类别",
        widget=forms.Select(attrs={"class": "form-select-sm"}),
    )
    year = django_filters.NumberFilter(
        label="年度",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"placeholder": "年度", "class": "form-control-sm"}),
    )

    class Meta:
        model = Certificate
        fields = ["q", "status", "tier", "year"]
        form = StyledForm

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(serial__icontains=value) | Q(holder_name__icontains=value))
            if value
            else queryset
        )
