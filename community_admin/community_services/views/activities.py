"""Pages of activities: the list, recording one, its attachments, volunteer hours and participants."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.community_services import selectors, services
from community_admin.community_services.forms import (
    ActivityForm,
    AttachmentForm,
    HoursForm,
    PersonByIdForm,
)
from community_admin.community_services.views.lookups import person_by_id
from community_admin.core.files import private_file_response
from community_admin.core.views import form_submit, paginate

PER_PAGE = 25


def _activity(request, pk):
    return scoping.get_in_scope_or_404(selectors.activity_list(request.user), request.user, pk=pk)


class ActivityListView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request):
        return render(
            request,
            "services/activity_list.html",
            {
                **paginate(request, selectors.activity_list(request.user), PER_PAGE),
                "can_record": has_permission(request.user, "services.record"),
            },
        )


class ActivityCreateView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def _organisations(self, request):
        return selectors.organisation_list(request.user)

    def get(self, request):
        form = ActivityForm(
            organisations=self._organisations(request), initial={"held_on": timezone.localdate()}
        )
        return render(request, "services/activity_form.html", {"form": form})

    def post(self, request):
        return form_submit(
            request,
            ActivityForm(request.POST, organisations=self._organisations(request)),
            lambda data: services.activity_create(
                actor=request.user, committee=request.user.committee, **data
            ),
            invalid=lambda form: render(request, "services/activity_form.html", {"form": form}),
            success_url=lambda activity: reverse("services:activity-detail", args=[activity.pk]),
            success_message=lambda activity: f"已登记活动：{activity.title}",
        )


class ActivityDetailView(PermissionRequiredMixin, View):
    required_permission = "services.view"

    def get(self, request, pk):
        return self.render(request, _activity(request, pk))

    def render(self, request, activity, *, status=200, **forms):
        volunteers = selectors.volunteer_list(request.user).filter(committee_id=activity.committee_id)
        return render(
            request,
            "services/activity_detail.html",
            {
                "activity": activity,
                "attachments": activity.attachments.all(),
                "participants": activity.participations.select_related("person"),
                "hours": activity.volunteer_hours.select_related("volunteer__person"),
                "can_record": has_permission(request.user, "services.record"),
                "attachment_form": forms.get("attachment") or AttachmentForm(),
                "hours_form": forms.get("hours") or HoursForm(volunteers=volunteers),
                "participant_form": forms.get("participant") or PersonByIdForm(),
            },
            status=status,
        )


class AttachmentUploadView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        activity = _activity(request, pk)
        return form_submit(
            request,
            AttachmentForm(request.POST, request.FILES),
            lambda data: services.activity_attachment_add(
                actor=request.user, activity=activity, upload=data["file"], file_name=data["file"].name
            ),
            invalid=lambda form: ActivityDetailView().render(request, activity, attachment=form),
            success_url=reverse("services:activity-detail", args=[activity.pk]),
            success_message="附件已上传。",
        )


class AttachmentDownloadView(PermissionRequiredMixin, View):
    """Sent only as an attachment of its sniffed type, never rendered by the browser."""

    required_permission = "services.view"

    def get(self, request, pk):
        item = scoping.get_in_scope_or_404(selectors.attachment_list(request.user), request.user, pk=pk)
        extension = item.file.name[item.file.name.rfind(".") :]
        return private_file_response(
            request,
            obj=item,
            open=lambda: services.activity_attachment_open(attachment=item),
            filename=f"活动{item.activity_id}-附件{item.pk}{extension}",
            content_type=item.content_type,
            action="activity.attachment_download",
            details={"activity": item.activity_id},
        )


class HoursLogView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        activity = _activity(request, pk)
        volunteers = selectors.volunteer_list(request.user).filter(committee_id=activity.committee_id)
        return form_submit(
            request,
            HoursForm(request.POST, volunteers=volunteers),
            lambda data: services.volunteer_hours_log(actor=request.user, activity=activity, **data),
            invalid=lambda form: ActivityDetailView().render(request, activity, hours=form),
            success_url=reverse("services:activity-detail", args=[activity.pk]),
            success_message="服务时长已登记。",
        )


class ParticipantAddView(PermissionRequiredMixin, View):
    required_permission = "services.record"

    def post(self, request, pk):
        activity = _activity(request, pk)

        def add(data):
            person = person_by_id(request, activity.committee_id, data["id_number"])
            services.activity_participant_add(actor=request.user, activity=activity, person=person)
            return person

        return form_submit(
            request,
            PersonByIdForm(request.POST),
            add,
            invalid=lambda form: ActivityDetailView().render(request, activity, participant=form),
            success_url=reverse("services:activity-detail", args=[activity.pk]),
            success_message=lambda person: f"已登记参加居民：{person.name}",
        )
