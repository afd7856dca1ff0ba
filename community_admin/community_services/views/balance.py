"""The balance page: how each committee's time divides between residents and administration."""

from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin
from community_admin.community_services import balance as balance_rules
from community_admin.community_services import selectors
from community_admin.community_services.balance import Period
from community_admin.community_services.forms import (
    BalanceForm,
)
from community_admin.core import workload

SORT_KEYS = {
    "index": lambda row: (row[1].service_index, row[0].code),
    "share": lambda row: (
        row[1].service_share if row[1].service_share is not None else Decimal(2),
        row[0].code,
    ),
    "visits": lambda row: (row[1].visits_per_100_households, row[0].code),
    "code": lambda row: (row[0].code,),
}


class BalanceView(PermissionRequiredMixin, View):
    """How each committee's time divides between residents and administration, ranked; month by month."""

    required_permission = "services.view"

    def get(self, request):
        today = timezone.localdate()
        form = BalanceForm(request.GET or None, initial={"year": today.year, "order": "index"})
        data = form.cleaned_data if form.is_bound and form.is_valid() else {"year": today.year}
        year, month = data["year"], data.get("month")
        period = Period.month(year, month) if month else Period.year(year)
        committees = scoping.visible_committees(request.user).select_related("street").order_by("code")
        if data.get("street"):
            committees = committees.filter(street__code=data["street"])
        rows = selectors.committee_balances(committees, period)
        rows.sort(key=SORT_KEYS[data.get("order") or "index"])
        trend_committees = committees
        trend_of = None
        if data.get("committee"):
            trend_committees = committees.filter(code=data["committee"])
            trend_of = trend_committees.first()
        trend = selectors.monthly_balances(trend_committees, Period.year(year)) if trend_committees else []
        return render(
            request,
            "services/balance.html",
            {
                "form": form,
                "period": period,
                "rows": [(rank, c, b) for rank, (c, b) in enumerate(rows, start=1)],
                "streets": selectors.street_balances(sorted(rows, key=lambda r: r[0].code), period),
                "district": selectors.total([b for _, b in rows], period),
                "trend": trend,
                "trend_of": trend_of,
                "components": balance_rules.COMPONENTS,
                "rules": balance_rules,
                "counters": workload.all_counters(),
            },
            status=200 if not form.is_bound or form.is_valid() else 400,
        )
