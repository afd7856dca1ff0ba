from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from community_admin.accounts import scoping
from community_admin.accounts.models import Role
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.admission import selectors, services
from community_admin.admission.forms import (
    AssignmentCompleteForm,
    AssignmentRefuseForm,
    InboxFilterForm,
    RefusalDecisionForm,
    RefusalRequestForm,
    ServiceItemApplyForm,
    ServiceItemEditForm,
    ServiceItemFilterForm,
    ServiceItemTransitionForm,
    WorkloadFilterForm,
)
from community_admin.admission.models import ServiceItem
from community_admin.core.views import FilteredListMixin, action_submit, form_submit, paginate

# The admission list -----------------------------------------------------------------------------------


class ItemListView(PermissionRequiredMixin, FilteredListMixin, TemplateView):
    required_permission = "tasks.catalogue.view"
    template_name = "tasks/item_list.html"
    paginate_by = 100

    def get_context_data(self, **kwargs):
        form = ServiceItemFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        user = self.request.user
        return super().get_context_data(
            form=form,
            **paginate(
                self.request,
                selectors.service_item_list(filters=filters)
                if not form.errors
                else ServiceItem.objects.none(),
                self.paginate_by,
            ),
            summary=selectors.service_item_summary(),
            today=timezone.localdate(),
            can_apply=has_permission(user, "tasks.catalogue.apply"),
            **kwargs,
        )


class ItemDetailView(PermissionRequiredMixin, TemplateView):
    required_permission = "tasks.catalogue.view"
    template_name = "tasks/item_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        item = scoping.get_in_scope_or_404(selectors.service_item_list(), user, pk=self.kwargs["pk"])
        can_manage = has_permission(user, "tasks.catalogue.manage")
        return super().get_context_data(
            item=item,
            can_manage=can_manage,
            history=selectors.service_item_history(item)[:50] if has_permission(user, "audit.view") else None,
            transition_form=ServiceItemTransitionForm() if can_manage else None,
            actions=[
                (action, verb)
                for action, (source, _, verb, _) in services.ITEM_TRANSITIONS.items()
                if source == item.status
            ],
            today=timezone.localdate(),
            **kwargs,
        )


class ItemApplyView(PermissionRequiredMixin, TemplateView):
    """A department applies for a new item (the bureau may record an application on a department's behalf)."""

    required_permission = "tasks.catalogue.apply"
    template_name = "tasks/item_form.html"

    def _department(self):
        user = self.request.user
        return user.department if user.role == Role.DEPARTMENT else None

    def get(self, request, *args, **kwargs):
        form = ServiceItemApplyForm(department=self._department())
        return self.render_to_response(self.get_context_data(form=form, heading="申请列入准入清单"))

    def post(self, request, *args, **kwargs):
        return form_submit(
            request,
            ServiceItemApplyForm(request.POST, department=self._department()),
            lambda data: services.service_item_apply(actor=request.user, **data),
            invalid=lambda form: self.render_to_response(
                self.get_context_data(form=form, heading="申请列入准入清单")
            ),
            success_url=lambda item: reverse("tasks:item-detail", args=[item.pk]),
            success_message=lambda item: (
                f"申请已提交，编号 {item.code}；区里将于 {item.decision_due:%Y-%m-%d} 前作出审批决定。"
            ),
        )


class ItemEditView(PermissionRequiredMixin, TemplateView):
    required_permission = "tasks.catalogue.manage"
    template_name = "tasks/item_form.html"

    def _item(self) -> ServiceItem:
        user = self.request.user
        return scoping.get_in_scope_or_404(selectors.service_item_list(), user, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        item = self._item()
        form = ServiceItemEditForm(instance=item)
        return self.render_to_response(self.get_context_data(form=form, item=item, heading=f"修改 {item}"))

    def post(self, request, *args, **kwargs):
        item = self._item()
        form = ServiceItemEditForm(request.POST, instance=ServiceItem.objects.get(pk=item.pk))
        return form_submit(
            request,
            form,
            lambda data: services.service_item_update(
                actor=request.user, item=item, changes={name: data[name] for name in form.changed_data}
            ),
            invalid=lambda form: self.render_to_response(
                self.get_context_data(form=form, item=item, heading=f"修改 {item}")
            ),
            success_url=reverse("tasks:item-detail", args=[item.pk]),
            success_message="准入清单事项已保存。",
        )


class ItemTransitionView(PermissionRequiredMixin, View):
    required_permission = "tasks.catalogue.manage"

    def post(self, request, pk: int):
        item = scoping.get_in_scope_or_404(selectors.service_item_list(), request.user, pk=pk)
        return action_submit(
            request,
            lambda data: services.service_item_transition(actor=request.user, item=item, **data),
            form=ServiceItemTransitionForm(request.POST),
            back=reverse("tasks:item-detail", args=[item.pk]),
            success_message=lambda item: f"{item.code} 现为“{item.get_status_display()}”。",
        )


# The committees' inbox --------------------------------------------------------------------------------


class InboxView(PermissionRequiredMixin, FilteredListMixin, TemplateView):
    """Committee staff: the admitted tasks of their committee; street clerks and the bureau: of the
    committees they see."""

    required_permission = "tasks.inbox"
    template_name = "tasks/inbox.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        user = self.request.user
        committees = scoping.visible_committees(user)
        form = InboxFilterForm(self.request.GET or None, committees=committees)
        filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
        rows = selectors.inbox(user, status=filters.get("status", ""), committee=filters.get("committee"))
        if form.errors:
            rows = rows.none()
        return super().get_context_data(
            form=form,
            **paginate(self.request, rows, self.paginate_by),
            show_committee=user.role != Role.COMMITTEE,
            **kwargs,
        )


class AssignmentMixin(PermissionRequiredMixin):
    def get_assignment(self, pk: int):
        user = self.request.user
        return scoping.get_in_scope_or_404(selectors.assignment_list(user), user, pk=pk)


class AssignmentDetailView(AssignmentMixin, TemplateView):
    required_permission = "tasks.inbox"
    template_name = "tasks/assignment_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        assignment = self.get_assignment(self.kwargs["pk"])
        is_open = assignment.status in assignment.OPEN
        can_work = is_open and has_permission(user, "tasks.work")
        can_refuse = is_open and has_permission(user, "tasks.refuse")
        return super().get_context_data(
            assignment=assignment,
            task=assignment.task,
            funding_line=selectors.task_funding_lines(user)
            .filter(task=assignment.task, committee=assignment.committee)
            .first(),
            can_start=can_work and assignment.status == assignment.Status.ACCEPTED,
            complete_form=AssignmentCompleteForm() if can_work else None,
            refuse_form=AssignmentRefuseForm()
            if can_refuse and not assignment.refusal_request_pending
            else None,
            request_form=RefusalRequestForm()
            if can_work and not assignment.refusal_request_pending
            else None,
            decision_form=RefusalDecisionForm()
            if can_refuse and assignment.refusal_request_pending
            else None,
            **kwargs,
        )


class AssignmentStartView(AssignmentMixin, View):
    required_permission = "tasks.work"

    def post(self, request, pk: int):
        assignment = self.get_assignment(pk)
        return action_submit(
            request,
            lambda data: services.task_assignment_start(actor=request.user, assignment=assignment),
            back=reverse("tasks:assignment-detail", args=[pk]),
            success_message="已开始办理。",
        )


class AssignmentCompleteView(AssignmentMixin, View):
    required_permission = "tasks.work"

    def post(self, request, pk: int):
        assignment = self.get_assignment(pk)
        return action_submit(
            request,
            lambda data: services.task_assignment_complete(actor=request.user, assignment=assignment, **data),
            form=AssignmentCompleteForm(request.POST),
            back=reverse("tasks:assignment-detail", args=[pk]),
            success_message="已报告完成。",
        )


class AssignmentRequestRefusalView(AssignmentMixin, View):
    """The committee asks its street office to refuse the task on its behalf."""

    required_permission = "tasks.work"

    def post(self, request, pk: int):
        assignment = self.get_assignment(pk)
        return action_submit(
            request,
            lambda data: services.task_assignment_request_refusal(
                actor=request.user, assignment=assignment, **data
            ),
            form=RefusalRequestForm(request.POST),
            back=reverse("tasks:assignment-detail", args=[pk]),
            success_message=f"已申请{assignment.committee.street.name}代为拒绝，请等待街道决定；决定前仍按期限办理。",
        )


class AssignmentDecideRefusalView(AssignmentMixin, View):
    """The street office grants (refuses the task for the committee) or declines its committee's request."""

    required_permission = "tasks.refuse"

    def post(self, request, pk: int):
        assignment = self.get_assignment(pk)
        return action_submit(
            request,
            lambda data: services.task_assignment_decide_refusal(
                actor=request.user, assignment=assignment, **data
            ),
            form=RefusalDecisionForm(request.POST),
            back=reverse("tasks:assignment-detail", args=[pk]),
            success_message=lambda a: (
                f"已同意{a.committee.name}的申请，代为拒绝，随事转经费已撤回。"
                if a.status == a.Status.REFUSED
                else f"已答复{a.committee.name}：不同意拒绝，社区继续办理。"
            ),
        )


class AssignmentRefuseView(AssignmentMixin, View):
    """The street office refuses an admitted task on a committee's behalf."""

    required_permission = "tasks.refuse"

    def post(self, request, pk: int):
        assignment = self.get_assignment(pk)
        return action_submit(
            request,
            lambda data: services.task_assignment_refuse(actor=request.user, assignment=assignment, **data),
            form=AssignmentRefuseForm(request.POST),
            back=reverse("tasks:assignment-detail", args=[pk]),
            success_message=f"已代{assignment.committee.name}拒绝该任务，随事转经费已撤回。",
        )


# Workload ---------------------------------------------------------------------------------------------


class WorkloadView(PermissionRequiredMixin, TemplateView):
    """Tasks received, admitted, refused and overdue per street and committee: the report's 80+ affairs measured."""

    required_permission = "tasks.workload"
    template_name = "tasks/workload.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = WorkloadFilterForm(self.request.GET or None)
        year = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else None
        committees = scoping.visible_committees(user)
        streets = selectors.workload_by_street(scoping.visible_streets(user), committees, year=year)
        by_committee = selectors.workload_by_committee(committees, year=year)
        return super().get_context_data(
            form=form,
            year=year,
            streets=streets,
            committees=by_committee,
            total=selectors.workload_total(streets),
            affairs=selectors.district_affairs(committees, year=year),
            refusals=selectors.refusals(selectors.task_list(user), year=year),
            **kwargs,
        )
