"""Pages of community organisations: the list, registration, members and support."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.community_services import selectors, services
from community_admin.community_services.forms import (
    MemberForm,
    OrganisationForm,
    SupportForm,
)
from community_admin.community_services.views.lookups import person_by_id
from community_admin.core.views import form_submit, paginate

PER_PAGE = 25


def _organisation(request, pk):
    return scoping.get_in_scope_or_404(selectors.organisation_list(request.user), request.user, pk=pk)


class OrganisationListView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request):
        return render(
            request,
            "services/organisation_list.html",
            {
                **paginate(request, selectors.organisation_list(request.user), PER_PAGE),
                "can_record": has_permission(request.user, "services.record"),
            },
        )


class OrganisationCreateView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def get(self, request):
        return render(
            request, "services/simple_form.html", {"form": OrganisationForm(), "title": "登记社会组织"}
        )

    def post(self, request):
        return form_submit(
            request,
            OrganisationForm(request.POST),
            lambda data: services.organisation_create(
                actor=request.user, committee=request.user.committee, **data
            ),
            invalid=lambda form: render(
                request, "services/simple_form.html", {"form": form, "title": "登记社会组织"}
            ),
            success_url=lambda organisation: reverse("services:organisation-detail", args=[organisation.pk]),
            success_message=lambda organisation: f"已登记：{organisation.name}",
        )


class OrganisationDetailView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request, pk):
        return self.render(request, _organisation(request, pk))

    def render(self, request, organisation, *, status=200, **forms):
        return render(
            request,
            "services/organisation_detail.html",
            {
                "organisation": organisation,
                "members": organisation.memberships.select_related("person"),
                "supports": organisation.supports.select_related("recorded_by"),
                "can_record": has_permission(request.user, "services.record"),
                "member_form": forms.get("member") or MemberForm(initial={"joined_on": timezone.localdate()}),
                "support_form": forms.get("support")
                or SupportForm(initial={"given_on": timezone.localdate()}),
            },
            status=status,
        )


class MemberAddView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        organisation = _organisation(request, pk)

        def add(data):
            data = dict(data)
            person = person_by_id(request, organisation.committee_id, data.pop("id_number"))
            services.organisation_member_add(
                actor=request.user, organisation=organisation, person=person, **data
            )
            return person

        return form_submit(
            request,
            MemberForm(request.POST),
            add,
            invalid=lambda form: OrganisationDetailView().render(request, organisation, member=form),
            success_url=reverse("services:organisation-detail", args=[organisation.pk]),
            success_message=lambda person: f"已加入成员：{person.name}",
        )


class SupportRecordView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        organisation = _organisation(request, pk)
        return form_submit(
            request,
            SupportForm(request.POST),
            lambda data: services.organisation_support_record(
                actor=request.user, organisation=organisation, **data
            ),
            invalid=lambda form: OrganisationDetailView().render(request, organisation, support=form),
            success_url=reverse("services:organisation-detail", args=[organisation.pk]),
            success_message="扶持记录已保存。",
        )
