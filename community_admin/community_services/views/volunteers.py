"""Pages of volunteers: the list and registration."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.community_services import selectors, services
from community_admin.community_services.forms import (
    VolunteerForm,
)
from community_admin.community_services.views.lookups import person_by_id
from community_admin.core.views import form_submit, paginate

PER_PAGE = 25


class VolunteerListView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request):
        return render(
            request,
            "services/volunteer_list.html",
            {
                **paginate(request, selectors.volunteer_list(request.user), PER_PAGE),
                "can_record": has_permission(request.user, "services.record"),
            },
        )


class VolunteerRegisterView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def get(self, request):
        form = VolunteerForm(initial={"registered_on": timezone.localdate()})
        return render(request, "services/simple_form.html", {"form": form, "title": "注册志愿者"})

    def post(self, request):

        def register(data):
            data = dict(data)
            person = person_by_id(request, request.user.committee_id, data.pop("id_number"))
            services.volunteer_register(actor=request.user, person=person, **data)
            return person

        return form_submit(
            request,
            VolunteerForm(request.POST),
            register,
            invalid=lambda form: render(
                request, "services/simple_form.html", {"form": form, "title": "注册志愿者"}
            ),
            success_url=reverse("services:volunteer-list"),
            success_message=lambda person: f"已注册志愿者：{person.name}",
        )
