"""One filter set for the workers' list, used by the page and the API: a value it cannot read is a 400
naming it, never the unfiltered list. Unbound (the page opened bare), the list is the workers on the
books (在岗＋借调)."""

import django_filters
from django.db.models import Q

from community_admin.core.filters import StrictFilterSet
from community_admin.core.forms import StyledForm
from community_admin.staff import selectors
from community_admin.staff.models import Post, Worker

CURRENT = "current"


class WorkerFilter(StrictFilterSet):
    q = django_filters.CharFilter(label="姓名/社区", method="filter_q")
    post = django_filters.ChoiceFilter(
        label="职务",
        method="filter_post",
        empty_label="全部",
        choices=[(selectors.MEMBER, "委员职数（书记、主任、副职、委员）"), *Post.choices],
    )
    status = django_filters.ChoiceFilter(
        label="状态",
        method="filter_status",
        empty_label="全部",
        choices=[(CURRENT, "在册（在岗＋借调）"), *Worker.Status.choices],
    )
    education = django_filters.ChoiceFilter(
        label="学历", empty_label="全部", choices=Worker.Education.choices
    )
    sex = django_filters.ChoiceFilter(label="性别", empty_label="全部", choices=Worker.Sex.choices)

    class Meta:
        model = Worker
        fields = ["q", "post", "status", "education", "sex"]
        form = StyledForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data if data is not None else {"status": CURRENT}, *args, **kwargs)

    def filter_q(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__contains=value) | Q(committee__name__contains=value))
            if value
            else queryset
        )

    def filter_post(self, queryset, name, value):
        return selectors.with_post(queryset, value)

    def filter_status(self, queryset, name, value):
        return selectors.with_status(queryset, value)
