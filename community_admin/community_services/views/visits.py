"""Pages of home visits (走访): the list, quick entry, a visit and its follow-up, a household's history."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.community_services import selectors, services
from community_admin.community_services.forms import (
    FollowUpCloseForm,
    HouseholdSearchForm,
    VisitForm,
)
from community_admin.community_services.views.lookups import household_or_404
from community_admin.core.views import form_submit, paginate, query_choice
from community_admin.residents import selectors as residents_selectors

SEARCH_LIMIT = 20
PER_PAGE = 25


class VisitListView(PermissionRequiredMixin, View):
    """Visits in scope; a committee worker sees their own first ("我的走访")."""

    required_permission = "services.view"

    def get(self, request):
        visits = selectors.visit_list(request.user)
        mine = query_choice(request, "mine", ["1", "0"], label="只看我的") == "1"
        if mine:
            visits = visits.filter(visitor=request.user)
        return render(
            request,
            "services/visit_list.html",
            {
                **paginate(request, visits, PER_PAGE),
                "mine": mine,
                "can_record": has_permission(request.user, "services.record"),
                "open_count": selectors.open_follow_ups(request.user).filter(visitor=request.user).count(),
            },
        )


class VisitCreateView(PermissionRequiredMixin, View):
    """Quick entry on a phone: find the household (or come from its page), then one short form."""

    required_permission = "services.record"

    def get(self, request):
        household_pk = request.GET.get("household")
        if household_pk and household_pk.isdigit():
            return self._form(request, household_or_404(request, int(household_pk)), VisitForm())
        search = HouseholdSearchForm(request.GET or None)
        found = []
        if search.is_valid() and search.cleaned_data["q"].strip():
            q = search.cleaned_data["q"].strip()
            found = residents_selectors.household_list(request.user).filter(
                Q(number__icontains=q) | Q(building__icontains=q) | Q(room=q)
            )[:SEARCH_LIMIT]
        return render(request, "services/visit_find.html", {"search": search, "found": found})

    def post(self, request):
        household_pk = request.POST.get("household", "")
        if not household_pk.isdigit():
            raise Http404
        household = household_or_404(request, int(household_pk))
        return form_submit(
            request,
            VisitForm(request.POST),
            lambda data: services.visit_record(actor=request.user, household=household, **data),
            invalid=lambda form: self._form(request, household, form),
            success_url=reverse("services:household-visits", args=[household.pk]),
            success_message=f"已记录走访：{household.number} {household.address}",
        )

    def _form(self, request, household, form, status=200):
        return render(
            request, "services/visit_form.html", {"form": form, "household": household}, status=status
        )


class HouseholdVisitsView(PermissionRequiredMixin, View):
    """A household's visit history (linked from the household's page as “走访记录”)."""

    required_permission = "services.view"

    def get(self, request, pk):
        household = household_or_404(request, pk)
        return render(
            request,
            "services/household_visits.html",
            {
                "household": household,
                "visits": selectors.household_visits(request.user, household),
                "can_record": has_permission(request.user, "services.record"),
            },
        )


def _visit(request, pk):
    return scoping.get_in_scope_or_404(selectors.visit_list(request.user), request.user, pk=pk)


class VisitDetailView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request, pk):
        return self.render(request, _visit(request, pk))

    def render(self, request, visit, *, form=None, status=200):
        return render(
            request,
            "services/visit_detail.html",
            {
                "visit": visit,
                "close_form": form or FollowUpCloseForm(initial={"done_on": timezone.localdate()}),
                "can_close": visit.follow_up_open and has_permission(request.user, "services.record"),
            },
            status=status,
        )


class VisitCloseView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        visit = _visit(request, pk)
        return form_submit(
            request,
            FollowUpCloseForm(request.POST),
            lambda data: services.visit_follow_up_close(actor=request.user, visit=visit, **data),
            invalid=lambda form: VisitDetailView().render(request, visit, form=form),
            success_url=reverse("services:visit-detail", args=[visit.pk]),
            success_message="待办事项已办结。",
        )


class FollowUpListView(PermissionRequiredMixin, View):
    """Open follow-ups per worker and committee, overdue ones counted."""

    required_permission = "services.view"

    def get(self, request):
        today = timezone.localdate()
        return render(
            request,
            "services/follow_ups.html",
            {
                "summary": selectors.follow_up_summary(request.user, today=today),
                **paginate(request, selectors.open_follow_ups(request.user), PER_PAGE),
                "today": today,
            },
        )
