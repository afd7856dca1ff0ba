"""Pages of the community workers: the list, a worker's record and its actions, staffing against the norms, turnover and retirement."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from community_admin.accounts import scoping
from community_admin.accounts.permissions import PermissionRequiredMixin, has_permission
from community_admin.core import reveals
from community_admin.core.views import FilteredListMixin, form_submit, paginate
from community_admin.staff import forms, selectors, services, yearly
from community_admin.staff.filters import WorkerFilter
from community_admin.staff.models import Worker

PER_PAGE = 50


class WorkerListView(PermissionRequiredMixin, FilteredListMixin, TemplateView):
    required_permission = "staff.view"
    template_name = "staff/worker_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        filterset = WorkerFilter(self.request.GET or None, queryset=selectors.worker_list(user))
        refused = not filterset.is_valid()
        workers = filterset.queryset.none() if refused else filterset.qs
        return super().get_context_data(
            form=filterset.form,
            **paginate(self.request, workers, PER_PAGE),
            figures=selectors.staff_figures(selectors.visible_workers(user)),
            can_manage=has_permission(user, "staff.manage"),
            **kwargs,
        )


class WorkerCreateView(PermissionRequiredMixin, View):
    required_permission = "staff.manage"
    template_name = "staff/worker_form.html"

    def get(self, request):
        form = forms.WorkerCreateForm(committees=scoping.visible_committees(request.user))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        return form_submit(
            request,
            forms.WorkerCreateForm(request.POST, committees=scoping.visible_committees(request.user)),
            lambda data: services.worker_create(actor=request.user, **data),
            invalid=lambda form: render(request, self.template_name, {"form": form}),
            success_url=lambda worker: reverse("staff:worker-detail", args=[worker.pk]),
            success_message=lambda worker: f"已登记社区工作者 {worker.name}。",
        )


class WorkerMixin(PermissionRequiredMixin):
    def get_worker(self) -> Worker:
        user = self.request.user
        return scoping.get_in_scope_or_404(
            selectors.visible_workers(user).select_related("committee", "committee__street"),
            user,
            pk=self.kwargs["pk"],
        )

    def render_worker(
        self, worker: Worker, *, status: int = 200, error: str = "", revealed: str = "", **bound
    ):
        """`bound`: a form posted back with its errors, by its action's name (`qualification=form`)."""
        user = self.request.user
        context = {
            "worker": worker,
            "posts": worker.posts.all(),
            "qualifications": worker.qualifications.all(),
            "secondments": worker.secondments.select_related("host_street", "host_department"),
            "scores": selectors.worker_scores(worker),
            "departure": getattr(worker, "departure", None) if not worker.is_current else None,
            "can_manage": has_permission(user, "staff.manage") and worker.is_current,
            "can_reveal": has_permission(user, "staff.reveal_id"),
            "posts_form": bound.get("posts")
            or forms.PostsForm(initial={"posts": [p.post for p in worker.posts.all()]}),
            "qualification_form": bound.get("qualification") or forms.QualificationForm(),
            "resign_form": bound.get("resign") or forms.ResignForm(),
            "retire_form": bound.get("retire") or forms.RetireForm(),
            "error": error,
            "revealed": revealed,
        }
        response = render(self.request, "staff/worker_detail.html", context, status=status)
        if revealed:
            response["Cache-Control"] = "no-store"
        return response


class WorkerDetailView(WorkerMixin, View):
    required_permission = "staff.view"

    def get(self, request, pk: int):
        return self.render_worker(self.get_worker())


class WorkerRevealView(WorkerMixin, View):
    """Showing the full ID number is an explicit, audited action."""

    required_permission = "staff.reveal_id"

    def post(self, request, pk: int):
        worker = self.get_worker()
        form = forms.WorkerRevealForm(request.POST)
        if not form.is_valid():
            return self.render_worker(worker, status=400, error=forms.form_errors(form))
        try:
            number = services.worker_reveal_id_number(
                actor=request.user, worker=worker, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:  # the messages name the reason themselves
            return self.render_worker(worker, status=400, error="查看原因：" + "；".join(exc.messages))
        except reveals.RevealLimitExceeded as exc:
            return self.render_worker(worker, status=429, error=exc.message)
        return self.render_worker(worker, revealed=number)


class WorkerActionView(WorkerMixin, View):
    required_permission = "staff.manage"
    actions = {
        "posts": forms.PostsForm,
        "qualification": forms.QualificationForm,
        "resign": forms.ResignForm,
        "retire": forms.RetireForm,
    }

    def post(self, request, pk: int):
        worker = self.get_worker()
        action = request.POST.get("action", "")
        form_class = self.actions.get(action)
        if form_class is None:
            return self.render_worker(worker, status=400, error="操作：请选择要办理的事项。")
        return form_submit(
            request,
            form_class(request.POST),
            lambda data: self.apply(action, worker, data),
            invalid=lambda form: self.render_worker(worker, **{action: form}),
            success_url=reverse("staff:worker-detail", args=[worker.pk]),
            success_message="已保存。",
        )

    def apply(self, action: str, worker: Worker, data: dict) -> None:
        actor = self.request.user
        if action == "posts":
            services.worker_set_posts(actor=actor, worker=worker, posts=data["posts"])
        elif action == "qualification":
            services.qualification_add(actor=actor, worker=worker, **data)
        elif action == "resign":
            services.worker_resign(actor=actor, worker=worker, **data)
        else:
            services.worker_retire(actor=actor, worker=worker, **data)


# Staffing and turnover ---------------------------------------------------------------------------


class StaffingView(PermissionRequiredMixin, TemplateView):
    """Norms against the workers actually there; the seconded count as absent."""

    required_permission = "staff.view"
    template_name = "staff/staffing.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rows = selectors.staffing_gaps(scoping.visible_committees(user))
        return super().get_context_data(
            rows=rows,
            streets=selectors.staffing_by_street(rows),
            total=selectors.staffing_totals(rows),
            source_text=selectors.staffing_source_text(rows),
            secondments=selectors.secondment_counts(user),
            **kwargs,
        )


class TurnoverView(PermissionRequiredMixin, TemplateView):
    required_permission = "staff.view"
    template_name = "staff/turnover.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        years = [today.year - 2, today.year - 1, today.year]
        by_street, totals = selectors.turnover_by_year(user, years=years)
        policy, honour = selectors.honour_eligible(user, as_of=today)
        return super().get_context_data(
            years=years,
            by_street=by_street,
            totals=totals,
            last_twelve_months=selectors.resignations_since(user, since=today - timedelta(days=365)),
            reasons=selectors.resignation_reasons(user, year=today.year - 1),
            reasons_year=today.year - 1,
            due=selectors.retirement_due(user, as_of=today, within_months=12),
            honour_policy=policy,
            pay_notice=yearly.pay_policy_in_force(today.year).notice,
            rules_notice=yearly.retirement_rules_in_force(today.year).notice,
            honour=honour,
            **kwargs,
        )
